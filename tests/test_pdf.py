"""kehoach.write.pdf: batch DOCX→PDF through LibreOffice, failures per file, timeouts, PNG preview."""

from __future__ import annotations

import os
import sys
import textwrap
import shutil
import time
from pathlib import Path

import pdfcheck
import pytest
from docx import Document
from docx.shared import Pt
from support import rewrite_part

import kehoach.write.pdf as pdf_module
from kehoach.write import metadata
from kehoach.errors import ConverterError
from kehoach.write.pdf import PdfConverter, convert_one, pdf_to_png

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def make_docx(path: Path, pages: int = 1) -> Path:
    """A DOCX in Times New Roman 14 pt with the national title and `pages` pages of Vietnamese text."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    document.add_paragraph(QUOC_HIEU)
    document.add_paragraph(TIEU_NGU)
    for page in range(1, pages + 1):
        if page > 1:
            document.add_page_break()
        document.add_paragraph(f"Trang {page}: Kế hoạch tổ chức hoạt động giáo dục năm học 2025-2026.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def count_soffice_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record every soffice command the converter starts."""
    runs: list[list[str]] = []
    start = pdf_module._start_process_group

    def recording_start(command: list[str]):
        runs.append(command)
        return start(command)

    monkeypatch.setattr(pdf_module, "_start_process_group", recording_start)
    return runs


def test_batch_converts_in_one_soffice_run_and_skips_a_non_docx(soffice, tmp_path, monkeypatch):
    runs = count_soffice_runs(monkeypatch)
    sources = [make_docx(tmp_path / f"kh{index}.docx", pages=index) for index in (1, 2, 3)]
    garbage = tmp_path / "hong.docx"
    garbage.write_bytes(os.urandom(4096))

    with PdfConverter(soffice) as converter:
        results = converter.convert([sources[0], garbage, sources[1], sources[2]])

    assert len(runs) == 1
    assert [result.source for result in results] == [sources[0], garbage, sources[1], sources[2]]
    good = [results[0], results[2], results[3]]
    for pages, result in enumerate(good, start=1):
        assert result.ok and result.error is None
        assert result.pdf == result.source.with_suffix(".pdf") and result.pdf.is_file()
        assert pdfcheck.page_count(result.pdf) == pages
        texts = pdfcheck.page_texts(result.pdf)
        assert QUOC_HIEU in texts[0] and TIEU_NGU in texts[0]
        assert f"Trang {pages}: Kế hoạch tổ chức" in texts[-1]
        fonts = pdfcheck.fonts(result.pdf)
        assert fonts and all(font.embedded for font in fonts)
        assert {font.name for font in fonts} <= {"LiberationSerif", "TimesNewRomanPSMT", "TimesNewRoman"}
    assert not results[1].ok and "DOCX" in results[1].error
    assert not garbage.with_suffix(".pdf").exists()
    assert not list(tmp_path.glob("*.tmp")), "no temporary file may be left beside the DOCX"


def test_file_soffice_cannot_load_fails_alone_after_one_retry(soffice, tmp_path, monkeypatch):
    runs = count_soffice_runs(monkeypatch)
    good = make_docx(tmp_path / "tot.docx")
    broken = shutil.copy(good, tmp_path / "hong.docx")
    rewrite_part(broken, "word/document.xml", lambda data: data[: len(data) // 2])

    with PdfConverter(soffice) as converter:
        results = converter.convert([broken, good])

    assert len(runs) == 2  # the batch, then the broken file on its own
    assert results[1].ok and results[1].pdf.is_file()
    assert not results[0].ok and "LibreOffice" in results[0].error and "thử lại" in results[0].error
    assert str(broken) in str(results[0].problem)


def test_pdf_that_cannot_be_written_is_reported_and_docx_kept(soffice, tmp_path):
    source = make_docx(tmp_path / "bi-chan.docx")
    (tmp_path / "bi-chan.pdf").mkdir()  # stands for a PDF locked by a viewer: os.replace fails
    with PdfConverter(soffice) as converter:
        (result,) = converter.convert([source])
    assert not result.ok and "Không ghi được tệp PDF bi-chan.pdf" in result.error
    assert source.is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bi-chan.docx", "bi-chan.pdf"]


def test_same_stem_in_two_folders_gives_two_pdfs(soffice, tmp_path):
    first = make_docx(tmp_path / "a" / "kehoach.docx", pages=1)
    second = make_docx(tmp_path / "b" / "kehoach.docx", pages=2)
    with PdfConverter(soffice) as converter:
        results = converter.convert([first, second])
    assert [pdfcheck.page_count(result.pdf) for result in results] == [1, 2]


def test_convert_one_returns_pdf_or_raises(soffice, tmp_path):
    assert convert_one(make_docx(tmp_path / "mot.docx"), soffice) == tmp_path / "mot.pdf"
    with pytest.raises(ConverterError) as caught:
        convert_one(tmp_path / "khong-co.docx", soffice)
    assert "Không tìm thấy tệp DOCX" in str(caught.value)


def test_pdf_to_png_writes_one_image_per_page_and_drops_stale_pages(soffice, tmp_path):
    pdf = convert_one(make_docx(tmp_path / "xem.docx", pages=3), soffice)
    preview = tmp_path / "xem-truoc"
    (preview).mkdir()
    (preview / "xem-07.png").write_bytes(b"old")
    pages = pdf_to_png(pdf, preview, dpi=40)
    assert [page.name for page in pages] == ["xem-01.png", "xem-02.png", "xem-03.png"]
    assert all(page.read_bytes().startswith(b"\x89PNG") for page in pages)
    assert sorted(path.name for path in preview.iterdir()) == [page.name for page in pages]


def test_pdf_to_png_without_pdftoppm_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf_module.sys, "platform", "linux")
    with pytest.raises(ConverterError) as caught:
        pdf_to_png(tmp_path / "x.pdf", tmp_path)
    assert "pdftoppm" in str(caught.value) and "sudo apt install poppler-utils" in str(caught.value)


@pytest.mark.parametrize(
    ("platform", "command"),
    [
        ("win32", "winget install TheDocumentFoundation.LibreOffice"),
        ("linux", "sudo apt install libreoffice-writer"),
        ("darwin", "brew install --cask libreoffice"),
    ],
)
def test_missing_soffice_names_the_install_command(monkeypatch, platform, command):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf_module.sys, "platform", platform)
    with pytest.raises(ConverterError) as caught:
        PdfConverter()
    message = str(caught.value)
    assert "Không tìm thấy LibreOffice" in message and command in message
    assert caught.value.exit_code == 4


def test_bogus_soffice_path_is_reported(tmp_path):
    with pytest.raises(ConverterError) as caught:
        PdfConverter(tmp_path / "khong-co" / "soffice")
    assert "Không tìm thấy LibreOffice" in str(caught.value)


FAKE_SOFFICE = textwrap.dedent(
    """
    import subprocess, sys, time
    from pathlib import Path

    arguments = sys.argv[1:]
    outdir = Path(arguments[arguments.index("--outdir") + 1])
    for source in map(Path, arguments[arguments.index("--outdir") + 2 :]):
        with open(LOG, "a") as log:  # which profile converted which file, and when it began and ended
            log.write(f"{arguments[0]} {source.name} begin {time.monotonic()}\\n")
        if "treo" in source.name:
            # Like soffice starting soffice.bin: a child that must die with its parent.
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            with open(PIDS, "a") as pids:
                pids.write(f"{child.pid}\\n")
            (outdir / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4 half written")
            time.sleep(60)
        time.sleep(SECONDS)
        (outdir / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4\\n%%EOF\\n")
        with open(LOG, "a") as log:
            log.write(f"{arguments[0]} {source.name} end {time.monotonic()}\\n")
    """
)


def fake_soffice(tmp_path: Path, seconds: float = 0.0) -> tuple[list[str], Path, Path]:
    """A stand-in for soffice (hangs on any file named treo*): its command, its PID file and its log."""
    pids, log, fake = tmp_path / "pids.txt", tmp_path / "log.txt", tmp_path / "fake_soffice.py"
    fake.write_text(f"PIDS, LOG, SECONDS = {str(pids)!r}, {str(log)!r}, {seconds}\n" + FAKE_SOFFICE, encoding="utf-8")
    return [sys.executable, str(fake)], pids, log


def fake_log(log: Path, event: str = "end") -> list[tuple[str, str, float]]:
    """Each file the fake began (or finished) converting: the profile, the file's name and the time."""
    return [(profile, name, float(at)) for profile, name, kind, at in map(str.split, log.read_text().splitlines())
            if kind == event]


def alive(pid: int) -> bool:
    """Whether pid runs; a zombie counts as dead (in a container nobody may reap an orphan)."""
    if Path("/proc/self").exists():
        stat = Path(f"/proc/{pid}/stat")
        return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_hung_converter_is_killed_and_only_the_hung_file_fails(tmp_path):
    command, pids, _ = fake_soffice(tmp_path)
    sources = [make_docx(tmp_path / name) for name in ("dau.docx", "treo.docx", "cuoi.docx")]

    started = time.monotonic()
    with PdfConverter(Path(sys.executable), timeout=1.0) as converter:
        converter._command = command
        results = converter.convert(sources)
    elapsed = time.monotonic() - started

    assert [result.ok for result in results] == [True, False, True]
    assert "1 giây" in results[1].error and "thử lại" in results[1].error
    assert not (tmp_path / "treo.pdf").exists(), "a half-written PDF must never appear"
    assert elapsed < 20
    child_pids = [int(line) for line in pids.read_text().split()]
    assert len(child_pids) == 2  # the batch run, then the one retry
    if sys.platform != "win32":
        time.sleep(0.2)
        assert not any(alive(pid) for pid in child_pids), "the hung converter's children must be killed"


def test_n_converters_share_the_files_each_with_its_own_profile_results_in_order(tmp_path):
    command, _, log = fake_soffice(tmp_path, seconds=0.5)
    sources = [make_docx(tmp_path / f"kh{index}.docx") for index in range(6)]
    with PdfConverter(Path(sys.executable), jobs=2) as converter:
        converter._command = command
        results = converter.convert(list(reversed(sources)))

    assert [result.source for result in results] == list(reversed(sources))
    assert all(result.ok and result.pdf == result.source.with_suffix(".pdf") for result in results)
    begun, ended = fake_log(log, "begin"), fake_log(log)
    assert sorted(name for _, name, _ in ended) == sorted(source.name for source in sources)  # each once
    profiles = {profile for profile, _, _ in ended}
    assert len(profiles) == 2, "two converters, each with a profile of its own"
    spans = [(min(at for p, _, at in begun if p == profile), max(at for p, _, at in ended if p == profile))
             for profile in profiles]
    (first_start, first_end), (second_start, second_end) = spans
    assert first_start < second_end and second_start < first_end, "the two converters ran at the same time"


def test_hung_converter_among_n_is_killed_and_retried_the_others_unaffected(tmp_path):
    command, pids, log = fake_soffice(tmp_path)
    names = ["a.docx", "treo.docx", "c.docx", "d.docx", "e.docx", "f.docx"]
    sources = [make_docx(tmp_path / name) for name in names]
    with PdfConverter(Path(sys.executable), timeout=1.0, jobs=3) as converter:
        converter._command = command
        results = converter.convert(sources)

    assert [result.ok for result in results] == [name != "treo.docx" for name in names]
    assert "1 giây" in results[1].error and "thử lại một lần" in results[1].error
    assert not (tmp_path / "treo.pdf").exists()
    assert [name for _, name, _ in fake_log(log, "begin")].count("treo.docx") == 2  # the run and one retry
    assert "treo.docx" not in [name for _, name, _ in fake_log(log)]
    child_pids = [int(line) for line in pids.read_text().split()]
    if sys.platform != "win32":
        time.sleep(0.2)
        assert not any(alive(pid) for pid in child_pids)


def test_interrupted_run_kills_every_converter(tmp_path, monkeypatch):
    command, pids, _ = fake_soffice(tmp_path)
    sources = [make_docx(tmp_path / name) for name in ("treo1.docx", "treo2.docx")]
    converter = PdfConverter(Path(sys.executable), timeout=60, jobs=2)
    converter._command = command
    interrupted, join = [], pdf_module.threading.Thread.join

    def interrupt(thread, timeout=None):  # Ctrl+C once, while the main thread waits for both converters
        if not interrupted and pids.exists() and len(pids.read_text().split()) == 2:
            interrupted.append(thread)
            raise KeyboardInterrupt
        join(thread, timeout)

    monkeypatch.setattr(pdf_module.threading.Thread, "join", interrupt)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), converter:
        converter.convert(sources)
    assert time.monotonic() - started < 20, "the run stops at Ctrl+C, not after the 60 s timeout"
    child_pids = [int(line) for line in pids.read_text().split()]
    assert len(child_pids) == 2 and interrupted
    assert not converter._workdir.exists(), "the private profiles are removed"
    if sys.platform != "win32":
        time.sleep(0.3)
        assert not any(alive(pid) for pid in child_pids), "no converter outlives an interrupted run"


def test_two_real_converters_give_every_pdf_beside_its_docx_in_order(soffice, tmp_path, monkeypatch):
    runs = count_soffice_runs(monkeypatch)
    sources = [make_docx(tmp_path / f"kh{pages}.docx", pages=pages) for pages in (3, 1, 4, 2)]
    with PdfConverter(soffice, jobs=2) as converter:
        results = converter.convert(sources)
    assert [result.source for result in results] == sources
    assert [pdfcheck.page_count(result.pdf) for result in results] == [3, 1, 4, 2]
    assert [metadata.page_count(result.pdf) for result in results] == [3, 1, 4, 2]  # what the sidecar says
    assert all(f"Trang {pages}: Kế hoạch" in pdfcheck.page_texts(result.pdf)[-1]
               for pages, result in zip((3, 1, 4, 2), results))
    profiles = {argument for run in runs for argument in run if argument.startswith("-env:UserInstallation=")}
    assert len(runs) == 2 and len(profiles) == 2


def test_pdfa_from_a_libreoffice_that_cannot_make_it_is_refused(tmp_path):
    command, _, _ = fake_soffice(tmp_path)  # writes a PDF without XMP, as LibreOffice before 7.4 would
    source = make_docx(tmp_path / "luu-tru.docx")
    with PdfConverter(Path(sys.executable), pdfa=True) as converter:
        converter._command = command
        (result,) = converter.convert([source])
    assert not result.ok and "PDF/A-2b" in result.error and "7.4" in result.error
    assert not source.with_suffix(".pdf").exists()
