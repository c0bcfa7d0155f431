"""The register printed as Decree 30's form (Phụ lục IV, sổ đăng ký văn bản đi): an Excel workbook to print and bind.

One sheet per unit and year (each is its own book of numbers): a title, the ten columns of the form, one
row per number; A4 landscape, fitted to the page width, the header rows repeated on every printed page.
"""

from __future__ import annotations

import io
from pathlib import Path

from kehoach.register.store import DA_HUY, GIU_SO, Dong

# Phụ lục IV's columns, with the widths (in characters) they print at on A4 landscape.
COT = (("Số, ký hiệu văn bản", 16), ("Ngày tháng văn bản", 11), ("Tên loại và trích yếu nội dung", 42),
       ("Người ký", 16), ("Nơi nhận văn bản", 26), ("Đơn vị, người nhận bản lưu", 12), ("Số lượng bản", 8),
       ("Ngày chuyển", 10), ("Ký nhận", 10), ("Ghi chú", 18))
HEADER_ROW = 3  # title, blank line, then the columns


def _cells(dong: Dong) -> list:
    """One register row as the form's ten cells; a voided number says so in its Ghi chú and keeps its row."""
    note = dong.ghi_chu
    if dong.trang_thai == DA_HUY:
        note = f"ĐÃ HỦY SỐ: {dong.ly_do_huy}"
    elif dong.trang_thai == GIU_SO:
        note = note or "Đã giữ số, văn bản chưa tạo xong"
    return [dong.so_ky_hieu, dong.ngay_viet, dong.ten_loai_trich_yeu, dong.nguoi_ky, dong.noi_nhan, dong.ban_luu,
            dong.so_luong_ban, dong.ngay_chuyen, dong.ky_nhan, note]


def workbook_bytes(rows: list[Dong]) -> bytes:
    """The .xlsx of the register's rows (already in order), one sheet per unit and year."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    books: dict[tuple[str, int], list[Dong]] = {}
    for dong in rows:
        books.setdefault((dong.don_vi, dong.nam), []).append(dong)
    for (don_vi, nam), entries in books.items() or {("", 0): []}.items():  # an empty register: the form alone
        sheet = book.create_sheet(_sheet_title(don_vi, nam, book.sheetnames))
        sheet.append([f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {nam} — {entries[0].ten_don_vi}" if entries else "SỔ ĐĂNG KÝ VĂN BẢN ĐI"])
        sheet["A1"].font = Font(name="Times New Roman", bold=True, size=14)
        sheet.append([])
        sheet.append([name for name, _ in COT])
        for cell in sheet[HEADER_ROW]:
            cell.font = Font(name="Times New Roman", bold=True, size=11)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = border
        for dong in entries:
            sheet.append(_cells(dong))
            for cell in sheet[sheet.max_row]:
                cell.font = Font(name="Times New Roman", size=11, strike=dong.trang_thai == DA_HUY and cell.column != 10)
                cell.alignment = wrap
                cell.border = border
        for index, (_, width) in enumerate(COT, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the year needs
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(don_vi: str, nam: int, used: list[str]) -> str:
    """"MNHS 2025": at most 31 characters, none of those Excel refuses, unique in the workbook."""
    base = "".join("-" if c in "[]:*?/\\" else c for c in f"{don_vi} {nam}")[:31] if don_vi else "So dang ky"
    title, n = base, 1
    while title in used:
        n += 1
        title = f"{base[:27]} ({n})"
    return title


def write_register(rows: list[Dong], path: Path) -> None:
    """Write the register's workbook atomically (never half a file, never a read-only file overwritten)."""
    from kehoach.write.output import write_atomic

    write_atomic(path, workbook_bytes(rows))
