"""DOCX to PDF through LibreOffice, and PDF to PNG pages through poppler's pdftoppm.

A batch goes through few soffice processes (one per chunk of files), not one per file: starting
LibreOffice costs about a second, converting a short plan a fraction of that. One soffice uses one
core, so the chunks are shared out from one queue among several soffice processes (--jobs), each
with a profile of its own (soffice locks its profile). LibreOffice maps
Times New Roman to Liberation Serif (metric-compatible) via fontconfig and embeds the fonts it
uses, so the PDF breaks lines where Word does. Nothing here touches the DOCX files.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import queue
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kehoach.errors import ConverterError, OutputError, Problem, Where, problem
from kehoach.write.output import move_into_place, temporary_beside

DEFAULT_TIMEOUT = 120.0  # seconds a single file may take before soffice counts as hung
DEFAULT_CHUNK_SIZE = 50  # files per soffice process; a crash costs at most one chunk's retries
_POLL_SECONDS = 0.05
# How a PDF/A-2b file says what it is, in its XMP metadata (which LibreOffice leaves uncompressed)
_PDFA_2B = re.compile(rb"<pdfaid:part>2</pdfaid:part>\s*<pdfaid:conformance>B</pdfaid:conformance>")


def find_soffice() -> Path | None:
    """Return LibreOffice's soffice executable from PATH or the usual install folders, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    candidates: list[Path] = []
    if sys.platform == "win32":
        for variable, default in (("ProgramFiles", r"C:\Program Files"), ("ProgramFiles(x86)", r"C:\Program Files (x86)")):
            candidates.append(Path(os.environ.get(variable, default)) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((path for path in candidates if path.is_file()), None)


def install_hint_libreoffice() -> str:
    """The Vietnamese instruction to install LibreOffice on this operating system."""
    if sys.platform == "win32":
        return (
            "Hãy cài LibreOffice: tải tại https://www.libreoffice.org/download/ "
            "hoặc chạy lệnh: winget install TheDocumentFoundation.LibreOffice"
        )
    if sys.platform == "darwin":
        return "Hãy cài LibreOffice: tải tại https://www.libreoffice.org/download/ hoặc chạy lệnh: brew install --cask libreoffice"
    return f"Hãy cài LibreOffice bằng lệnh (Debian/Ubuntu): sudo apt install libreoffice-writer {FONT_PACKAGE}"


# Times New Roman, or the face fontconfig puts in its place: Liberation Serif has the same advance
# widths. Only version 2 of Liberation has Vietnamese letters; with version 1 LibreOffice takes ư, ệ …
# from another face, so names re-wrap and the PDF no longer breaks lines where Word does.
METRIC_TWINS = ("Times New Roman", "Liberation Serif")
FONT_PACKAGE = "fonts-liberation2"
_VIETNAMESE_PROBE = "1ec7"  # ệ: a letter only a Vietnamese-capable face has


def font_warning() -> str | None:
    """A Vietnamese warning when no Times New Roman-metric face here has Vietnamese letters, else None.

    Asks fontconfig (what LibreOffice uses on Linux) which faces cover "ệ". Where there is no
    fontconfig (Windows, macOS), Times New Roman comes with the system and nothing is checked.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, f":charset={_VIETNAMESE_PROBE}", "family"],
                                capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    if families & set(METRIC_TWINS):
        return None
    return (
        "máy này không có phông Times New Roman hoặc Liberation Serif đủ chữ tiếng Việt, nên PDF sẽ "
        "in chữ có dấu bằng phông khác và xuống dòng khác Word — "
        f"cài phông bằng lệnh (Debian/Ubuntu): sudo apt install {FONT_PACKAGE}"
    )


def install_hint_poppler() -> str:
    """The Vietnamese instruction to install poppler (pdftoppm) on this operating system."""
    if sys.platform == "win32":
        return "Hãy cài poppler cho Windows (có pdftoppm.exe) và thêm thư mục bin của nó vào PATH"
    if sys.platform == "darwin":
        return "Hãy cài poppler bằng lệnh: brew install poppler"
    return "Hãy cài poppler bằng lệnh (Debian/Ubuntu): sudo apt install poppler-utils"


@dataclass(frozen=True)
class ConversionResult:
    """The outcome for one DOCX: the PDF written beside it, or a Vietnamese reason it was not."""

    source: Path
    pdf: Path | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.pdf is not None

    @property
    def problem(self) -> Problem:
        """This failure as a Problem the CLI can report (only meaningful when not ok)."""
        return Problem(Where(str(self.source)), self.error or "", "Tệp DOCX vẫn được giữ nguyên")


class PdfConverter:
    """Converts DOCX files to PDF beside them through `jobs` soffice processes at once (0 = one per core),
    each with a private LibreOffice profile; use as a context manager."""

    def __init__(
        self,
        soffice: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        jobs: int = 1,
        pdfa: bool = False,
    ):
        soffice = soffice or find_soffice()
        if soffice is None or not Path(soffice).is_file():
            raise ConverterError(
                problem(str(soffice or "LibreOffice"), "Không tìm thấy LibreOffice để chuyển DOCX sang PDF", install_hint_libreoffice())
            )
        self.soffice = Path(soffice)
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.jobs = jobs or os.cpu_count() or 1
        self._command = [str(self.soffice)]
        # PDF/A-2b, the archival profile; LibreOffice 7.4 and later read filter options written as JSON
        self._filter = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}' if pdfa else "pdf"
        self.pdfa = pdfa
        # Profiles of our own, one per soffice: a clerk's open LibreOffice window or another soffice of
        # this run would otherwise lock the profile and make soffice hand the job to that instance, or wait.
        self._workdir = Path(tempfile.mkdtemp(prefix="kehoach-pdf-"))
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill any soffice still running, then remove the private profiles and scratch files."""
        self._stop()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def convert(self, docx_paths: list[Path]) -> list[ConversionResult]:
        """Convert each DOCX to a PDF beside it; one result per input, in the same order."""
        results: dict[Path, ConversionResult] = {}
        pending: list[Path] = []
        for source in docx_paths:
            reason = _unreadable_reason(source)
            if reason:
                results[source] = ConversionResult(source, None, reason)
            else:
                pending.append(source)
        workers = max(1, min(self.jobs, len(pending)))
        # Small batches are split evenly, so that every soffice gets a share
        size = max(1, min(self.chunk_size, -(-len(pending) // workers)))
        chunks: queue.SimpleQueue[list[Path]] = queue.SimpleQueue()
        for chunk in _chunks(pending, size):
            chunks.put(chunk)
        failures: list[BaseException] = []

        def work(profile: str) -> None:
            try:
                while not self._stopping.is_set():
                    try:
                        chunk = chunks.get_nowait()
                    except queue.Empty:
                        return
                    results.update(self._convert_chunk(chunk, profile))
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread below
                failures.append(error)
                self._stop()

        threads = [threading.Thread(target=work, args=((self._workdir / f"profile-{index}").as_uri(),), daemon=True)
                   for index in range(workers)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)  # a short wait, so Ctrl+C reaches this thread on every system
        except BaseException:
            self._stop()  # Ctrl+C or any error: no soffice outlives the run
            for thread in threads:  # nor a worker its scratch folder (close removes it)
                thread.join(_POLL_SECONDS * 100)
            raise
        if failures:
            raise failures[0]
        return [results[source] for source in docx_paths]

    def convert_one(self, docx: Path) -> Path:
        """Convert one DOCX and return its PDF path; raise ConverterError if it fails."""
        (result,) = self.convert([docx])
        if result.pdf is None:
            raise ConverterError(result.problem)
        return result.pdf

    def _stop(self) -> None:
        """Tell every worker to take no more chunks and kill each soffice still running."""
        self._stopping.set()
        with self._lock:
            running = list(self._running)
        for process in running:
            _kill_process_group(process)

    def _convert_chunk(self, chunk: list[Path], profile: str) -> dict[Path, ConversionResult]:
        results: dict[Path, ConversionResult] = {}
        outdir, _ = self._run_soffice(chunk, profile)
        retry = []
        for source in chunk:
            pdf = outdir / f"{source.stem}.pdf"
            if _is_complete_pdf(pdf):
                results[source] = self._publish(source, pdf)
            else:
                retry.append(source)
        shutil.rmtree(outdir, ignore_errors=True)
        # Each file left over (hung, crashed or refused) is retried once on its own, so one bad
        # file cannot fail its neighbours and a one-off crash does not fail a good file.
        for source in retry:
            outdir, finished = self._run_soffice([source], profile)
            pdf = outdir / f"{source.stem}.pdf"
            if _is_complete_pdf(pdf):
                results[source] = self._publish(source, pdf)
            elif not finished:
                message = f"LibreOffice không chuyển xong tệp này sang PDF trong {self.timeout:g} giây (đã thử lại một lần)"
                results[source] = ConversionResult(source, None, message)
            else:
                message = (
                    "LibreOffice không mở hoặc không chuyển được tệp này sang PDF (đã thử lại một lần); "
                    "hãy mở tệp bằng Word để kiểm tra"
                )
                results[source] = ConversionResult(source, None, message)
            shutil.rmtree(outdir, ignore_errors=True)
        return results

    def _run_soffice(self, sources: list[Path], profile: str) -> tuple[Path, bool]:
        """Run one soffice over sources into a fresh folder; return it and False if soffice hung and was killed."""
        outdir = Path(tempfile.mkdtemp(dir=self._workdir, prefix="out-"))
        command = [
            *self._command,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            self._filter,
            "--outdir",
            str(outdir),
            *(str(source.resolve()) for source in sources),
        ]
        with self._lock:
            if self._stopping.is_set():
                return outdir, False
            process = _start_process_group(command)
            self._running.add(process)
        try:
            # The timeout counts from the last PDF written, so a long batch is fine while each file is quick.
            seen, last_progress = 0, time.monotonic()
            while process.poll() is None:
                count = sum(1 for _ in outdir.iterdir())
                if count != seen:
                    seen, last_progress = count, time.monotonic()
                elif time.monotonic() - last_progress > self.timeout:
                    _kill_process_group(process)
                    return outdir, False
                time.sleep(_POLL_SECONDS)
            return outdir, True
        finally:
            with self._lock:
                self._running.discard(process)

    def _publish(self, source: Path, converted: Path) -> ConversionResult:
        """Move a finished PDF beside its DOCX in one step, so no half-written PDF is ever visible."""
        target = source.with_suffix(".pdf")
        # A LibreOffice older than 7.4 ignores the filter options and writes a plain PDF without a word
        if self.pdfa and _PDFA_2B.search(converted.read_bytes()) is None:
            message = ("LibreOffice trên máy này không tạo được PDF/A-2b (cần LibreOffice 7.4 trở lên) — "
                       "cài bản LibreOffice mới hơn, hoặc bỏ --pdfa để tạo PDF thường")
            return ConversionResult(source, None, message)
        temporary: str | None = None
        try:
            handle, temporary = temporary_beside(target, ".pdf.tmp")
            os.close(handle)
            shutil.copyfile(converted, temporary)
            move_into_place(temporary, target)
        except (OSError, OutputError):
            if temporary:
                Path(temporary).unlink(missing_ok=True)
            message = (
                f"Không ghi được tệp PDF {target.name}: thư mục không cho ghi hoặc tệp đang mở trong chương trình khác; "
                "hãy đóng tệp rồi chạy lại"
            )
            return ConversionResult(source, None, message)
        return ConversionResult(source, target)


def convert_one(docx: Path, soffice: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Convert one DOCX to a PDF beside it and return the PDF path; raise ConverterError on failure."""
    with PdfConverter(soffice, timeout) as converter:
        return converter.convert_one(docx)


def convert_all(docx_paths: list[Path], soffice: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
                jobs: int = 1, pdfa: bool = False) -> list[ConversionResult]:
    """Convert DOCX files to PDFs beside them in one converter (few soffice runs, `jobs` at a time); one result
    per file, in order.

    Raises ConverterError only when LibreOffice is missing; a file that fails is a result with its error.
    """
    with PdfConverter(soffice, timeout, jobs=jobs, pdfa=pdfa) as converter:
        return converter.convert(docx_paths)


def pdf_to_png(pdf: Path, outdir: Path, dpi: int = 100, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """Render every page of pdf as outdir/<stem>-NN.png with pdftoppm; return the pages in order."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ConverterError(problem(str(pdf), "Không tìm thấy chương trình pdftoppm để xem trước trang", install_hint_poppler()))
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=outdir, prefix=".kehoach-png-") as scratch:
        try:
            completed = subprocess.run(
                [pdftoppm, "-png", "-r", str(dpi), str(pdf), str(Path(scratch) / "page")],
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise ConverterError(problem(str(pdf), f"pdftoppm không vẽ xong các trang trong {timeout:g} giây")) from None
        rendered = sorted(Path(scratch).glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        if completed.returncode != 0 or not rendered:
            raise ConverterError(problem(str(pdf), "pdftoppm không đọc được tệp PDF này", "Hãy tạo lại tệp PDF"))
        pages = []
        for number, page in enumerate(rendered, start=1):
            target = outdir / f"{pdf.stem}-{number:02d}.png"
            os.replace(page, target)
            pages.append(target)
    _remove_stale_pages(outdir, pdf.stem, len(pages))
    return pages


def _remove_stale_pages(outdir: Path, stem: str, page_count: int) -> None:
    """Delete pages of an earlier, longer preview of the same document, so the folder shows only this one."""
    pattern = re.compile(re.escape(stem) + r"-(\d{2,})\.png")
    for path in outdir.iterdir():
        match = pattern.fullmatch(path.name)
        if match and int(match.group(1)) > page_count:
            path.unlink(missing_ok=True)


def _unreadable_reason(source: Path) -> str | None:
    """Why source cannot be a DOCX, or None; LibreOffice would turn random bytes into a PDF of garbage text."""
    if not source.is_file():
        return "Không tìm thấy tệp DOCX này"
    try:
        with zipfile.ZipFile(source) as archive:
            # A DOCX, or the register's workbook (kehoach register export --pdf)
            if not {"word/document.xml", "xl/workbook.xml"} & set(archive.namelist()):
                return "Tệp này không phải văn bản DOCX (thiếu word/document.xml)"
    except (zipfile.BadZipFile, OSError):
        return "Tệp này không phải văn bản DOCX hợp lệ (hỏng hoặc sai định dạng)"
    return None


def _chunks(sources: list[Path], size: int) -> list[list[Path]]:
    """Split sources into chunks of at most size whose file stems differ, since soffice names each PDF by stem."""
    chunks: list[list[Path]] = []
    stems: set[str] = set()
    for source in sources:
        stem = source.stem.casefold()
        if not chunks or len(chunks[-1]) >= size or stem in stems:
            chunks.append([])
            stems = set()
        chunks[-1].append(source)
        stems.add(stem)
    return chunks


def _is_complete_pdf(path: Path) -> bool:
    """True when path is a PDF that was written to the end (a killed soffice may leave half a file)."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 1024))
            return b"%%EOF" in handle.read()
    except OSError:
        return False


def _start_process_group(command: list[str]) -> subprocess.Popen[bytes]:
    """Start command in a process group of its own, so a hung soffice and its children can be killed together."""
    if sys.platform == "win32":
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, creationflags=flags)
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_process_group(process: subprocess.Popen[bytes]) -> None:
    """Kill process and every process it started (soffice starts soffice.bin), then reap it."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True)
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.kill()
    process.wait()
