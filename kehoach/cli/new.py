"""`kehoach new`: a starter plan, commented in Vietnamese, with the schema files editors check it against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from kehoach.cli import command, say


@dataclass(frozen=True)
class Starter:
    """A kind of starter: its file in kehoach/data/starters/ and the schools file it needs, if any."""

    file: str
    schools: str | None = None  # the starter schools file written beside the plan (kept if it exists)


# Kind → starter. A new kind (memorandum, report) is one row here and one file in data/starters/.
STARTERS = {
    "lien-truong": Starter("lien-truong.yaml", schools="truong.yaml"),
    "mot-don-vi": Starter("mot-don-vi.yaml"),
}
ALIASES = {"joint": "lien-truong", "single": "mot-don-vi"}
SCHOOLS_NAME = "truong.yaml"  # the name the joint starter's `danh_sach_truong:` line gives


def _kinds() -> str:
    return ", ".join(f"{kind} ({alias})" for alias, kind in ALIASES.items())


def _starter_kind(kind: str) -> str:
    """The starter's name for a kind given in Vietnamese or English; a usage error otherwise."""
    name = ALIASES.get(kind, kind)
    if name not in STARTERS:
        raise typer.BadParameter(f"không có loại '{kind}'; chọn một trong: {_kinds()}")
    return name


@command("new")
def new_command(
    kind: Annotated[str, typer.Argument(
        metavar="LOẠI", help=f"Loại kế hoạch: {_kinds()}", callback=_starter_kind)] = "lien-truong",
    output: Annotated[Path, typer.Option(
        "-o", "--output", help="Tệp kế hoạch sẽ tạo (hoặc thư mục chứa nó)")] = Path("ke-hoach.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp kế hoạch đã có")] = False,
) -> None:
    """Tạo tệp kế hoạch mẫu có sẵn nội dung chuẩn của phong trào, chỉ cần điền thông tin trường.

    Cùng thư mục còn có các tệp .schema.json để VS Code gợi ý và kiểm tra khi gõ,
    và (kế hoạch liên trường) tệp danh sách trường truong.yaml nếu chưa có.
    """
    from importlib.resources import files

    from kehoach.errors import OutputError, Problem, Where
    from kehoach.output import write_atomic
    from kehoach.schema import schema_text

    starter = STARTERS[kind]
    if output.is_dir():  # `-o ThuMuc`: the plan goes into that folder
        output = output / "ke-hoach.yaml"
    if output.exists() and not force:
        raise OutputError(Problem(Where(str(output)), "tệp đã có, không ghi đè",
                                  "chọn tên khác bằng -o, hoặc thêm --force để ghi đè"))
    folder = files("kehoach").joinpath("data/starters")
    write_atomic(output, folder.joinpath(starter.file).read_bytes())
    say(f"Đã tạo: {output}")
    schemas = ["ke-hoach"]
    if starter.schools:
        schemas.append("truong")
        schools = output.parent / SCHOOLS_NAME
        if schools.exists():  # a schools file is shared by every plan of the folder: never replaced
            say(f"Dùng tệp danh sách trường có sẵn: {schools} (thêm hai trường truong_1, truong_2 hoặc đổi mã trong kế hoạch)")
        else:
            write_atomic(schools, folder.joinpath(starter.schools).read_bytes())
            say(f"Đã tạo: {schools}")
    for stem in schemas:  # generated, never edited by hand: refreshed on every run
        write_atomic(output.parent / f"{stem}.schema.json", schema_text(stem).encode("utf-8"))
    say("Điền các dòng còn trống, rồi chạy: kehoach check " + str(output))
