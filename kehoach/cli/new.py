"""`kehoach new`: a starter plan (or công văn, tờ trình), commented in Vietnamese, with the schema files editors
check it against; or, with `report --from PLAN.yaml`, the year-end report of a plan with the plan's activities
listed, and with `cong-van --from PLAN.yaml`, the công văn that sends a plan or report to its units' bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import command, say


@dataclass(frozen=True)
class Starter:
    """A kind of starter: its file in kehoach/data/starters/ and the schools file it needs, if any."""

    file: str
    schools: str | None = None  # the starter schools file written beside the plan (kept if it exists)
    name: str = "ke-hoach.yaml"  # the file written when -o does not name one


# Kind → starter. A new kind (memorandum, report) is one row here and one file in data/starters/.
STARTERS = {
    "lien-truong": Starter("lien-truong.yaml", schools="truong.yaml"),
    "mot-don-vi": Starter("mot-don-vi.yaml"),
    "cong-van": Starter("cong-van.yaml", name="cong-van.yaml"),
    "to-trinh": Starter("to-trinh.yaml", name="to-trinh.yaml"),
    "quyet-dinh": Starter("quyet-dinh.yaml", schools="truong.yaml", name="quyet-dinh.yaml"),
}
REPORT = "bao-cao"  # made from a plan (--from), not copied from a starter file
COVER_LETTER = "cong-van"  # with --from: the công văn sending that plan or report; without: the starter
ALIASES = {"joint": "lien-truong", "single": "mot-don-vi", "report": REPORT, "letter": COVER_LETTER,
           "submission": "to-trinh", "decision": "quyet-dinh"}
SCHOOLS_NAME = "truong.yaml"  # the name the joint starter's `danh_sach_truong:` line gives


def _kinds() -> str:
    return ", ".join(f"{kind} ({alias})" for alias, kind in ALIASES.items())


def _starter_kind(kind: str) -> str:
    """The starter's name for a kind given in Vietnamese or English; a usage error otherwise."""
    name = ALIASES.get(kind, kind)
    if name not in STARTERS and name != REPORT:
        raise typer.BadParameter(f"không có loại '{kind}'; chọn một trong: {_kinds()}")
    return name


@command("new")
def new_command(
    kind: Annotated[str, typer.Argument(
        metavar="LOẠI", help=f"Loại văn bản: {_kinds()}", callback=_starter_kind)] = "lien-truong",
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Tệp sẽ tạo (hoặc thư mục chứa nó). Mặc định: ke-hoach.yaml (công văn: cong-van.yaml, "
                               "tờ trình: to-trinh.yaml, quyết định: quyet-dinh.yaml); báo cáo, công văn --from: bao-cao-<tên>.yaml, "
                               "cong-van-<tên>.yaml cạnh tệp nguồn")] = None,
    from_plan: Annotated[Optional[Path], typer.Option(
        "--from", metavar="KẾ_HOẠCH", help="Loại bao-cao: tệp kế hoạch cần báo cáo kết quả; loại cong-van: "
                                           "tệp kế hoạch hoặc báo cáo cần gửi cơ quan quản lý")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có")] = False,
) -> None:
    """Tạo tệp kế hoạch mẫu có sẵn nội dung chuẩn của phong trào, chỉ cần điền thông tin trường
    (hoặc tệp công văn, tờ trình mẫu); hoặc (bao-cao --from KẾ_HOẠCH) tệp báo cáo kết quả đã liệt kê
    các hoạt động của kế hoạch; hoặc (cong-van --from KẾ_HOẠCH) công văn gửi kế hoạch đó lên cơ quan quản lý.

    Cùng thư mục còn có các tệp .schema.json để VS Code gợi ý và kiểm tra khi gõ,
    và (kế hoạch liên trường) tệp danh sách trường truong.yaml nếu chưa có.
    """
    from importlib.resources import files

    from kehoach.write.naming import refuse_existing
    from kehoach.write.output import write_atomic
    from kehoach.model.schema import schema_text

    if kind == REPORT or (kind == COVER_LETTER and from_plan is not None):
        new_from_plan(kind, from_plan, output, force)
        return
    if from_plan is not None:
        raise typer.BadParameter(f"--from chỉ dùng với loại {REPORT} (report) và {COVER_LETTER} (letter)", param_hint="--from")
    starter = STARTERS[kind]
    output = output or Path(starter.name)
    if output.is_dir():  # `-o ThuMuc`: the plan goes into that folder
        output = output / starter.name
    refuse_existing(output, force)
    folder = files("kehoach").joinpath("data/starters")
    text = folder.joinpath(starter.file).read_bytes()
    write_atomic(output, text)
    say(f"Đã tạo: {output}")
    schemas = ["ke-hoach"]
    if starter.schools:
        schemas.append("truong")
        schools = output.parent / SCHOOLS_NAME
        if schools.exists():  # a schools file is shared by every plan of the folder: never replaced
            # the codes the starter calls its schools by: one for a decision, two for a joint plan
            codes = re.findall(r"^\s*- truong: (\S+)", text.decode("utf-8"), re.M)
            say(f"Dùng tệp danh sách trường có sẵn: {schools} (thêm trường {' và '.join(codes)} vào đó, "
                f"hoặc đổi mã trong {output.name})")
        else:
            write_atomic(schools, folder.joinpath(starter.schools).read_bytes())
            say(f"Đã tạo: {schools}")
    for stem in schemas:  # generated, never edited by hand: refreshed on every run
        write_atomic(output.parent / f"{stem}.schema.json", schema_text(stem).encode("utf-8"))
    say("Điền các dòng còn trống, rồi chạy: kehoach check " + str(output))


def new_from_plan(kind: str, plan_path: Optional[Path], output: Optional[Path], force: bool) -> None:
    """Write the report (bao-cao) or the cover letter (cong-van) of a plan; default: beside it, "<kind>-<plan>.yaml"."""
    from kehoach.write.naming import refuse_existing
    from kehoach.write.output import write_atomic
    from kehoach.model.reader import read_document
    from kehoach.compose.report_starter import cover_letter_yaml, report_yaml

    if plan_path is None:
        raise typer.BadParameter(f"loại {REPORT} cần tệp kế hoạch: thêm --from KE_HOACH.yaml", param_hint="--from")
    plan = read_document(plan_path)
    name = f"{kind}-{plan_path.stem}.yaml"
    target = output or plan_path.with_name(name)
    if target.is_dir():
        target = target / name
    refuse_existing(target, force)
    text = report_yaml(plan, plan_path, target) if kind == REPORT else cover_letter_yaml(plan, plan_path, target)
    write_atomic(target, text.encode("utf-8"))
    say(f"Đã tạo: {target}")
    if kind == REPORT:
        say("Điền cột \"Kết quả thực hiện\" và các dấu …, rồi chạy: kehoach check " + str(target))
    else:
        say("Xem lại trích yếu, nơi kính gửi và nội dung, rồi chạy: kehoach check " + str(target))
