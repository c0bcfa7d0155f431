"""Roster reading: each quirk of real district rosters is built here with openpyxl and read back."""

from __future__ import annotations

import codecs
import re
import unicodedata
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import SCHOOL_HEADERS, VIETNAMESE, add_cached_value, edit_sheet_xml, pair, save_workbook

from kehoach.input.dates import FIRST_YEAR, LAST_YEAR
from kehoach.errors import InputError, OutputError
from kehoach.input.roster import COLUMNS, SAMPLE_ROW, Roster, read_roster
from kehoach.input.roster.columns import _normalise, _read_header
from kehoach.input.roster.table import _as_date
from kehoach.write.roster_template import write_roster_template

CELL_REF = re.compile(r"^[^!]+![A-Z]+[0-9]+$")


def schools(row) -> list[dict]:
    return row.data["don_vi"]


def assert_readable(roster: Roster) -> None:
    """Every problem and warning is Vietnamese and points at a Sheet!Cell."""
    for item in roster.problems + roster.warnings:
        assert CELL_REF.match(item.where.cell), item
        assert VIETNAMESE.search(item.message) and VIETNAMESE.search(item.hint), item


# ---------------------------------------------------------------- template


def test_template_sample_row_is_skipped_and_a_row_typed_over_it_reads_back(tmp_path):
    path = tmp_path / "mau.xlsx"
    write_roster_template(path)
    roster = read_roster(path)
    assert roster.problems == roster.warnings == roster.rows == []
    assert roster.skipped == [("Danh sách", 2, SAMPLE_ROW)]  # the sample never becomes a plan

    workbook = openpyxl.load_workbook(path)
    workbook["Danh sách"]["W2"] = "Trần Thị Minh Hằng"  # a real pair typed over the sample
    workbook.save(path)
    roster = read_roster(path)
    assert roster.problems == roster.warnings == roster.skipped == []
    [row] = roster.rows
    assert (row.sheet, row.row) == ("Danh sách", 2)
    assert row.data == {
        "so": "05",
        "ngay": date(2025, 9, 16),
        "noi_nhan_them": ["Phòng Văn hóa - Xã hội phường Hoàng Liệt", "Phòng Văn hóa - Xã hội xã Ứng Hòa"],
        "don_vi": [
            {"ten": "Trường Mầm non Hoàng Liệt", "ten_ngan": "MN Hoàng Liệt", "ky_hieu": "MNHL", "cap_hoc": "Mầm non",
             "co_quan_chu_quan": "UBND PHƯỜNG HOÀNG LIỆT", "co_quan_quan_ly": "UBND phường Hoàng Liệt",
             "dia_ban": "phường Hoàng Liệt",
             "dia_danh": "Hoàng Liệt", "hieu_truong": "Nguyễn Thị Thu Hà"},
            {"ten": "Trường Mầm non Hoa Sơn", "ten_ngan": "MN Hoa Sơn", "ky_hieu": "MNHS", "cap_hoc": "Mầm non",
             "co_quan_chu_quan": "UBND XÃ ỨNG HÒA", "co_quan_quan_ly": "UBND xã Ứng Hòa", "dia_ban": "xã Ứng Hòa",
             "dia_danh": "Ứng Hòa",
             "hieu_truong": "Trần Thị Minh Hằng"},
        ],
    }
    assert row.cells["ngay"] == "Danh sách!C2"
    assert row.cells["don_vi.1.hieu_truong"] == "Danh sách!W2"  # each school has 10 columns since «Ký hiệu»
    assert len(row.cells) == len(COLUMNS) - 1  # every column but STT


def test_template_layout(tmp_path):
    path = tmp_path / "mau.xlsx"
    write_roster_template(path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Danh sách", "Hướng dẫn"]
    sheet = workbook["Danh sách"]
    assert [c.value for c in sheet[1]] == [col.header for col in COLUMNS]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width == 32  # Tên trường 1
    assert sheet["G1"].value == "Ký hiệu trường 1" and sheet["G2"].value == "MNHL"
    assert sheet.column_dimensions["B"].number_format == "@" and sheet["B2"].value == "05"
    validations = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    assert str(validations["date"].sqref) == "C2:C1001"
    assert set(str(validations["list"].sqref).split()) == {"H2:H1001", "R2:R1001"}
    assert "Mầm non" in validations["list"].formula1
    guide = workbook["Hướng dẫn"]
    assert [c.value for c in guide[1]] == ["Cột", "Ghi gì", "Ví dụ", "Bắt buộc"]
    assert [r[0].value for r in guide.iter_rows(min_row=2)] == [col.header for col in COLUMNS]
    assert guide["C4"].value == "16/09/2025"
    assert guide["A8"].value == "Ký hiệu trường 1" and "KHLT-MNHL-MNHS" in guide["B8"].value
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind


def test_template_into_missing_folder_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match=r"thư mục '.*khong-co' không tồn tại"):
        write_roster_template(tmp_path / "khong-co" / "mau.xlsx")


# ---------------------------------------------------------------- header


@pytest.mark.parametrize("header, key", [
    ("Tên trường 1", "don_vi.0.ten"),
    ("  TÊN   TRƯỜNG 1 ", "don_vi.0.ten"),
    ("Trường thứ nhất - Tên", "don_vi.0.ten"),
    ("Hiệu trưởng trường 1", "don_vi.0.hieu_truong"),
    ("Trường B: Họ và tên hiệu trưởng", "don_vi.1.hieu_truong"),
    ("Tên viết tắt trường thứ hai", "don_vi.1.ten_ngan"),
    ("Số VB", "so"),
    ("Ngày ký", "ngay"),
    ("S.T.T", ""),
    # as districts write them (issue 10 §3)
    ("Trường 1", "don_vi.0.ten"),
    ("Trường thứ hai", "don_vi.1.ten"),
    ("Hiệu trưởng 2", "don_vi.1.hieu_truong"),
    ("HT trường 1", "don_vi.0.hieu_truong"),
    ("Phường/xã trường 2", "don_vi.1.dia_ban"),
    ("Ký hiệu trường 1", "don_vi.0.ky_hieu"),
    ("Chữ viết tắt trường 2", "don_vi.1.ky_hieu"),
    ("Cấp học", "cap_hoc"),
    ("Cấp", "cap_hoc"),
])
def test_header_aliases(header, key):
    assert _read_header(header, None)[0].key == key


def test_title_row_and_merged_group_headers(tmp_path):
    def edit(ws):
        ws.merge_cells("A1:I1")
        for cols in ("A2:A3", "B2:B3", "C2:C3"):
            ws.merge_cells(cols)
        ws.merge_cells("D2:F2")
        ws.merge_cells("G2:I2")

    path = save_workbook(tmp_path, [
        ["DANH SÁCH CÁC CẶP TRƯỜNG KẾT NGHĨA"],
        ["STT", "Số văn bản", "Ngày văn bản", "Trường thứ nhất", None, None, "Trường thứ hai"],
        [None, None, None, "Tên", "Cấp học", "Hiệu trưởng", "Tên", "Cấp học", "Hiệu trưởng"],
        [1, "12", "16/9/2025", "Trường Tiểu học Lĩnh Nam", "Tiểu học", "Đỗ Thị Hoa",
         "Trường Tiểu học Phương Tú", "Trung học cơ sở", "Vũ Văn Nam"],
    ], edit=edit)
    roster = read_roster(path)
    assert roster.problems == []
    # read under their group header, each says how it was read (the template writes "Tên trường 1" …)
    assert [(w.where.cell, w.message) for w in roster.warnings] == [
        ("Sheet1!D3", "Cột D «Trường thứ nhất / Tên» được đọc là «Tên trường 1»."),
        ("Sheet1!E3", "Cột E «Trường thứ nhất / Cấp học» được đọc là «Cấp học trường 1»."),
        ("Sheet1!F3", "Cột F «Trường thứ nhất / Hiệu trưởng» được đọc là «Hiệu trưởng trường 1»."),
        ("Sheet1!G3", "Cột G «Trường thứ hai / Tên» được đọc là «Tên trường 2»."),
        ("Sheet1!H3", "Cột H «Trường thứ hai / Cấp học» được đọc là «Cấp học trường 2»."),
        ("Sheet1!I3", "Cột I «Trường thứ hai / Hiệu trưởng» được đọc là «Hiệu trưởng trường 2»."),
    ]
    [row] = roster.rows
    assert row.row == 4
    assert row.data == {
        "so": "12", "ngay": date(2025, 9, 16), "noi_nhan_them": [],
        "don_vi": [{"ten": "Trường Tiểu học Lĩnh Nam", "cap_hoc": "Tiểu học", "hieu_truong": "Đỗ Thị Hoa"},
                   {"ten": "Trường Tiểu học Phương Tú", "cap_hoc": "THCS", "hieu_truong": "Vũ Văn Nam"}],
    }
    assert row.cells == {"so": "Sheet1!B4", "ngay": "Sheet1!C4", "don_vi.0.ten": "Sheet1!D4",
                         "don_vi.0.cap_hoc": "Sheet1!E4", "don_vi.0.hieu_truong": "Sheet1!F4",
                         "don_vi.1.ten": "Sheet1!G4", "don_vi.1.cap_hoc": "Sheet1!H4",
                         "don_vi.1.hieu_truong": "Sheet1!I4"}


def test_one_place_column_gives_the_other_with_the_kind_from_the_managing_body(tmp_path):
    path = save_workbook(tmp_path, [
        [*SCHOOL_HEADERS, "Cơ quan chủ quản trường 1", "Địa danh trường 1", "Địa bàn trường 2", "Cấp học",
         "Cấp học trường 2"],
        [*pair(), "UBND PHƯỜNG HOÀNG MAI", "Hoàng Mai", "xã Ứng Hòa", "THCS", None],
        [*pair(), "UBND QUẬN HOÀNG MAI", "Hoàng Mai", None, "Tiểu học", "THCS"],  # before 1 July 2025
        [*pair(), "Ủy ban nhân dân thị xã Sơn Tây", "Sơn Tây", None, None, None],
        [*pair(), "UBND HUYỆN ỨNG HÒA", "Vân Đình", None, None, None],  # the body governs another place
    ])
    roster = read_roster(path)
    assert roster.problems == roster.warnings == []
    first, before, town, other = roster.rows
    assert [(s.get("dia_ban"), s.get("dia_danh"), s.get("cap_hoc")) for s in schools(first)] == [
        ("phường Hoàng Mai", "Hoàng Mai", "THCS"), ("xã Ứng Hòa", "Ứng Hòa", "THCS")]  # one «Cấp học» for both
    # a derived value is located at the column it came from
    assert first.cells["don_vi.0.dia_ban"] == "Sheet1!F2" and first.cells["don_vi.1.dia_danh"] == "Sheet1!G2"
    assert first.cells["don_vi.0.cap_hoc"] == first.cells["don_vi.1.cap_hoc"] == "Sheet1!H2"
    assert [s.get("cap_hoc") for s in schools(before)] == ["Tiểu học", "THCS"]  # a school's own column wins
    assert schools(before)[0]["dia_ban"] == "quận Hoàng Mai"
    assert schools(town)[0]["dia_ban"] == "thị xã Sơn Tây"
    assert "dia_ban" not in schools(other)[0]  # never guessed: reported where a sentence needs it


def test_merged_data_cells_repeat_their_value(tmp_path):
    path = save_workbook(tmp_path, [
        [*SCHOOL_HEADERS, "Cơ quan chủ quản trường 1"],
        [*pair(), "UBND PHƯỜNG HOÀNG LIỆT"],
        [*pair(ten1="Trường THCS Lĩnh Nam"), None],
    ], edit=lambda ws: ws.merge_cells("E2:E3"))
    roster = read_roster(path)
    assert [schools(r)[0]["co_quan_chu_quan"] for r in roster.rows] == ["UBND PHƯỜNG HOÀNG LIỆT"] * 2


def test_unknown_columns_are_ignored_with_one_warning_each(tmp_path):
    path = save_workbook(tmp_path, [[*SCHOOL_HEADERS, "Hieu truong truong 3", "Ghi chú"], [*pair(), "x", "y"]])
    roster = read_roster(path)
    assert len(roster.rows) == 1 and roster.problems == []
    first, second = roster.warnings
    assert first.where.cell == "Sheet1!E1"
    assert first.message == "Cột E «Hieu truong truong 3» không có trong mẫu nên bị bỏ qua."
    assert "«Hiệu trưởng trường" in first.hint
    assert second.where.cell == "Sheet1!F1" and "«Ghi chú»" in second.message
    assert_readable(roster)


def test_repeated_column_is_ignored_with_a_warning(tmp_path):
    path = save_workbook(tmp_path, [[*SCHOOL_HEADERS, "TÊN TRƯỜNG 1"], [*pair(), "Trường khác"]])
    roster = read_roster(path)
    assert schools(roster.rows[0])[0]["ten"] == "Trường THCS Hoàng Liệt"
    [warning] = roster.warnings
    assert (warning.where.cell, warning.message) == (
        "Sheet1!E1", "Cột E «TÊN TRƯỜNG 1» trùng với cột A nên bị bỏ qua.")


def test_missing_required_columns_fail_the_whole_file(tmp_path):
    path = save_workbook(tmp_path, [["STT", "Tên trường 1", "Tên trường 2", "Hiệu trưởng trường 2"], [1, "a", "b", "c"]])
    with pytest.raises(InputError) as caught:
        read_roster(path)
    [problem] = caught.value.problems
    assert problem.where.cell == "Sheet1!A1"
    assert problem.message == "Thiếu cột bắt buộc: «Hiệu trưởng trường 1»."
    assert "Tên ngắn trường 1" in problem.hint  # lists the expected headers


def test_school_code_column_makes_name_and_principal_optional(tmp_path):
    path = save_workbook(tmp_path, [["Mã trường 1", "Mã trường 2", "Số văn bản"], ["HM-MN-01", "UH-MN-07", "3"]])
    [row] = read_roster(path).rows
    assert row.data["don_vi"] == [{"ma": "HM-MN-01"}, {"ma": "UH-MN-07"}]


def test_no_header_row(tmp_path):
    path = save_workbook(tmp_path, [["Họ tên", "Lớp"], ["An", "5A"]])
    with pytest.raises(InputError, match="Không tìm thấy dòng tiêu đề"):
        read_roster(path)


# ---------------------------------------------------------------- rows and cells


def test_blank_and_hidden_rows_are_skipped(tmp_path):
    def edit(ws):
        ws.row_dimensions[4].hidden = True

    path = save_workbook(tmp_path, [
        ["STT", *SCHOOL_HEADERS],
        [1, *pair()],
        [2, None, "  ", None, None],  # pre-numbered but empty
        [3, *pair(ten1="Trường THCS Ẩn")],
        [4, *pair(ten1="Trường THCS Định Công")],
        [None] * 5,
        [5],  # trailing pre-numbered rows are not listed
    ], edit=edit)
    roster = read_roster(path)
    assert [r.row for r in roster.rows] == [2, 5]
    assert roster.skipped == [("Sheet1", 3, "dòng trống"), ("Sheet1", 4, "dòng bị ẩn")]


def test_spaces_and_unicode_forms_are_cleaned(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Trường Tiểu học Lĩnh Nam")
    path = save_workbook(tmp_path, [SCHOOL_HEADERS + ["Nơi nhận thêm"],
                           [f"  {decomposed}\u00a0 ", " Lê   Văn\nAn ", *pair()[2:], "Sở GDĐT;\n UBND phường ;;"]])
    [row] = read_roster(path).rows
    assert schools(row)[0] == {"ten": "Trường Tiểu học Lĩnh Nam", "hieu_truong": "Lê Văn An"}
    assert row.data["noi_nhan_them"] == ["Sở GDĐT", "UBND phường"]


def test_document_numbers_keep_what_the_clerk_sees(tmp_path):
    def edit(ws):
        ws["E2"].number_format = "00"
        ws["E5"].number_format = "@"

    path = save_workbook(tmp_path, [[*SCHOOL_HEADERS, "Số văn bản"],
                           [*pair(), 5], [*pair(), 12], [*pair(), "007"], [*pair(), 5.0], [*pair(), "05"]],
                edit=edit)
    assert [r.data["so"] for r in read_roster(path).rows] == ["05", "12", "007", "5", "05"]


def test_dates_in_every_form(tmp_path):
    path = save_workbook(tmp_path, [[*SCHOOL_HEADERS, "Ngày văn bản"],
                           [*pair(), datetime(2025, 9, 16, 8, 30)], [*pair(), 45916], [*pair(), "16/9/2025"],
                           [*pair(), "16/09/2025"], [*pair(), "2025-09-16"], [*pair(), "ngày 16 tháng 9 năm 2025"],
                           [*pair(), "16.9.2025"]])
    roster = read_roster(path)
    assert roster.problems == []
    assert [r.data["ngay"] for r in roster.rows] == [date(2025, 9, 16)] * 7


def test_impossible_and_unreadable_dates_are_row_problems(tmp_path):
    path = save_workbook(tmp_path, [[*SCHOOL_HEADERS, "Ngày văn bản"],
                           [*pair(), "31/02/2025"], [*pair(), "tháng 9"], [*pair(), "1/9/2025"]])
    roster = read_roster(path)
    assert [r.row for r in roster.rows] == [4]
    impossible, unreadable = roster.problems
    assert impossible.where.cell == "Sheet1!E2"
    assert impossible.message == "Ngày «31/02/2025» không có thật (ngày 31 tháng 2 năm 2025)."
    assert unreadable.where.cell == "Sheet1!E3" and unreadable.message == "Không đọc được ngày «tháng 9»."
    assert_readable(roster)


def test_missing_school_fields_and_bad_level_are_row_problems(tmp_path):
    path = save_workbook(tmp_path, [[*SCHOOL_HEADERS, "Cấp học trường 1"],
                           ["Trường THCS Hoàng Liệt", None, "Trường THCS Hòa Xá", "Phạm Thị Bình", "THCS"],
                           [*pair(), "Đại học"]])
    roster = read_roster(path)
    assert roster.rows == []
    assert [(p.where.cell, p.message) for p in roster.problems] == [
        ("Sheet1!B2", "Thiếu «Hiệu trưởng trường 1»."),
        ("Sheet1!E3", "Cấp học «Đại học» không hợp lệ."),
    ]
    assert_readable(roster)


def test_formulas_use_cached_values_or_report_none(tmp_path):
    path = save_workbook(tmp_path, [[*SCHOOL_HEADERS, "Cơ quan chủ quản trường 1"],
                           [*pair(), '=UPPER("UBND phường Hoàng Liệt")'],
                           [*pair(), '=UPPER("UBND phường Yên Sở")'],
                           ['=UPPER("Trường THCS Yên Sở")', *pair()[1:], None]])
    add_cached_value(path, "E2", "UBND PHƯỜNG HOÀNG LIỆT")
    roster = read_roster(path)
    [row] = roster.rows
    assert schools(row)[0]["co_quan_chu_quan"] == "UBND PHƯỜNG HOÀNG LIỆT"
    assert [p.where.cell for p in roster.problems] == ["Sheet1!E3", "Sheet1!A4"]  # not also "Thiếu" at A4
    assert all("chưa có giá trị đã tính" in p.message for p in roster.problems)
    assert_readable(roster)


def test_every_problem_and_warning_is_vietnamese_with_a_cell(tmp_path):
    path = save_workbook(tmp_path, [
        [*SCHOOL_HEADERS, "Ngày văn bản", "Cấp học trường 2", "Cơ quan chủ quản trường 1", "Ghi chú", "Tên trường 1"],
        [*pair(), "31/02/2025"],
        [*pair(), "hôm qua"],
        [*pair(), None, "Đại học"],
        [*pair(), None, None, "=UPPER(A5)"],
        [None, *pair()[1:]],
    ])
    roster = read_roster(path)
    assert roster.rows == []
    assert [p.where.cell for p in roster.problems] == ["Sheet1!E2", "Sheet1!E3", "Sheet1!F4", "Sheet1!G5", "Sheet1!A6"]
    assert [w.where.cell for w in roster.warnings] == ["Sheet1!H1", "Sheet1!I1"]
    assert_readable(roster)


# ---------------------------------------------------------------- sheets and files


def test_first_visible_sheet_with_the_header_is_read(tmp_path):
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    hidden.title = "Cũ"
    hidden.append(SCHOOL_HEADERS)
    hidden.append(pair(ten1="Trường cũ"))
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Ghi chú").append(["Danh sách lập ngày 01/9/2025"])
    for title, name in (("Đợt 1", "Trường THCS Lĩnh Nam"), ("Đợt 2", "Trường THCS Yên Sở")):
        sheet = workbook.create_sheet(title)
        sheet.append(SCHOOL_HEADERS)
        sheet.append(pair(ten1=name))
    path = tmp_path / "nhieu-trang.xlsx"
    workbook.save(path)
    [row] = read_roster(path).rows
    assert (row.sheet, schools(row)[0]["ten"]) == ("Đợt 1", "Trường THCS Lĩnh Nam")
    assert schools(read_roster(path, sheet="Đợt 2").rows[0])[0]["ten"] == "Trường THCS Yên Sở"
    with pytest.raises(InputError, match="không có trang tính «Đợt 3»"):
        read_roster(path, sheet="Đợt 3")


def test_csv_with_semicolons_and_bom(tmp_path):
    path = tmp_path / "danh-sach.csv"
    text = ('STT;Số văn bản;Tên trường 1;Hiệu trưởng trường 1;Tên trường 2;Hiệu trưởng trường 2;Nơi nhận thêm\r\n'
            '1;05;Trường THCS Hoàng Liệt;Lê Văn An;"Trường THCS Hòa Xá, Ứng Hòa";Phạm Thị Bình;"Sở GDĐT\nCông đoàn"\r\n'
            ';;;;;;\r\n'
            '2;06;Trường THCS Yên Sở;;Trường THCS Vạn Thái;Ngô Văn Cường;\r\n')
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    roster = read_roster(path)
    [row] = roster.rows
    assert (row.sheet, row.row, row.data["so"]) == ("danh-sach", 2, "05")
    assert schools(row)[1]["ten"] == "Trường THCS Hòa Xá, Ứng Hòa"
    assert row.data["noi_nhan_them"] == ["Sở GDĐT", "Công đoàn"]
    assert roster.skipped == [("danh-sach", 3, "dòng trống")]
    [problem] = roster.problems
    assert problem.where.cell == "danh-sach!D4"
    assert_readable(roster)


def _cp1258(text: str) -> bytes:
    """Windows-1258 writes tone marks as separate combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tone = "".join(m for m in decomposed if m in tones)
        out.append(unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones)) + tone)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-16"), lambda t: t.encode("utf-8")])
def test_csv_encodings(tmp_path, encode):
    path = tmp_path / "ds.csv"
    path.write_bytes(encode(",".join(SCHOOL_HEADERS) + "\n" + ",".join(pair()) + "\n"))
    [row] = read_roster(path).rows
    assert schools(row)[0] == {"ten": "Trường THCS Hoàng Liệt", "hieu_truong": "Lê Văn An"}


def test_csv_in_windows_1258_is_refused_as_a_plan_file_is(tmp_path):
    """Excel's "CSV (Comma delimited)" on a Vietnamese Windows: letters outside Windows-1258 are already lost."""
    path = tmp_path / "ds.csv"
    path.write_bytes(_cp1258(",".join(SCHOOL_HEADERS) + "\n" + ",".join(pair()) + "\n"))
    with pytest.raises(InputError, match="Windows-1258") as caught:
        read_roster(path)
    [problem] = caught.value.problems
    assert (problem.where.line, problem.where.column) == (1, 7) and "CSV UTF-8" in problem.hint


@pytest.mark.parametrize("name, content, message", [
    ("khong-co.xlsx", None, "Không tìm thấy tệp"),
    ("hong.xlsx", b"day khong phai la bang tinh", "không phải là bảng tính Excel"),
    ("cu.xls", b"\xd0\xcf\x11\xe0", "Excel 97-2003"),
    ("ds.ods", b"x", "không phải bảng tính .xlsx hay .csv"),
])
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_roster(path)
    assert name in str(caught.value)


def test_damaged_sheet(tmp_path):
    path = save_workbook(tmp_path, [SCHOOL_HEADERS, pair()])
    edit_sheet_xml(path, lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InputError, match="đã bị hỏng"):
        read_roster(path)


def test_locked_file(tmp_path, monkeypatch):
    path = save_workbook(tmp_path, [SCHOOL_HEADERS])

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("kehoach.input.roster.xlsx.openpyxl.load_workbook", locked)
    with pytest.raises(InputError, match="đang bị khoá") as caught:
        read_roster(path)
    assert "Đóng tệp trong Excel" in caught.value.problems[0].hint


def test_ten_thousand_rows_stream(tmp_path):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["STT", "Số văn bản", *SCHOOL_HEADERS])
    for number in range(1, 10_001):
        sheet.append([number, f"{number:03}", *pair(ten1=f"Trường số {number}")])
    path = tmp_path / "lon.xlsx"
    workbook.save(path)
    roster = read_roster(path)
    assert len(roster.rows) == 10_000 and roster.problems == []
    assert roster.rows[-1].row == 10_001 and roster.rows[-1].data["so"] == "10000"


# ---------------------------------------------------------------- properties


@given(st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31)), st.booleans())
def test_day_first_text_dates_round_trip(day, padded):
    text = day.strftime("%d/%m/%Y") if padded else f"{day.day}/{day.month}/{day.year}"
    assert _as_date(text, "General") == day


@given(st.text())
def test_normalise_is_idempotent(text):
    once = _normalise(text)
    assert _normalise(once) == once


def test_open_roster_streams_rows_bad_rows_and_skipped_in_order(tmp_path):
    from kehoach.input.roster import BadRow, RosterRow, Skipped, open_roster

    path = save_workbook(tmp_path, [["Ghi chú", "Ngày văn bản", *SCHOOL_HEADERS],
                           ["x", "16/9/2025", *pair()],
                           ["", "  ", None, None, None, None],
                           ["y", "31/2/2025", *pair()],
                           ["z", None, *pair(ten1="Trường ẩn")]],
                edit=lambda ws: setattr(ws.row_dimensions[5], "hidden", True))
    with open_roster(path) as stream:
        assert stream.expected == 4 and [w.where.cell for w in stream.warnings] == ["Sheet1!A1"]
        items = list(stream)
    assert [type(item) for item in items] == [RosterRow, Skipped, BadRow, Skipped]
    assert items[1] == ("Sheet1", 3, "dòng trống") and items[3].reason == "dòng bị ẩn"
    assert items[2].row == 4 and [p.where.cell for p in items[2].problems] == ["Sheet1!B4"]
    assert items[2].data["don_vi"][0]["ten"] == "Trường THCS Hoàng Liệt"  # what could be read is kept
