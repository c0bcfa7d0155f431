#!/usr/bin/env python3
"""Write danh-sach-cap-truong.xlsx: twinned pairs of schools of Hoàng Mai and Ứng Hòa, school year 2025-2026.

The roster starts from `kehoach roster-template` (same headers, widths, validations, guide sheet)
and gets one row per pair: kindergartens, primary and lower-secondary schools of both areas.
Since 1 July 2025 there is no quận or huyện: each school sits under a phường or xã, whose UBND is
its managing body («Cơ quan chủ quản», «Cơ quan quản lý»). The roster fills «Địa danh» and leaves
«Địa bàn» empty, as many districts do: kehoach derives "phường Định Công" from "Định Công" and
"UBND PHƯỜNG ĐỊNH CÔNG". Which new phường or xã each school is put under is illustrative; the
principals' names are made up. The last rows name their schools by code from truong-hoang-mai-ung-hoa.yaml.
Run from anywhere: python examples/batch/make_roster.py
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from kehoach.input.roster import COLUMNS, write_roster_template  # noqa: E402

# (the place a school is named after, the phường or xã it is under since 1 July 2025)
HOANG_MAI = [("Đại Kim", "Định Công"), ("Định Công", "Định Công"), ("Giáp Bát", "Hoàng Mai"),
             ("Hoàng Liệt", "Hoàng Liệt"), ("Hoàng Văn Thụ", "Hoàng Mai"), ("Lĩnh Nam", "Lĩnh Nam"),
             ("Mai Động", "Tương Mai"), ("Tân Mai", "Hoàng Mai"), ("Thanh Trì", "Vĩnh Hưng"),
             ("Thịnh Liệt", "Hoàng Liệt"), ("Trần Phú", "Yên Sở"), ("Tương Mai", "Tương Mai"),
             ("Vĩnh Hưng", "Vĩnh Hưng"), ("Yên Sở", "Yên Sở")]
UNG_HOA = [("Vân Đình", "Vân Đình"), ("Cao Thành", "Ứng Thiên"), ("Sơn Công", "Ứng Thiên"),
           ("Đồng Tiến", "Ứng Thiên"), ("Liên Bạt", "Ứng Thiên"), ("Hoa Sơn", "Ứng Thiên"), ("Viên An", "Ứng Hòa"),
           ("Viên Nội", "Ứng Hòa"), ("Trường Thịnh", "Hòa Xá"), ("Quảng Phú Cầu", "Ứng Thiên"),
           ("Phương Tú", "Ứng Hòa"), ("Hòa Lâm", "Hòa Xá"), ("Hòa Xá", "Hòa Xá"), ("Hòa Nam", "Hòa Xá"),
           ("Trầm Lộng", "Ứng Hòa"), ("Đại Hùng", "Ứng Hòa")]
LEVELS = [("Mầm non", "MN", 12), ("Tiểu học", "TH", 12), ("THCS", "THCS", 10)]
HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh"]
DEM = ["Thị", "Văn", "Thị Thu", "Thị Minh", "Đức", "Thị Thanh", "Hữu", "Thị Ngọc"]
TEN = ["Hà", "Lan", "Hương", "Hùng", "Nga", "Tuấn", "Hạnh", "Dũng", "Thủy", "Phương", "Yến", "Sơn", "Mai", "Bình"]


def principal(index: int) -> str:
    """A made-up, plausible full name, the same on every run."""
    return f"{HO[index % len(HO)]} {DEM[(index * 5) % len(DEM)]} {TEN[(index * 7) % len(TEN)]}"


def school(level: str, short: str, named: tuple[str, str], kind: str, index: int, district: int) -> dict:
    name, place = named
    return {
        "ten": f"Trường {level} {name}",
        "ten_ngan": f"{short} {name}",
        "ky_hieu": short + "".join(word[0] for word in name.split()).upper(),  # THCS Hoàng Văn Thụ -> THCSHVT
        "co_quan_chu_quan": f"UBND {kind} {place}".upper(),
        "co_quan_quan_ly": f"UBND {kind} {place}",
        "dia_danh": place,
        "hieu_truong": principal(index * 2 + district),
    }


def pairs() -> list[dict]:
    """One row per pair: a school of a phường of Hoàng Mai with one of a xã of Ứng Hòa, of the same level."""
    rows, index = [], 0
    for level_index, (level_name, short, count) in enumerate(LEVELS):
        full = {"THCS": "Trung học cơ sở"}.get(level_name, level_name)
        for n in range(count):
            first = school(full, short, HOANG_MAI[n % len(HOANG_MAI)], "phường", index, 0)
            second = school(full, short, UNG_HOA[(n + 2 * level_index) % len(UNG_HOA)], "xã", index, 1)
            first["cap_hoc"] = second["cap_hoc"] = level_name  # kept in the column's canonical spelling
            row = {"don_vi": [first, second], "so": None, "ngay": None, "noi_nhan_them": None}
            if n % 4 == 0:  # some pairs already have their number and date from the lead school's register
                row["so"] = f"{n + 1:02d}"
                row["ngay"] = date(2025, 10, 16 + n % 10)
            if n % 5 == 0:
                row["noi_nhan_them"] = f"Ban đại diện cha mẹ học sinh {first['ten']}; " \
                                       f"Ban đại diện cha mẹ học sinh {second['ten']}"
            rows.append(row)
            index += 1
    return rows


def main() -> None:
    path = HERE / "danh-sach-cap-truong.xlsx"
    write_roster_template(path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2)  # the template's example row
    keys = [column.key for column in COLUMNS]
    code_rows = [("hm_thcs_hoang_liet", "uh_thcs_van_dinh"), ("hm_th_linh_nam", "uh_th_hoa_xa")]
    for number, pair in enumerate(pairs(), start=1):
        values = {"so": pair["so"], "ngay": pair["ngay"], "noi_nhan_them": pair["noi_nhan_them"]}
        for side, unit in enumerate(pair["don_vi"]):
            values.update({f"don_vi.{side}.{k}": v for k, v in unit.items()})
        sheet.append([number if key == "" else values.get(key) for key in keys])
        sheet.cell(sheet.max_row, keys.index("ngay") + 1).number_format = "DD/MM/YYYY"
    for first, second in code_rows:  # schools written once in the schools file, named here by code
        values = {"don_vi.0.ma": first, "don_vi.1.ma": second}
        sheet.append([sheet.max_row if key == "" else values.get(key) for key in keys])
    workbook.save(path)
    print(f"Đã tạo: {path} ({sheet.max_row - 1} cặp trường)")


if __name__ == "__main__":
    main()
