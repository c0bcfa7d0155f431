#!/usr/bin/env python3
"""Write danh-sach-cap-truong.xlsx: the twinned pairs of quận Hoàng Mai and huyện Ứng Hòa (2023-2025).

The roster starts from `kehoach roster-template` (same headers, widths, validations, guide sheet)
and gets one row per pair: kindergartens, primary and lower-secondary schools of both districts.
School names follow the wards and communes of 2023; the principals' names are made up.
The last rows name their schools by code from truong-hoang-mai-ung-hoa.yaml.
Run from anywhere: python examples/batch/make_roster.py
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from kehoach.roster import COLUMNS, write_roster_template  # noqa: E402

HOANG_MAI = ["Đại Kim", "Định Công", "Giáp Bát", "Hoàng Liệt", "Hoàng Văn Thụ", "Lĩnh Nam", "Mai Động",
             "Tân Mai", "Thanh Trì", "Thịnh Liệt", "Trần Phú", "Tương Mai", "Vĩnh Hưng", "Yên Sở"]
UNG_HOA = ["Vân Đình", "Cao Thành", "Sơn Công", "Đồng Tiến", "Liên Bạt", "Hoa Sơn", "Viên An", "Viên Nội",
           "Trường Thịnh", "Quảng Phú Cầu", "Phương Tú", "Hòa Lâm", "Hòa Xá", "Hòa Nam", "Trầm Lộng", "Đại Hùng"]
LEVELS = [("Mầm non", "MN", 12), ("Tiểu học", "TH", 12), ("THCS", "THCS", 10)]
HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh"]
DEM = ["Thị", "Văn", "Thị Thu", "Thị Minh", "Đức", "Thị Thanh", "Hữu", "Thị Ngọc"]
TEN = ["Hà", "Lan", "Hương", "Hùng", "Nga", "Tuấn", "Hạnh", "Dũng", "Thủy", "Phương", "Yến", "Sơn", "Mai", "Bình"]


def principal(index: int) -> str:
    """A made-up, plausible full name, the same on every run."""
    return f"{HO[index % len(HO)]} {DEM[(index * 5) % len(DEM)]} {TEN[(index * 7) % len(TEN)]}"


def school(level: str, short: str, place: str, district: int, index: int) -> dict:
    hoang_mai = district == 0
    return {
        "ten": f"Trường {level} {place}",
        "ten_ngan": f"{short} {place}",
        "co_quan_chu_quan": "UBND QUẬN HOÀNG MAI" if hoang_mai else "UBND HUYỆN ỨNG HÒA",
        "dia_ban": "quận Hoàng Mai" if hoang_mai else "huyện Ứng Hòa",
        "dia_danh": "Hoàng Mai" if hoang_mai else "Ứng Hòa",
        "hieu_truong": principal(index * 2 + district),
    }


def pairs() -> list[dict]:
    """One row per pair: a school of Hoàng Mai with one of Ứng Hòa of the same level."""
    rows, index = [], 0
    for level_index, (level_name, short, count) in enumerate(LEVELS):
        full = {"THCS": "Trung học cơ sở"}.get(level_name, level_name)
        for n in range(count):
            first = school(full, short, HOANG_MAI[n % len(HOANG_MAI)], 0, index)
            second = school(full, short, UNG_HOA[(n + 2 * level_index) % len(UNG_HOA)], 1, index)
            first["cap_hoc"] = second["cap_hoc"] = level_name  # kept in the column's canonical spelling
            row = {"don_vi": [first, second], "so": None, "ngay": None, "noi_nhan_them": None}
            if n % 4 == 0:  # some pairs already have their number and date from the lead school's register
                row["so"] = f"{n + 1:02d}"
                row["ngay"] = date(2023, 10, 16 + n % 10)
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
