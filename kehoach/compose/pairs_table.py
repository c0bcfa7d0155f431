"""The district-level memorandum: one BIÊN BẢN GHI NHỚ of two offices listing every twinned pair in a table.

A batch calls `district_memorandum(common, rows)` with the loaded data of a memorandum file and the
roster rows (`RosterRow.data`), their schools already resolved (batch.rows.resolve_units); the result is ordinary document data, checked and rendered like any
file (reader.check_document on a loader.LoadedFile holding it). The common file says where the list goes
with an empty table, `- bang: {cot: [TT, Trường thứ nhất, Hiệu trưởng, Trường thứ hai, Hiệu trưởng]}`.
"""

from __future__ import annotations

import copy

from kehoach.errors import InputError, Problem, Where

PAIR_COLUMNS = ["TT", "Trường thứ nhất", "Hiệu trưởng", "Trường thứ hai", "Hiệu trưởng"]
PAIR_WIDTHS = [0.6, 3, 2, 3, 2]


def _school(unit: dict) -> tuple[str, str]:
    """(name with its place, principal) of one side of a pair."""
    name = unit.get("ten_ngan") or unit["ten"]
    place = unit.get("dia_ban")
    return (f"{name}, {place}" if place else name), unit.get("hieu_truong") or ""


def pairs_table(rows: list[dict]) -> dict:
    """A `bang` part (cot, dong, do_rong) with one row per pair: number, each school and its principal."""
    lines = []
    for number, row in enumerate(rows, start=1):
        first, second = (_school(unit) for unit in row["don_vi"])
        lines.append([str(number), *first, *second])
    return {"cot": list(PAIR_COLUMNS), "dong": lines, "do_rong": list(PAIR_WIDTHS)}


def _empty_tables(parts: list) -> list[dict]:
    found = []
    for part in parts:
        if isinstance(part, dict):
            table = part.get("bang")
            if isinstance(table, dict) and not table.get("dong"):
                found.append(table)
            found += _empty_tables(part.get("noi_dung") or [])
    return found


def district_memorandum(common: dict, rows: list[dict], file: str = "biên bản ghi nhớ chung") -> dict:
    """The common memorandum's data with every pair of the roster in its first empty table (headers kept if 5)."""
    data = copy.deepcopy(common)
    slots = _empty_tables(data.get("noi_dung") or [])
    if not slots:
        raise InputError(Problem(Where(file), "biên bản ghi nhớ chung chưa có chỗ cho danh sách các cặp trường",
                                 "thêm một bảng trống ở chỗ cần in danh sách: - bang: {cot: [" + ", ".join(PAIR_COLUMNS) + "]}"))
    table = pairs_table(rows)
    slot = slots[0]
    if len(slot.get("cot") or []) == len(PAIR_COLUMNS):
        table["cot"] = slot["cot"]  # the clerk's own wording of the headers
    slot.clear()
    slot.update(table)
    return data
