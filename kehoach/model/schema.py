"""The JSON Schema of the plan and schools files, for editors (VS Code's YAML extension), from model.py.

The schema and `kehoach check` must agree: what check accepts is never marked in the editor, and what it
refuses is marked where a schema can say so, in Vietnamese. So:
- VS Code's YAML extension (YAML 1.2) reads `so: 586` as a number and `luu: true` as a boolean where
  loader.py reads text, so every text field also accepts numbers and booleans. Dates are text written as
  dates.py reads them (16/9/2025, 2025-09-16, "ngày 16 tháng 9 năm 2025").
- A blank value (`ten:` as a starter leaves it) is a line still to fill, never an error in the editor:
  `check` lists every one. Optional values are a type list with "null", not `anyOf` with null (which the
  editor's hover shows as "Số văn bản || Số văn bản"), and carry no `default: null` (which its completion
  inserts as `key: null`).
- Every field and model carries an `errorMessage`, the one keyword yaml-language-server shows instead of
  its English text; unknown keys are refused by `propertyNames` (whose own message lists the keys allowed)
  rather than `additionalProperties: false` (whose message is the whole object's).
- The keys only one document type uses (doctypes.LOAI's truong_rieng) are offered and allowed only under
  an `if` on `loai`.
- A batch's common plan leaves out don_vi and may leave out ngay (each roster row gives them), so the schema
  does not require them; `check` does, for a plan file on its own (model.VanBanNhap).
The shorthands the model's "before" validators accept (a bare string for a part, a legal basis or a cited
document; a căn cứ without `van_ban:`) are added here.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from functools import cache

from pydantic.json_schema import GenerateJsonSchema

from kehoach.input.dates import DAY_FIRST, IN_WORDS, ISO
from kehoach.input.vietnamese import plain
from kehoach.model.doctypes import LOAI
from kehoach.model.vanban import DanhSachTruong, VanBanNhap
from kehoach.model.reader import TYPE_NAMES

DRAFT = "http://json-schema.org/draft-07/schema#"
# What YAML 1.2 reads from a plain scalar that loader.py keeps as text; null is a blank line still to fill.
TEXT_TYPES = ["string", "number", "boolean", "null"]
NUMBER_PATTERN = r"^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$"
SCHEMA_FILES = {"ke-hoach": VanBanNhap, "truong": DanhSachTruong}  # file stem → model
COMMON_PLAN_LEAVES_OUT = ("don_vi", "ngay")  # given by each roster row of a batch
DATE_HINT = "viết ngày/tháng/năm đủ bốn số năm, ví dụ: 16/9/2025, 2025-09-16 hoặc ngày 16 tháng 9 năm 2025"
KEY_HINT = "sửa tên khóa (Ctrl+Space để xem gợi ý), hoặc xóa dòng này"


VIETNAMESE_MARKS = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"  # tones, then â ê ô, ă, ơ ư


def _letters(word: str) -> str:
    """A regular expression matching a word of dates.IN_WORDS as a clerk types it: any case, with or without
    Vietnamese marks, precomposed or as combining marks (Unikey's "Unicode tổ hợp")."""

    def vietnamese(c: str) -> bool:
        return all(m in VIETNAMESE_MARKS for m in unicodedata.normalize("NFD", c)[1:])

    variants = [chr(c) for c in range(0x41, 0x1EFA) if chr(c).isalpha() and vietnamese(chr(c))]
    return "".join(f"[{''.join(c for c in variants if plain(c) == letter)}][\\u0300-\\u036f]*" for letter in word)


@cache
def date_pattern() -> str:
    """dates.parse_date's three forms as one JSON Schema pattern (ECMAScript syntax, no flags)."""
    words = r"\s+".join(part if part.startswith("(") else _letters(part) for part in IN_WORDS.pattern.split(" "))
    return rf"^\s*({DAY_FIRST.pattern}|{ISO.pattern}|{words})\s*$"


class _EditorSchema(GenerateJsonSchema):
    """pydantic's generator, with scalars as the loader reads them and unions an editor can follow."""

    def str_schema(self, schema):  # noqa: ANN001, ANN201 - pydantic's hook signature
        return {**super().str_schema(schema), "type": TEXT_TYPES}

    def date_schema(self, schema):  # noqa: ANN001, ANN201
        return {"type": ["string", "null"], "pattern": date_pattern()}

    def float_schema(self, schema):  # noqa: ANN001, ANN201
        return {"type": ["number", "string"], "pattern": NUMBER_PATTERN}

    def nullable_schema(self, schema):  # noqa: ANN001, ANN201
        # "null" joins the type list (one schema: one title in hover); a model stays a plain reference, as
        # a blank there (`bang:`) is refused by check too.
        inner = self.generate_inner(schema["schema"])
        if "enum" in inner and None not in inner["enum"]:  # a blank `do_khan:` is accepted by check: not red either
            inner = {**inner, "enum": [*inner["enum"], None]}
        if isinstance(inner.get("type"), list):
            return {**inner, "type": [*inner["type"], "null"] if "null" not in inner["type"] else inner["type"]}
        if isinstance(inner.get("type"), str):
            return {**inner, "type": [inner["type"], "null"]}
        return inner

    def default_schema(self, schema):  # noqa: ANN001, ANN201
        out = super().default_schema(schema)
        if out.get("default", 0) is None:  # completion would insert it as `key: null`
            del out["default"]
        return out

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
    def text(title: str, description: str) -> dict:
        return {"type": TEXT_TYPES, "minLength": 1, "description": description,
                "errorMessage": f"{title}: viết một dòng chữ, hoặc các dòng 'tên_khóa: giá trị' — xem gợi ý bằng Ctrl+Space"}

    if "Phan" in defs:  # model.Phan._from_text: a bare string is a paragraph
        defs["Phan"] = _with_shorthand(defs["Phan"], text("Phần nội dung", "Một đoạn văn (doan)"))
    if "CanCu" in defs:  # model.CanCu._single: one document, as text or its fields, without `van_ban:`
        full, cited = defs["CanCu"], defs["VanBanCanCu"]
        single = {"title": full["title"], "type": "object", "additionalProperties": False,
                  "properties": {"mo_dau": full["properties"]["mo_dau"], **copy.deepcopy(cited["properties"])}}
        cited_text = text("Căn cứ", "Số ký hiệu trong danh mục, hoặc viết đủ câu")
        defs["CanCu"] = _with_shorthand(full, cited_text, single)
    if "VanBanCanCu" in defs:  # model.VanBanCanCu._from_text
        defs["VanBanCanCu"] = _with_shorthand(defs["VanBanCanCu"], text("Văn bản căn cứ", "Số ký hiệu trong danh mục, hoặc viết đủ câu"))


def _keys_message(title: str, keys: list[str]) -> str:
    return f"khóa này không có trong {title[:1].lower() + title[1:]}; các khóa dùng được: {', '.join(keys)} — {KEY_HINT}"


def _field_message(title: str, node: dict) -> str:
    """What an editor says of a wrong value under this field: what is expected — how to fix it."""
    types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
    if "enum" in node:
        allowed = ", ".join(str(v) for v in node["enum"] if v is not None)
        return f"{title}: chỉ dùng một trong: {allowed} — sửa lại giá trị"
    if node.get("pattern") == date_pattern():
        return f"{title}: không phải là ngày — {DATE_HINT}"
    if "array" in types:
        limits = [f"ít nhất {node['minItems']} mục"] if node.get("minItems", 0) >= 1 else []
        limits += [f"nhiều nhất {node['maxItems']} mục"] if "maxItems" in node else []
        extra = "".join(f", {limit}" for limit in limits)
        return f"{title}: giá trị phải là {TYPE_NAMES['list_type']}{extra} — mỗi mục một dòng bắt đầu bằng '- '"
    if "object" in types or "properties" in node or "additionalProperties" in node:
        required = node.get("required", [])
        needs = f"; cần có: {', '.join(required)}" if required else ""
        return f"{title}: giá trị phải là {TYPE_NAMES['dict_type']}{needs} — thêm các dòng còn thiếu (Ctrl+Space để xem gợi ý)"
    if types[:1] == ["number"]:
        return f"{title}: giá trị phải là {TYPE_NAMES['float_type']} — ví dụ: 1.5"
    return f"{title}: giá trị phải là {TYPE_NAMES['string_type']}, không để chuỗi rỗng — điền nội dung sau dấu hai chấm"


def _for_editor(node: object, title: str = "mục này") -> None:
    """Vietnamese messages on every titled schema; unknown keys refused with the list of allowed ones.
    title: the name of what node is a form of (a model written with shorthands keeps its title above them)."""
    if isinstance(node, list):
        for item in node:
            _for_editor(item, title)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("properties"), dict) and node.get("additionalProperties") is False:
        del node["additionalProperties"]
        keys = list(node["properties"])
        node["propertyNames"] = {"enum": keys, "errorMessage": _keys_message(node.get("title", title), keys)}
    if "title" in node and "errorMessage" not in node and ("type" in node or "properties" in node or "enum" in node):
        node["errorMessage"] = _field_message(node["title"], node)
    # The server words minLength, minItems and maxItems in English whatever the schema says; a pattern and a
    # type carry the schema's own message. A blank text is "\S" missing; a count out of range fails an `if`
    # whose `else` no list can meet.
    if node.get("minLength") == 1 and "pattern" not in node:
        del node["minLength"]
        node["pattern"] = r"\S"
    counts = {k: node.pop(k) for k in ("minItems", "maxItems") if k in node}
    if counts:
        node["if"] = counts
        node["else"] = {"type": "null", "errorMessage": node.get("errorMessage", "")}
    for key, value in node.items():
        if key not in ("propertyNames", "if", "else"):  # made here, already for the editor
            _for_editor(value, node.get("title", title) if key == "anyOf" else "mục này")


def _keys_of_each_type(schema: dict) -> None:
    """Keys only some document types use (dia_diem, so_ban …) offered and allowed only under their `loai`."""
    own = {field for kind in LOAI.values() for field in kind.truong_rieng}
    moved = {field: schema["properties"].pop(field) for field in list(schema["properties"]) if field in own}
    common = list(schema["properties"])
    branches = []
    for kind in LOAI.values():
        keys = [*common, *kind.truong_rieng]
        condition: dict = {"properties": {"loai": {"const": kind.ma}}}
        if kind.ma != schema["properties"]["loai"].get("default"):  # the default type also when loai is left out
            condition["required"] = ["loai"]
        branches.append({"if": condition, "then": {
            "properties": {field: moved[field] for field in kind.truong_rieng},
            "propertyNames": {"enum": keys, "errorMessage": _keys_message(kind.ten_thuong, keys)}}})
    schema.pop("propertyNames", None)
    schema["allOf"] = branches


def json_schema(model: type) -> dict:
    """The editor schema of a file validated by model (model.VanBanNhap or model.DanhSachTruong)."""
    schema = model.model_json_schema(schema_generator=_EditorSchema)
    _add_shorthands(schema.get("$defs", {}))
    if model is VanBanNhap:
        schema["required"] = [key for key in schema["required"] if key not in COMMON_PLAN_LEAVES_OUT]
    _for_editor(schema)
    if model is VanBanNhap:
        _keys_of_each_type(schema)
    return {"$schema": DRAFT, **schema}


def schema_text(name: str) -> str:
    """The schema of SCHEMA_FILES[name] as the text of a .schema.json file."""
    return json.dumps(json_schema(SCHEMA_FILES[name]), ensure_ascii=False, indent=2) + "\n"

