"""Clean pages for any names: the PDF LibreOffice makes, read as a reader reads it.

Every THCS pair of the example roster, names of 60+ characters and a 30-word centre's name go through
`kehoach batch --pdf`, the example plans through `kehoach render --pdf`. On every page: no line ends in
a hyphen (neither one that joins "2021-2025", "GDNN-GDTX", "119/GDĐT-HC" nor a spaced dash); in the
header and the signature blocks no line holds a single word; side-by-side signature blocks at least
5 mm apart; the last page holds the end of the body with the signatures, never only the tail.
Needs LibreOffice and poppler-utils: skipped without them on a developer machine, a failure on CI.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pdfcheck
import pytest
from docx.table import Table
from docxread import blocks, open_docx, read, table_paragraphs
from pdfcheck import MM
from support import DISTRICT_MEMO, EXAMPLES, PLAN, ROSTER, run, save_workbook

from kehoach.model.doctypes import LOAI
from kehoach.model.vanban import DO_KHAN

THCS = ("THCS", "Trung học cơ sở")
# Where the blocks meet: the header's left column ends 5 mm into the left margin + 82 mm; the two
# signature cells share the text width, 30 mm from the left edge, 165 mm wide.
HEADER_LEFT_END = (30 - 5 + 82) * MM
SIGNATURES_MIDDLE = (30 + 165 / 2) * MM
GAP_MM = 5

LONG = [  # (name, short name) of each side: 60+ characters, hyphenated symbols, a 30-word centre
    (("Trường Trung học cơ sở Chu Văn An thuộc Hệ thống Giáo dục Liên cấp Quốc tế Hoàng Mai",
      "THCS Chu Văn An Liên cấp Quốc tế"),
     ("Trường Trung học cơ sở và Trung học phổ thông Nguyễn Bỉnh Khiêm Ứng Hòa",
      "THCS-THPT Nguyễn Bỉnh Khiêm")),
    (("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên và Hướng nghiệp Dạy nghề cho Người khuyết tật "
      "phường Hoàng Liệt thành phố Hà Nội khu vực phía Nam số Hai mươi bốn",
      "TT GDNN-GDTX Hoàng Liệt"),
     ("Trường Trung học cơ sở Quảng Phú Cầu Ứng Hòa", "THCS Quảng Phú Cầu")),
]


def example_rows() -> tuple[list, dict[str, int], list[list]]:
    """The example roster's header, its columns by name, and its rows of pairs."""
    sheet = openpyxl.load_workbook(ROSTER).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    return header, {name: index for index, name in enumerate(header)}, rows


def long_names_roster(path: Path) -> Path:
    """The example roster's THCS pairs, then pairs with long names, under the roster's own headers."""
    header, column, rows = example_rows()
    rows = [row for row in rows
            if row[column["Cấp học trường 1"]] in THCS or THCS[1] in str(row[column["Tên trường 1"]])]
    assert len(rows) >= 10
    for number, sides in enumerate(LONG):
        row = list(rows[number])
        for side, (name, short) in enumerate(sides, start=1):
            row[column[f"Tên trường {side}"]] = name
            row[column[f"Tên ngắn trường {side}"]] = short
        rows.append(row)
    return save_workbook(path.parent, [header, *rows], path.name)


# With the example roster's pairs, 37 rows put the last one alone on a page of the district memorandum.
PAIRS = 37


def many_pairs_roster(path: Path) -> Path:
    """The example roster's pairs continued, with second campuses, to PAIRS rows."""
    header, column, rows = example_rows()
    for index in range(PAIRS - len(rows)):
        row = list(rows[index])
        for side in (1, 2):
            for key, suffix in ((f"Tên trường {side}", " cơ sở 2"), (f"Tên ngắn trường {side}", " CS2")):
                if row[column[key]]:
                    row[column[key]] += suffix
        rows.append(row)
    for number, row in enumerate(rows[:PAIRS], start=1):
        row[column["STT"]] = number
    return save_workbook(path.parent, [header, *rows[:PAIRS]], path.name)


@pytest.fixture(scope="module")
def pdfs(soffice, tmp_path_factory) -> dict[str, list[Path]]:
    """PDFs by kind: the batch plans of long names (joint), the district memorandum, the example plans."""
    out = tmp_path_factory.mktemp("pages")
    roster = long_names_roster(out / "ds-ten-dai.xlsx")
    for args in (["batch", str(roster), "--plan", str(PLAN), "-o", str(out / "batch"), "--pdf"],
                 ["batch", str(many_pairs_roster(out / "ds-37.xlsx")), "--plan", str(DISTRICT_MEMO), "--gop", "-o",
                  str(out / "gop"), "--pdf"],
                 ["render", str(EXAMPLES), "-o", str(out / "examples"), "--pdf"]):
        result = run(*args)
        assert result.code == 0, result.err
    found = {kind: sorted((out / kind).glob("*.pdf")) for kind in ("batch", "gop", "examples")}
    assert len(found["batch"]) >= len(LONG) + 10 and found["gop"] and found["examples"]
    return found


def all_pdfs(pdfs) -> list[Path]:
    return [pdf for group in pdfs.values() for pdf in group]


def test_the_long_names_reach_the_documents(pdfs):
    # The roster's long names are printed whole in the header, broken only where kehoach broke them.
    printed = []
    for pdf in pdfs["batch"]:
        document = open_docx(pdf.with_suffix(".docx").read_bytes())
        for block in blocks(document):
            printed += [read(p.text) for p in (table_paragraphs(block) if isinstance(block, Table) else [block])]
    printed_text = " ".join(" ".join(printed).split())
    for sides in LONG:
        for name, _ in sides:
            assert name.upper() in printed_text, name
    assert any(len(name.split()) >= 30 for sides in LONG for name, _ in sides)
    assert all(len(name) >= 60 for name, _ in LONG[0])


def test_no_line_ends_in_a_hyphen(pdfs):
    """A hyphen that joins (2021-2025, GDNN-GDTX, 119/GDĐT-HC) and a spaced dash never end a line."""
    ends = []
    for pdf in all_pdfs(pdfs):
        for page in range(1, pdfcheck.page_count(pdf) + 1):
            for line in pdfcheck.layout_lines(pdf, page):
                if line and line[-1].text.endswith(("-", "–")):
                    ends.append(f"{pdf.name} p.{page}: …{' '.join(w.text for w in line[-4:])}")
    assert not ends, "\n".join(ends)


def header_left_rows(pdf: Path) -> list[list[pdfcheck.Word]]:
    """Page 1's left header column (managing bodies, issuers, number, a công văn's "V/v …"), line by line, above
    the title (or, without one, the "Kính gửi:"), the urgency mark's box left out (one word by nature)."""
    rows = pdfcheck.rows_of_words(pdf, 1)
    titles = {kind.ten for kind in LOAI.values()}
    title = next(row for row in rows if text(row) in titles or text(row).startswith("Kính gửi:"))
    left = [[w for w in row if w.centre < HEADER_LEFT_END] for row in rows if row[0].y1 < title[0].y0]
    return [row for row in left if row and text(row) not in DO_KHAN]


def signature_rows(pdf: Path) -> tuple[int, list[list[pdfcheck.Word]]]:
    """The last page, and its lines between the end of the body ("./.") and "Nơi nhận:" (or the page's end)."""
    page = pdfcheck.page_count(pdf)
    rows = pdfcheck.rows_of_words(pdf, page)
    end = next((i for i, row in enumerate(rows) if row[-1].text.endswith("./.")), -1)
    stop = next((i for i, row in enumerate(rows) if row[0].text == "Nơi" and row[1].text == "nhận:"), len(rows))
    return page, rows[end + 1:stop]


def text(words) -> str:
    return " ".join(w.text for w in words)


def test_header_names_never_leave_a_word_alone(pdfs):
    lone = [f"{pdf.name}: {text(row)!r}" for pdf in [*pdfs["batch"], *pdfs["gop"], *pdfs["examples"]]
            for row in header_left_rows(pdf) if len(row) == 1]
    assert not lone, "\n".join(lone)


def test_side_by_side_signatures_are_apart_and_never_leave_a_word_alone(pdfs):
    for pdf in [*pdfs["batch"]]:
        page, rows = signature_rows(pdf)
        assert rows, f"{pdf.name}: no signature row on page {page}"
        for row in rows:
            left = [w for w in row if w.centre < SIGNATURES_MIDDLE]
            right = [w for w in row if w.centre >= SIGNATURES_MIDDLE]
            for side in (left, right):
                assert len(side) != 1, f"{pdf.name}: a word alone on a signature line: {text(row)!r}"
            if left and right:
                gap = (right[0].x0 - left[-1].x1) / MM
                assert gap >= GAP_MM, f"{pdf.name}: {text(left)!r} and {text(right)!r} only {gap:.1f} mm apart"


def test_the_last_page_is_never_only_the_tail(pdfs):
    """The body's last sentence ("./.") shares the last page with the signatures and the recipients."""
    for pdf in all_pdfs(pdfs):
        last = pdfcheck.page_count(pdf)
        rows = pdfcheck.rows_of_words(pdf, last)
        words = [w.text for row in rows for w in row]
        assert any(word.endswith("./.") for word in words), \
            f"{pdf.name}: page {last} holds only {' '.join(words)[:120]!r}"


def test_a_table_never_ends_with_its_last_row_alone(pdfs):
    """The district memorandum's table of pairs: its last row shares its page with the row before."""
    (pdf,) = pdfs["gop"]
    first_column = (30 + 10) * MM  # the TT column: the table fills the text width from the left margin
    numbers = {page: {int(w.text) for row in pdfcheck.rows_of_words(pdf, page) for w in row
                      if w.text.isdigit() and w.x1 < first_column}
               for page in range(1, pdfcheck.page_count(pdf) + 1)}
    last = max(n for found in numbers.values() for n in found)
    assert last == PAIRS
    page = next(page for page, found in numbers.items() if last in found)
    assert last - 1 in numbers[page], f"row {last} alone on page {page}"


def example_pdf(pdfs, first_words: str) -> Path:
    """The example whose first page holds a line starting with these words."""
    return next(pdf for pdf in pdfs["examples"] if any(text(row).startswith(first_words) for row in pdfcheck.rows_of_words(pdf, 1)))


def test_letter_abstract_and_urgency_box_sit_under_the_number(pdfs):
    rows = header_left_rows(pdf := example_pdf(pdfs, "V/v"))
    number = next(i for i, row in enumerate(rows) if row[0].text == "Số:")
    abstract = rows[number + 1:]
    assert abstract and abstract[0][0].text == "V/v", pdf.name
    centre = (rows[number][0].x0 + rows[number][-1].x1) / 2
    for row in abstract:  # cv.trich-yeu: centred under the number, in its column, smaller than it
        assert abs((row[0].x0 + row[-1].x1) / 2 - centre) < 3 * MM and row[-1].x1 < HEADER_LEFT_END
        assert max(w.y1 - w.y0 for w in row) < max(w.y1 - w.y0 for w in rows[number])
    gap = abstract[0][0].y0 - rows[number][0].y1
    assert 0 < gap < 12  # 6 pt below the number (baseline to ascender: within a line)
    box = next(row for row in pdfcheck.rows_of_words(pdf, 1) if text(row) == "KHẨN")
    assert box[0].y0 > abstract[-1][0].y1 and abs(box[0].centre - centre) < 3 * MM


def test_several_addressees_dashes_lined_up_under_the_colon(pdfs):
    rows = pdfcheck.rows_of_words(example_pdf(pdfs, "V/v"), 1)
    label = next(i for i, row in enumerate(rows) if text(row) == "Kính gửi:")
    lines = rows[label + 1:label + 3]
    assert [row[0].text for row in lines] == ["-", "-"] and text(lines[-1]).endswith(".")
    dashes = [row[0].x0 for row in lines]
    assert max(dashes) - min(dashes) < 0.5  # kinh-gui.align
    colon = rows[label][-1]  # "gửi:": the colon is its last 4 pt
    assert colon.x1 - 6 < dashes[0] < colon.x1 + 1


def test_one_addressee_centred_on_the_line_of_kinh_gui(pdfs):
    rows = pdfcheck.rows_of_words(example_pdf(pdfs, "TỜ TRÌNH"), 1)
    row = next(row for row in rows if text(row).startswith("Kính gửi:"))
    assert text(row) == "Kính gửi: Phòng GD&ĐT quận Long Biên"
    assert abs((row[0].x0 + row[-1].x1) / 2 - SIGNATURES_MIDDLE) < 2 * MM  # centred on the text width


# A decision of the 30-word centre with a board of 15: the authority line wraps, the board's table crosses a page.
BOARD = 15


def long_decision(folder: Path) -> Path:
    """The example decision issued by LONG's 30-word centre, with BOARD members in its table, as a YAML file."""
    import yaml

    data = yaml.safe_load((EXAMPLES / "quyet-dinh-ban-chi-dao-mn-hoa-sua.yaml").read_text("utf-8"))
    data["don_vi"] = [{"ten": LONG[1][0][0], "ten_ngan": LONG[1][0][1], "ky_hieu": "TTGDNNHL",
                       "co_quan_chu_quan": "SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI", "dia_danh": "Hoàng Liệt",
                       "hieu_truong": "Nguyễn Thị Thu Hà", "chuc_vu_thu_truong": "GIÁM ĐỐC"}]
    del data["danh_sach_truong"]
    data["ngay"] = "15/9/2025"
    table = data["noi_dung"][0]["noi_dung"][0]["bang"]
    table["dong"] = [[str(n), f"Thành viên số {n} Nguyễn Thị", "Giáo viên tổ chuyên môn", "Thành viên"]
                     for n in range(1, BOARD + 1)]
    path = folder / "quyet-dinh-dai.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_a_long_decision_keeps_its_authority_line_whole_and_its_articles_with_their_lines(soffice, tmp_path):
    result = run("render", str(long_decision(tmp_path)), "-o", str(tmp_path / "qd.docx"), "--pdf")
    assert result.code == 0, result.err
    pdf = tmp_path / "qd.pdf"
    pages = [pdfcheck.rows_of_words(pdf, page) for page in range(1, pdfcheck.page_count(pdf) + 1)]
    first = [text(row) for row in pages[0]]
    # qd.tham-quyen: "GIÁM ĐỐC" and the centre's name, in capitals, between the abstract and the first căn cứ,
    # broken into lines of several words (never one alone).
    start = next(i for i, line in enumerate(first) if line.startswith("GIÁM ĐỐC"))
    end = next(i for i, line in enumerate(first) if line.startswith("Căn cứ"))
    authority = pages[0][start:end]
    assert " ".join(text(row) for row in authority) == f"GIÁM ĐỐC {LONG[1][0][0].upper()}"
    assert len(authority) >= 2 and all(len(row) > 1 for row in authority)
    assert first[start - 1].endswith("2023-2025")  # right under the abstract
    # qd.quyet-dinh: "QUYẾT ĐỊNH:" on the page of Điều 1, never alone at a page's foot.
    lines = [(page, text(row)) for page, rows in enumerate(pages) for row in rows]
    decide = next(i for i, (_, line) in enumerate(lines) if line == "QUYẾT ĐỊNH:")
    assert lines[decide + 1][1].startswith("Điều 1.") and lines[decide + 1][0] == lines[decide][0]
    # The board crosses a page: every member printed once, the header row repeated above the rest.
    printed = [line for _, line in lines if line.startswith(tuple(f"{n} Thành viên số {n} " for n in range(1, BOARD + 1)))]
    assert len(printed) == BOARD
    holding = sorted({page for page, line in lines if "Thành viên số" in line})
    assert len(holding) == 2, holding
    assert [line for page, line in lines if page == holding[1]][1].startswith("TT Họ và tên Chức vụ Nhiệm vụ trong")
    # body.end and the signature: the last article's "./." on the page of the signer.
    assert any(line.endswith("./.") for page, line in lines if page == len(pages) - 1)
    assert any(line.endswith("Nguyễn Thị Thu Hà") for page, line in lines if page == len(pages) - 1)
