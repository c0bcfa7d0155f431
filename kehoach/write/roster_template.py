"""The blank roster template (.xlsx): the roster's columns with one example pair, the date and school-level
validations Excel checks as the clerk types, and a guide sheet."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from kehoach.input.dates import FIRST_YEAR, LAST_YEAR
from kehoach.input.roster.columns import CAP_HOC, COLUMNS
from kehoach.write.output import write_atomic


TEMPLATE_SHEET = "Danh sách"
GUIDE_SHEET = "Hướng dẫn"
TEMPLATE_ROWS = 1000  # rows that get the date and school-level validation


def _serial(day: date) -> str:
    """Excel's day number of a date, as a validation formula writes it."""
    return str(int(to_excel(day)))


def _build_template() -> openpyxl.Workbook:
    """The roster template: headers, one example pair, validations, and a guide sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    date_check = DataValidation(type="date", operator="between", formula1=_serial(date(FIRST_YEAR, 1, 1)),
                                formula2=_serial(date(LAST_YEAR, 12, 31)),
                                error="Nhập ngày dạng ngày/tháng/năm, ví dụ 16/9/2025.", showErrorMessage=True)
    level_check = DataValidation(type="list", formula1='"' + ",".join(CAP_HOC) + '"', allow_blank=True,
                                 error="Chọn cấp học trong danh sách.", showErrorMessage=True)
    sheet.add_data_validation(date_check)
    sheet.add_data_validation(level_check)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(1, index, column.header)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = column.width
        example = sheet.cell(2, index, column.example)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if column.kind == "date":
            example.number_format = "DD/MM/YYYY"
            date_check.add(cells)
        elif column.kind == "cap_hoc":
            level_check.add(cells)
        elif column.key == "so":
            sheet.column_dimensions[letter].number_format = "@"  # keep leading zeros: "05", not 5
            example.number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append(["Cột", "Ghi gì", "Ví dụ", "Bắt buộc"])
    for column in COLUMNS:
        example = column.example.strftime("%d/%m/%Y") if isinstance(column.example, date) else column.example
        required = "Có (nếu không ghi mã trường)" if column.required else "Không"
        guide.append([column.header, column.guide, example, required])
    for letter, width in zip("ABCD", (28, 70, 40, 26)):
        guide.column_dimensions[letter].width = width
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.freeze_panes = "A2"
    return workbook


def write_roster_template(path: Path) -> None:
    """Write the blank roster template (.xlsx) atomically (output.write_atomic)."""
    buffer = io.BytesIO()
    _build_template().save(buffer)
    write_atomic(Path(path), buffer.getvalue())
