"""`kehoach render`, `check` and `preview`: one or more plan files, or folders of them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from kehoach.cli import Strict, command, report, say, warnings_channel
from kehoach.cli.register import CapSo, SoDangKy, numbering
from kehoach.errors import ExitCode, KehoachError, Warnings

Files = Annotated[list[Path], typer.Argument(
    metavar="TỆP", help="Các tệp kế hoạch .yaml, hoặc thư mục chứa chúng", show_default=False)]
PdfA = Annotated[bool, typer.Option("--pdfa", help="Tạo PDF lưu trữ PDF/A-2b (kéo theo --pdf).")]
Metadata = Annotated[bool, typer.Option(
    "--metadata", help="Ghi cạnh mỗi văn bản tệp .json thông tin văn bản đi (số, ký hiệu, ngày, trích yếu, người ký, "
                       "nơi nhận, số trang khi có PDF) để nhập vào hệ thống quản lý văn bản.")]


class Tally:
    """Each file's problems reported as they come and the run goes on; then the total and the worst exit code."""

    def __init__(self) -> None:
        self.worst, self.count = ExitCode.OK, 0

    def fail(self, error: KehoachError) -> None:
        report(error)
        self.count += len(error.problems)
        self.worst = max(self.worst, error.exit_code)

    def each(self, items: list, action: Callable[[Path], Optional[str]]) -> None:
        """Run action on every item, saying what it returns and reporting its problems."""
        for item in items:
            try:
                said = action(item)
            except KehoachError as error:
                self.fail(error)
            else:
                if said:
                    say(said)

    def finish(self) -> ExitCode:
        if self.count:
            typer.echo(f"Tổng cộng {self.count} lỗi.", err=True)
        return self.worst


def each_file(sources: list[Path], action: Callable[[Path], str]) -> ExitCode:
    """Run action on every file, reporting each file's problems and going on; then the total count."""
    tally = Tally()
    tally.each(sources, action)
    return tally.finish()


@command("render")
def render_command(
    ctx: typer.Context,
    files: Files,
    output: Annotated[Optional[str], typer.Option(
        "-o", "--output", metavar="ĐƯỜNG_DẪN",
        help="Tệp .docx kết quả (một tệp vào), hoặc thư mục chứa kết quả (nhiều tệp vào; tên kết thúc bằng / "
             "hoặc chưa có và không có đuôi). Mặc định: cạnh tệp YAML, đặt tên theo số, ký hiệu và ngày của văn bản.")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Tạo thêm tệp PDF cạnh mỗi tệp DOCX (cần LibreOffice).")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Số tiến trình LibreOffice chuyển PDF song song; "
                                                                 "0 = mọi lõi CPU")] = 1,
    pdfa: PdfA = False,
    metadata: Metadata = False,
    cap_so: CapSo = False,
    so_dang_ky: SoDangKy = None,
    strict: Strict = False,
) -> None:
    """Tạo tệp Word (DOCX) từ tệp kế hoạch YAML (kiểm tra như lệnh check trước khi ghi)."""
    from kehoach.pipeline import Ready, place, plan_files, prepare
    from kehoach.write.naming import Destination

    register = numbering(ctx, cap_so, so_dang_ky)
    channel = warnings_channel(strict)
    sources = plan_files(files)
    destination = Destination(output, many=len(sources) > 1)
    tally = Tally()
    ready: list[Ready] = []  # every plan rendered before any is written: names checked first

    def one(source: Path) -> None:
        ready.append(prepare(source, destination, register))
        for warning in ready[-1].built.warnings:
            channel.warn(warning)

    tally.each(sources, one)
    try:
        place(ready, destination)
    except KehoachError as error:
        tally.fail(error)
        raise typer.Exit(tally.finish()) from None
    written: dict[Path, dict] = {}  # each DOCX with what its sidecar says

    def write(item: Ready) -> str:
        written[item.write(register)] = item.built.record
        return f"Đã tạo: {item.target}"

    tally.each(ready, write)
    worst = tally.finish()
    if written:  # all DOCX first, then one LibreOffice batch for all of them
        worst = max(worst, finish(written, pdf or pdfa, jobs, pdfa, metadata, channel))
    raise typer.Exit(channel.exit_code(worst))


def finish(written: dict[Path, dict], pdf: bool, jobs: int, pdfa: bool, metadata: bool, warnings: Warnings,
           quiet: bool = False) -> ExitCode:
    """After the DOCX files: their PDFs (--pdf, --pdfa), then their sidecars (--metadata), which count the PDF's pages."""
    worst, pdfs = ExitCode.OK, {}
    if pdf:
        worst, pdfs = convert_reporting(list(written), warnings, quiet, jobs, pdfa)
    if metadata:
        worst = max(worst, write_sidecars(written, pdfs))
    return worst


def write_sidecars(records: dict[Path, dict], pdfs: dict[Path, Path]) -> ExitCode:
    """Write each document's sidecar beside it; report each one that cannot be written, and the count."""
    from kehoach.write.metadata import write_sidecar

    worst, count = ExitCode.OK, 0
    for docx, fields in records.items():
        try:
            write_sidecar(docx, fields, pdfs.get(docx))
            count += 1
        except KehoachError as error:
            report(error)
            worst = max(worst, error.exit_code)
    say(f"Đã ghi thông tin văn bản (.json): {count}/{len(records)} tệp.")
    return worst


def warn_missing_fonts(warnings: Warnings) -> None:
    """Warn before a conversion when the PDF would be set in a face that breaks lines unlike Word."""
    from kehoach.write.pdf import font_warning

    warning = font_warning()
    if warning:
        warnings.warn(warning)


def convert_reporting(docx_paths: list[Path], warnings: Warnings, quiet: bool = False, jobs: int = 1,
                      pdfa: bool = False) -> tuple[ExitCode, dict[Path, Path]]:
    """Convert written DOCX files to PDF in one LibreOffice batch (`jobs` soffice at once), reporting each failure
    (and, unless quiet, each PDF made) and then the count; the worst exit code and each PDF made, by its DOCX.
    The DOCX files are kept whatever happens."""
    from kehoach.write.pdf import convert_all

    warn_missing_fonts(warnings)
    try:
        results = convert_all(docx_paths, jobs=jobs, pdfa=pdfa)
    except KehoachError as error:  # LibreOffice missing: the DOCX files stay as written
        report(error)
        typer.echo("Các tệp DOCX đã được tạo; chỉ chưa có tệp PDF.", err=True)
        return error.exit_code, {}
    failed = [result for result in results if not result.ok]
    for result in results:
        if not result.ok:
            typer.echo(str(result.problem), err=True)
        elif not quiet:
            say(f"Đã tạo: {result.pdf}")
    say(f"Đã chuyển sang PDF: {len(results) - len(failed)}/{len(results)} tệp.")
    return ExitCode.CONVERTER if failed else ExitCode.OK, {result.source: result.pdf for result in results if result.pdf}


@command("preview")
def preview_command(
    file: Annotated[Path, typer.Argument(help="Tệp kế hoạch .yaml", show_default=False)],
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Thư mục lưu DOCX, PDF và ảnh các trang. Mặc định: một thư mục tạm.")] = None,
    dpi: Annotated[int, typer.Option("--dpi", min=30, max=600, help="Độ phân giải ảnh trang (điểm ảnh mỗi inch).")] = 100,
    open_pdf: Annotated[bool, typer.Option("--open", help="Mở tệp PDF bằng chương trình xem PDF của máy.")] = False,
) -> None:
    """Xem trước bố cục trang mà không cần Word: tạo DOCX, PDF và ảnh PNG từng trang."""
    import tempfile

    from kehoach.pipeline import place, prepare
    from kehoach.write.naming import Destination
    from kehoach.write.pdf import convert_one, pdf_to_png

    try:
        destination = Destination(str(output or tempfile.mkdtemp(prefix="kehoach-xem-truoc-")), many=True)
        ready = prepare(file, destination)
        place([ready], destination)
        docx = ready.write()
        say(f"Đã tạo: {docx}")
        warn_missing_fonts(warnings_channel(False))
        pdf = convert_one(docx)
        say(f"Đã tạo: {pdf}")
        for page in pdf_to_png(pdf, destination.folder, dpi=dpi):
            say(f"Trang: {page}")
    except KehoachError as error:
        report(error)
        raise typer.Exit(error.exit_code) from None
    if open_pdf:
        open_with_viewer(pdf)


def open_with_viewer(path: Path) -> None:
    """Open a file with the operating system's default program."""
    import os
    import subprocess
    import sys

    try:
        if sys.platform == "win32":
            os.startfile(path)  # noqa: S606 - the clerk's own PDF viewer
        else:
            subprocess.Popen(["open" if sys.platform == "darwin" else "xdg-open", str(path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        typer.echo(f"Không mở được tệp PDF bằng chương trình xem của máy; hãy mở tay: {path}", err=True)



@command("check")
def check_command(files: Files, strict: Strict = False) -> None:
    """Kiểm tra tệp kế hoạch YAML (hoặc tệp danh sách trường), báo mọi lỗi kèm dòng và cột; không tạo tệp nào."""
    from kehoach.model.reader import check_schools, is_schools_file
    from kehoach.pipeline import check, plan_files

    def one(source: Path) -> str:
        if is_schools_file(source):
            check_schools(source)
            return f"{source}: danh sách trường, không có lỗi"
        for warning in check(source).warnings:
            channel.warn(warning)
        return f"{source}: không có lỗi"

    channel = warnings_channel(strict)
    raise typer.Exit(channel.exit_code(each_file(plan_files(files), one)))
