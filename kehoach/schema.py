"""The JSON Schema of the plan and schools files, for editors (VS Code's YAML extension), from model.py.

The schema must accept every file the loader and model accept, and the editor reads YAML itself:
VS Code's YAML extension (YAML 1.2) reads `so: 586` as a number and `luu: true` as a boolean where
loader.py reads text, so every text field also accepts numbers and booleans. Dates are text with the
pattern model._parse_date accepts. The shorthands the model's "before" validators accept (a bare
string for a part, a legal basis or a cited document; a căn cứ without `van_ban:`) are added here.
"""

from __future__ import annotations

import copy
import json

from pydantic.json_schema import GenerateJsonSchema

from kehoach.model import DanhSachTruong, VanBan

DRAFT = "http://json-schema.org/draft-07/schema#"
# What YAML 1.2 reads from a plain scalar that loader.py keeps as text.
TEXT_TYPES = ["string", "number", "boolean"]
DATE_PATTERN = r"^\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*$"
NUMBER_PATTERN = r"^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$"
SCHEMA_FILES = {"ke-hoach": VanBan, "truong": DanhSachTruong}  # file stem → model


class _EditorSchema(GenerateJsonSchema):
    """pydantic's generator, with scalars as the loader reads them and unions an editor can follow."""

    def str_schema(self, schema):  # noqa: ANN001, ANN201 - pydantic's hook signature
        return {**super().str_schema(schema), "type": TEXT_TYPES}

    def date_schema(self, schema):  # noqa: ANN001, ANN201
        return {"type": "string", "pattern": DATE_PATTERN}

    def float_schema(self, schema):  # noqa: ANN001, ANN201
        return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": NUMBER_PATTERN}]}

    def tagged_union_schema(self, schema):  # noqa: ANN001, ANN201
        # The units' discriminator is a Python function (model.unit_kind), which pydantic writes as a
        # bare oneOf; anyOf lets the editor offer the keys of both kinds while the clerk types.
        out = super().tagged_union_schema(schema)
        out["anyOf"] = out.pop("oneOf")
        out.pop("discriminator", None)
        return out


def _with_shorthand(definition: dict, *shorthands: dict) -> dict:
    """A model's definition that also accepts shorthand forms, keeping its title and description on top."""
    head = {k: definition.pop(k) for k in ("title", "description") if k in definition}
    return {**head, "anyOf": [*shorthands, definition]}


def _add_shorthands(defs: dict) -> None:
    paragraph = {"type": TEXT_TYPES, "minLength": 1, "description": "Một đoạn văn (doan)"}
    cited_text = {"type": TEXT_TYPES, "minLength": 1, "description": "Số ký hiệu trong danh mục, hoặc viết đủ câu"}
    if "Muc" in defs:  # model.Muc._from_text: a bare string is a paragraph
        defs["Muc"] = _with_shorthand(defs["Muc"], paragraph)
    if "CanCu" in defs:  # model.CanCu._single: one document, as text or its fields, without `van_ban:`
        full, cited = defs["CanCu"], defs["VanBanCanCu"]
        single = {"type": "object", "additionalProperties": False,
                  "properties": {"mo_dau": full["properties"]["mo_dau"], **copy.deepcopy(cited["properties"])}}
        defs["CanCu"] = _with_shorthand(full, cited_text, single)
    if "VanBanCanCu" in defs:  # model.VanBanCanCu._from_text
        defs["VanBanCanCu"] = _with_shorthand(defs["VanBanCanCu"], cited_text)


def json_schema(model: type) -> dict:
    """The editor schema of a file validated by model (model.VanBan or model.DanhSachTruong)."""
    schema = model.model_json_schema(schema_generator=_EditorSchema)
    _add_shorthands(schema.get("$defs", {}))
    return {"$schema": DRAFT, **schema}


def schema_text(name: str) -> str:
    """The schema of SCHEMA_FILES[name] as the text of a .schema.json file."""
    return json.dumps(json_schema(SCHEMA_FILES[name]), ensure_ascii=False, indent=2) + "\n"
