"""The shipped examples as PDF (`render --pdf`, `preview`): what a reader of the printed page checks.

Needs LibreOffice and poppler-utils: skipped without them on a developer machine, a failure on CI.
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pdfcheck
import pytest
from support import EXAMPLES, run

import kehoach.write.pdf as pdf_module
from kehoach.write.pdf import ConversionResult

SINGLE = "ke-hoach-586-gdnn-gdtx-thanh-tri"
JOINT = "ke-hoach-lien-truong-hoa-sua-tien-phong-b"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
# What the first page's header shows, each on a line of its own in the left or right column.
HEADER = {
    SINGLE: ["SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI", "TRUNG TÂM GDNN-GDTX", "THANH TRÌ", QUOC_HIEU, TIEU_NGU,
             "Số: 586/KH-GDNN-GDTXTT", "Ngọc Hồi, ngày 16 tháng 9 năm 2025"],
    JOINT: ["UBND QUẬN LONG BIÊN", "TRƯỜNG MẦM NON HOA SỮA", "UBND HUYỆN MÊ LINH", "TRƯỜNG MẦM NON TIÊN PHONG B",
            QUOC_HIEU, TIEU_NGU, "/KH-MNHS-MNTPB", "Long Biên, ngày 20 tháng 3 năm 2023"],
}
PAGES = {SINGLE: 3, JOINT: 3}  # as LibreOffice lays them out with Liberation Serif
# Times New Roman, or its metric twin Liberation Serif (same advance widths, so the same line breaks).
METRIC_TWINS = ("LiberationSerif", "TimesNewRoman")


def copy_examples(folder: Path) -> Path:
    """The two seed plans and their schools file in a scratch folder (the PDF lands beside the DOCX)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (f"{SINGLE}.yaml", f"{JOINT}.yaml", "truong.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def rendered_pdf(soffice, tmp_path_factory):
    """`kehoach render examples -o out --pdf`: its result and output folder."""
    out = tmp_path_factory.mktemp("pdf")
    result = run("render", str(copy_examples(out / "in")), "-o", str(out), "--pdf")
    return result, out


def test_render_pdf_writes_a_pdf_beside_each_docx(rendered_pdf):
    result, out = rendered_pdf
    assert result.code == 0, result.err
    for stem in (SINGLE, JOINT):
        assert (out / f"{stem}.docx").is_file()
        assert f"Đã tạo: {out / f'{stem}.pdf'}" in result.out
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"{SINGLE}.pdf", f"{JOINT}.pdf"]
    if os.name == "posix":  # a PDF is as readable as its DOCX (not left private like a temporary file)
        assert {(out / f"{stem}.pdf").stat().st_mode & 0o777 for stem in (SINGLE, JOINT)} == \
            {(out / f"{SINGLE}.docx").stat().st_mode & 0o777}


@pytest.mark.parametrize("stem", [SINGLE, JOINT])
def test_pdf_pages_header_and_page_numbers(rendered_pdf, stem):
    pdf = rendered_pdf[1] / f"{stem}.pdf"
    assert pdfcheck.page_count(pdf) == PAGES[stem]
    first = pdfcheck.page_text(pdf, 1)
    lines = [line.strip() for line in first.splitlines()]
    for text in HEADER[stem]:
        assert text in lines, f"{text!r} is not a line of page 1's header"
    assert "KẾ HOẠCH" in lines
    # page.numbers: nothing above the header on page 1; "2", "3" alone at the top of the others
    assert pdfcheck.first_line(pdf, 1).startswith(HEADER[stem][0])
    assert [pdfcheck.first_line(pdf, page) for page in range(2, PAGES[stem] + 1)] == [
        str(page) for page in range(2, PAGES[stem] + 1)]


@pytest.mark.parametrize("stem", [SINGLE, JOINT])
def test_pdf_fonts_embedded_and_metric_compatible(rendered_pdf, stem):
    fonts = pdfcheck.fonts(rendered_pdf[1] / f"{stem}.pdf")
    assert fonts and all(font.embedded for font in fonts), fonts
    assert all(font.name.startswith(METRIC_TWINS) for font in fonts), fonts
    # upright body, bold titles, italic date and legal bases, bold italic "Nơi nhận:": each its own face
    faces = {("Bold" in font.name, "Italic" in font.name) for font in fonts}
    assert faces == {(False, False), (True, False), (False, True), (True, True)}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_preview_writes_one_png_per_a4_page(soffice, tmp_path):
    plan = copy_examples(tmp_path / "in") / f"{SINGLE}.yaml"
    out = tmp_path / "xem"
    result = run("preview", str(plan), "-o", str(out), "--dpi", "40")
    assert result.code == 0, result.err
    pages = [Path(line.split(": ", 1)[1]) for line in result.out.splitlines() if line.startswith("Trang: ")]
    assert [page.name for page in pages] == [f"{SINGLE}-{n:02d}.png" for n in range(1, PAGES[SINGLE] + 1)]
    for page in pages:
        width, height = png_size(page)
        assert (width, height) == pytest.approx((210 / 25.4 * 40, 297 / 25.4 * 40), abs=2)  # A4 portrait
    assert (out / f"{SINGLE}.docx").is_file() and (out / f"{SINGLE}.pdf").is_file()


@pytest.fixture
def no_libreoffice(monkeypatch):
    """A machine without LibreOffice (Debian/Ubuntu, for the install command)."""
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf_module.sys, "platform", "linux")


def test_render_pdf_without_libreoffice_keeps_the_docx(no_libreoffice, tmp_path):
    out = tmp_path / "out"
    result = run("render", str(copy_examples(tmp_path / "in")), "-o", str(out), "--pdf")
    assert result.code == 4
    assert "Không tìm thấy LibreOffice" in result.err
    assert "sudo apt install libreoffice-writer" in result.err
    assert "Các tệp DOCX đã được tạo" in result.err
    assert sorted(p.name for p in out.iterdir()) == [f"{SINGLE}.docx", f"{JOINT}.docx"]


def test_preview_without_libreoffice_says_how_to_install(no_libreoffice, tmp_path):
    plan = copy_examples(tmp_path / "in") / f"{SINGLE}.yaml"
    result = run("preview", str(plan), "-o", str(tmp_path / "xem"))
    assert result.code == 4
    assert "Không tìm thấy LibreOffice" in result.err and "sudo apt install" in result.err
    assert (tmp_path / "xem" / f"{SINGLE}.docx").is_file()


def test_render_pdf_reports_a_failed_file_and_goes_on(monkeypatch, tmp_path):
    calls = []

    def convert_all(paths, jobs=1, pdfa=False):
        calls.append(list(paths))
        return [ConversionResult(paths[0], None, "LibreOffice không chuyển được tệp này sang PDF"),
                *(ConversionResult(path, path.with_suffix(".pdf")) for path in paths[1:])]

    monkeypatch.setattr(pdf_module, "convert_all", convert_all)
    out = tmp_path / "out"
    result = run("render", str(copy_examples(tmp_path / "in")), "-o", str(out), "--pdf")
    assert len(calls) == 1 and len(calls[0]) == 2, "every DOCX goes to one converter call"
    assert result.code == 4
    assert f"{out / f'{SINGLE}.docx'}: LibreOffice không chuyển được" in result.err
    assert f"Đã tạo: {out / f'{JOINT}.pdf'}" in result.out


@pytest.fixture(scope="module")
def archival(soffice, tmp_path_factory):
    """`kehoach render examples -o out --pdfa --metadata --jobs 2`: its result and output folder."""
    out = tmp_path_factory.mktemp("pdfa")
    result = run("render", str(copy_examples(out / "in")), "-o", str(out), "--pdfa", "--metadata", "--jobs", "2")
    return result, out


def test_pdf_carries_title_author_and_number_an_e_office_reads(archival):
    result, out = archival
    assert result.code == 0, result.err
    single, joint = pdfcheck.info(out / f"{SINGLE}.pdf"), pdfcheck.info(out / f"{JOINT}.pdf")
    assert single["Title"] == ('Kế hoạch Phối hợp tổ chức phong trào "Nhà trường cùng chung tay phát triển - '
                               'Thầy cô cùng sẻ chia trách nhiệm" giai đoạn 2022-2025 Năm học 2025-2026')
    assert single["Author"] == "Trung tâm GDNN-GDTX Thanh Trì"
    assert single["Subject"] == "Số: 586/KH-GDNN-GDTXTT"
    assert single["Keywords"] == "586/KH-GDNN-GDTXTT, 2025, kehoach"
    assert joint["Title"].startswith("Kế hoạch Phối hợp tổ chức phong trào")
    assert joint["Author"] == "Trường mầm non Hoa Sữa; Trường mầm non Tiên Phong B"
    assert joint["Subject"] == "Số: /KH-MNHS-MNTPB"  # the number is left for the clerk to write
    for stem in (SINGLE, JOINT):  # the text layer is intact: the header reads as text
        first = pdfcheck.page_text(out / f"{stem}.pdf", 1)
        assert all(line in first for line in HEADER[stem])


def test_pdfa_is_identified_as_pdfa_2b(archival, rendered_pdf):
    _, out = archival
    for stem in (SINGLE, JOINT):
        assert pdfcheck.pdfa_identification(out / f"{stem}.pdf") == ("2", "B")
        assert pdfcheck.pdfa_identification(rendered_pdf[1] / f"{stem}.pdf") is None  # --pdf alone: plain PDF


def test_sidecar_beside_each_document_follows_the_schema(archival):
    result, out = archival
    assert "Đã ghi thông tin văn bản (.json): 2/2 tệp." in result.out
    single = pdfcheck.sidecar(out / f"{SINGLE}.json")
    assert single == {
        "ten_loai": "Kế hoạch",
        "so": "586",
        "ky_hieu": "KH-GDNN-GDTXTT",
        "ngay_ban_hanh": "2025-09-16",
        "co_quan_ban_hanh": ["Trung tâm GDNN-GDTX Thanh Trì"],
        "trich_yeu": ('Phối hợp tổ chức phong trào "Nhà trường cùng chung tay phát triển - Thầy cô cùng sẻ chia '
                      'trách nhiệm" giai đoạn 2022-2025 Năm học 2025-2026'),
        "so_trang": pdfcheck.page_count(out / f"{SINGLE}.pdf"),
        "nguoi_ky": [{"quyen_han": "", "chuc_vu": "GIÁM ĐỐC", "ho_ten": "Phạm Thị Hảo"}],
        "noi_nhan": ["Sở Giáo dục và Đào tạo Hà Nội (để b/c)", "Ban Giám đốc"],
        "do_khan": None,
        "tep": {"docx": f"{SINGLE}.docx", "pdf": f"{SINGLE}.pdf"},
    }
    joint = pdfcheck.sidecar(out / f"{JOINT}.json")
    assert joint["so"] is None and joint["ky_hieu"] == "KH-MNHS-MNTPB"
    assert [signer["ho_ten"] for signer in joint["nguoi_ky"]] == ["Phạm Thị Miên", "Phạm Thị Thúy Hương"]
    assert joint["so_trang"] == pdfcheck.page_count(out / f"{JOINT}.pdf") == PAGES[JOINT]
