"""`kehoach register list | export | void`, and the --cap-so / --so-dang-ky options of render and batch."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import app, say
from kehoach.cli.tiengviet import Command, Group
from kehoach.errors import ExitCode, InputError, Problem, Where

CapSo = Annotated[bool, typer.Option(
    "--cap-so", help="Cấp số văn bản từ sổ đăng ký văn bản đi và ghi văn bản vào sổ; văn bản đã có số giữ số đó. "
                     "Mặc định sổ là tệp so-dang-ky.sqlite cạnh tệp kế hoạch.")]
SoDangKy = Annotated[Optional[str], typer.Option(
    "--so-dang-ky", metavar="TỆP|URL",
    help="Sổ đăng ký văn bản đi: đường dẫn tệp .sqlite, hoặc địa chỉ máy chủ postgresql://… cho cả cơ quan "
         "(hoặc biến môi trường KEHOACH_SO_DANG_KY).")]
Nam = Annotated[Optional[int], typer.Option("--nam", metavar="NĂM", help="Năm của sổ (năm ban hành văn bản).")]
DonVi = Annotated[Optional[str], typer.Option("--don-vi", metavar="ĐƠN_VỊ", help="Đơn vị ban hành: chữ viết tắt (ký hiệu) hoặc tên đơn vị.")]


def numbering(ctx: typer.Context, cap_so: bool, so_dang_ky: Optional[str]):  # noqa: ANN201 - imported late for a quick --help
    """The register a render or batch numbers into (closed when the command ends), or None without --cap-so."""
    return _open(ctx, so_dang_ky) if cap_so else None


def _open(ctx: typer.Context, so_dang_ky: Optional[str]):  # noqa: ANN202
    from kehoach.register.numbering import Register

    register = Register(so_dang_ky)
    ctx.call_on_close(register.close)
    return register


register_app = typer.Typer(cls=Group, no_args_is_help=True, rich_markup_mode=None,
                           help="Sổ đăng ký văn bản đi (Nghị định 30/2020/NĐ-CP, Phụ lục IV): xem, in, hủy số.")
app.add_typer(register_app, name="register")


def _store(ctx: typer.Context, so_dang_ky: Optional[str]):  # noqa: ANN202
    """The register named, else the one in the current folder (where `render --cap-so` keeps it by default)."""
    return _open(ctx, so_dang_ky).store(Path.cwd(), create=False)


@register_app.command("list", cls=Command)
def list_command(ctx: typer.Context, so_dang_ky: SoDangKy = None, nam: Nam = None, don_vi: DonVi = None) -> None:
    """In sổ đăng ký văn bản đi ra màn hình: mỗi số một dòng, kể cả số đã hủy."""
    from kehoach.register.store import TRANG_THAI

    from kehoach.register.numbering import reported

    store = _store(ctx, so_dang_ky)
    with reported(store.location):
        rows = store.rows(nam, don_vi)
    for dong in rows:
        state = TRANG_THAI[dong.trang_thai] + (f": {dong.ly_do_huy}" if dong.ly_do_huy else "")
        say(f"{dong.don_vi} {dong.nam}  {dong.so_ky_hieu}  {dong.ngay_viet}  "
            f"[{state}]  {dong.ten_loai_trich_yeu}")
    say(f"Tổng cộng {len(rows)} số trong sổ {store.location}.")


@register_app.command("export", cls=Command)
def export_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(metavar="TỆP.xlsx", help="Tệp Excel sẽ tạo", show_default=False)],
    so_dang_ky: SoDangKy = None, nam: Nam = None, don_vi: DonVi = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Tạo thêm tệp PDF để in và đóng sổ (cần LibreOffice).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có")] = False,
) -> None:
    """Xuất sổ đăng ký văn bản đi ra Excel theo mẫu Phụ lục IV (A4 ngang, lặp dòng tiêu đề khi in), để in và đóng quyển."""
    from kehoach.write.naming import refuse_existing
    from kehoach.register.export import write_register
    from kehoach.register.numbering import reported

    refuse_existing(output, force)  # an .xlsx there may be a clerk's roster or an earlier, annotated export

    store = _store(ctx, so_dang_ky)
    with reported(store.location):
        rows = store.rows(nam, don_vi)
    write_register(rows, output)
    say(f"Đã tạo: {output} ({len(rows)} số)")
    if pdf:
        from kehoach.cli import warnings_channel
        from kehoach.cli.render import convert_reporting

        raise typer.Exit(convert_reporting([output], warnings_channel(False))[0])


@register_app.command("void", cls=Command)
def void_command(
    ctx: typer.Context,
    so: Annotated[int, typer.Argument(metavar="SỐ", help="Số cần hủy", show_default=False)],
    ly_do: Annotated[str, typer.Option("--ly-do", metavar="LÝ_DO", help="Lý do hủy số (ghi vào sổ)", show_default=False)],
    so_dang_ky: SoDangKy = None, nam: Nam = None, don_vi: DonVi = None,
) -> None:
    """Hủy một số đã cấp hoặc đang giữ: số vẫn nằm trong sổ kèm lý do và không bao giờ được cấp lại."""
    from kehoach.register.numbering import reported

    store = _store(ctx, so_dang_ky)
    year = nam or date.today().year
    if not ly_do.strip():
        raise InputError(Problem(Where("--ly-do"), "chưa ghi lý do hủy số", 'ghi lý do, ví dụ: --ly-do "Văn bản không ban hành"'))
    try:
        with reported(store.location):
            dong = store.void(so, year, don_vi, ly_do.strip())
    except LookupError as error:
        units = error.args[0]
        if units:
            hint = f"chọn đơn vị bằng --don-vi, một trong: {', '.join(units)}"
        else:
            hint = "xem các số đã cấp bằng: kehoach register list" + ("" if nam else "; số của năm khác thì thêm --nam")
        raise InputError(Problem(Where(store.location), f"không xác định được số {so:02d} năm {year} cần hủy"
                                 + (" (nhiều đơn vị có số này)" if units else " (sổ không có số này)"), hint)) from None
    say(f"Đã hủy số {dong.so_ky_hieu} năm {dong.nam} của {dong.ten_don_vi}: {dong.ly_do_huy}")
    raise typer.Exit(ExitCode.OK)
