"""The outgoing register (sổ đăng ký văn bản đi): numbers right, unique and never lost, on SQLite and PostgreSQL.

PostgreSQL runs from a private cluster this session starts in a temporary folder (initdb/pg_ctl of
Debian's postgresql package), unless KEHOACH_TEST_POSTGRES gives a server URL; on CI a missing server
fails the tests instead of skipping them.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from docxread import open_docx
from support import EXAMPLES, ROSTER, run, unavailable

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký", "Nơi nhận văn bản",
          "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú"]

PLAN = """\
don_vi:
  - co_quan_chu_quan: UBND PHƯỜNG HOÀNG LIỆT
    ten: Trường Tiểu học Hoàng Liệt
    ky_hieu: THHL
    dia_danh: Hoàng Liệt
    hieu_truong: Nguyễn Thị Lan
so: {so}
ky_hieu: KH-THHL
ngay: {ngay}
trich_yeu: {trich_yeu}
noi_dung:
  - muc: Mục đích
    noi_dung:
      - gach: Nâng cao chất lượng.
noi_nhan:
  - UBND phường Hoàng Liệt
  - Các tổ chuyên môn
luu: VT, CM (02)
"""


def write_plan(folder: Path, name: str, trich_yeu: str, ngay: str = "16/9/2025", so: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(PLAN.format(so=f'"{so}"' if so else "", ngay=ngay, trich_yeu=trich_yeu), encoding="utf-8")
    return path


def number_in(docx: Path) -> str:
    """The "Số: 07/KH-…" line as a receiving office reads it in the DOCX's header table."""
    document = open_docx(docx.read_bytes())
    for table in document.tables:
        for cell in table._cells:
            if cell.text.startswith("Số:"):
                return cell.text.strip()
    raise AssertionError("no number line in the document")


# ---------------------------------------------------------------- the two backends


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """A server URL: KEHOACH_TEST_POSTGRES, or a private cluster started here and stopped at the end."""
    given = os.environ.get("KEHOACH_TEST_POSTGRES")
    if given:
        yield given
        return
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        unavailable("PostgreSQL missing (initdb not found in /usr/lib/postgresql/*/bin): apt install postgresql")
    bindir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="kehoach-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres system user
        import pwd

        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--locale=C", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                    f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off -c max_connections=50", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@/postgres?host={folder}&port={port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _fresh_database(server: str) -> str:
    """A new empty database on the server, so that each test starts with no register."""
    import psycopg

    name = f"so_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base, _, query = server.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


@pytest.fixture(params=["sqlite", "postgres"])
def register(request, tmp_path) -> str:
    """Where the register is, as --so-dang-ky takes it: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        (tmp_path / "so").mkdir()
        return str(tmp_path / "so" / "so-dang-ky.sqlite")
    return _fresh_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(autouse=True)
def _no_register_from_environment(monkeypatch):
    monkeypatch.delenv("KEHOACH_SO_DANG_KY", raising=False)


def rows(location: str):
    from kehoach.register.store import open_store

    store = open_store(location)
    try:
        return store.rows()
    finally:
        store.close()


def kehoach(*args: str, env: dict | None = None, **options) -> subprocess.Popen:
    """`kehoach ARGS` in a process of its own (as a second clerk's run would be)."""
    return subprocess.Popen([sys.executable, "-m", "kehoach", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


# ---------------------------------------------------------------- numbering


def test_render_numbers_each_unit_year_from_01_and_a_rerender_keeps_its_number(register, tmp_path):
    first = write_plan(tmp_path, "a", "Phối hợp tổ chức phong trào năm học 2025-2026")
    second = write_plan(tmp_path, "b", "Tổ chức ngày hội đọc sách")
    out = tmp_path / "out"
    code, _, err = run("render", str(first), str(second), "-o", str(out), "--cap-so", "--so-dang-ky", register)
    assert code == 0, err
    assert number_in(out / "a.docx") == "Số: 01/KH-THHL"
    assert number_in(out / "b.docx") == "Số: 02/KH-THHL"
    # A typo fixed in the body, rendered again: the same document, the same number, nothing consumed.
    first.write_text(first.read_text(encoding="utf-8").replace("Nâng cao", "Không ngừng nâng cao"), encoding="utf-8")
    code, _, err = run("render", str(first), "-o", str(out / "a.docx"), "--cap-so", "--so-dang-ky", register)
    assert code == 0, err
    assert number_in(out / "a.docx") == "Số: 01/KH-THHL"
    found = rows(register)
    assert [(r.so, r.trang_thai) for r in found] == [(1, "da_cap"), (2, "da_cap")]
    entry = found[0]
    assert (entry.so_ky_hieu, entry.ngay_viet, entry.nguoi_ky) == ("01/KH-THHL", "16/09/2025", "Nguyễn Thị Lan")
    assert entry.ten_loai_trich_yeu == "Kế hoạch Phối hợp tổ chức phong trào năm học 2025-2026"
    assert (entry.noi_nhan, entry.ban_luu, entry.so_luong_ban) == ("UBND phường Hoàng Liệt; Các tổ chuyên môn", "VT, CM (02)", 5)
    assert entry.tep.endswith("a.docx")


def test_the_default_register_is_a_file_beside_the_plan(tmp_path):
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    code, out, err = run("render", str(plan), "--cap-so")
    assert code == 0, err
    assert number_in(tmp_path / "01-KH-THHL 2025-09-16.docx") == "Số: 01/KH-THHL"
    assert [r.so for r in rows(str(tmp_path / "so-dang-ky.sqlite"))] == [1]


def test_the_environment_names_one_register_for_every_folder(tmp_path, monkeypatch):
    shared = tmp_path / "van-thu" / "so.sqlite"
    shared.parent.mkdir()
    monkeypatch.setenv("KEHOACH_SO_DANG_KY", str(shared))
    for folder in ("to-1", "to-2"):
        (tmp_path / folder).mkdir()
        plan = write_plan(tmp_path / folder, "a", f"Kế hoạch của {folder}")
        assert run("render", str(plan), "--cap-so")[0] == 0
    assert [r.so for r in rows(str(shared))] == [1, 2]
    assert not list(tmp_path.glob("*/so-dang-ky.sqlite"))


def test_a_number_written_in_the_plan_is_registered_and_one_given_to_another_document_is_an_error_at_its_line(
        register, tmp_path):
    given = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách", so="05")
    code, _, err = run("render", str(given), "-o", str(tmp_path / "a.docx"), "--cap-so", "--so-dang-ky", register)
    assert code == 0, err
    assert number_in(tmp_path / "a.docx") == "Số: 05/KH-THHL"
    # The next number follows the highest one in the register.
    nxt = write_plan(tmp_path, "b", "Tổ chức hội giảng")
    code, _, err = run("render", str(nxt), "-o", str(tmp_path / "b.docx"), "--cap-so", "--so-dang-ky", register)
    assert number_in(tmp_path / "b.docx") == "Số: 06/KH-THHL"
    clash = write_plan(tmp_path, "c", "Tổ chức hội thi giáo viên giỏi", so="05")
    code, _, err = run("render", str(clash), "-o", str(tmp_path / "c.docx"), "--cap-so", "--so-dang-ky", register)
    assert code == 1
    line = next(n for n, text in enumerate(clash.read_text(encoding="utf-8").splitlines(), start=1) if text.startswith("so:"))
    assert re.search(rf"c\.yaml:{line}:\d+: số 05 năm 2025 đã cấp cho văn bản khác: 05/KH-THHL", err), err
    assert "Tổ chức ngày hội đọc sách" in err and "Traceback" not in err
    assert not (tmp_path / "c.docx").exists()
    assert [r.so for r in rows(register)] == [5, 6]


def test_a_voided_number_stays_in_the_register_and_is_never_given_again(register, tmp_path):
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    args = ("--so-dang-ky", register)
    assert run("render", str(plan), "-o", str(tmp_path / "a.docx"), "--cap-so", *args)[0] == 0
    code, out, err = run("register", "void", "1", "--nam", "2025", "--ly-do", "Văn bản không ban hành", *args)
    assert code == 0, err
    assert "Đã hủy số 01/KH-THHL" in out
    # The same document rendered again gets a new number; the voided one is still there, with its reason.
    assert run("render", str(plan), "-o", str(tmp_path / "a.docx"), "--cap-so", *args)[0] == 0
    assert number_in(tmp_path / "a.docx") == "Số: 02/KH-THHL"
    code, out, _ = run("register", "list", "--nam", "2025", "--don-vi", "thhl", *args)
    assert code == 0
    assert "01/KH-THHL  16/09/2025  [đã hủy: Văn bản không ban hành]" in out
    assert "02/KH-THHL  16/09/2025  [đã cấp]" in out
    # A voided number written by hand is refused too.
    again = write_plan(tmp_path, "b", "Tổ chức hội giảng", so="1")
    code, _, err = run("render", str(again), "-o", str(tmp_path / "b.docx"), "--cap-so", *args)
    assert code == 1 and "đã bị hủy (Văn bản không ban hành)" in err
    code, _, err = run("register", "void", "9", "--nam", "2025", "--ly-do", "x", *args)
    assert code == 1 and "sổ không có số này" in err


def test_year_rollover_31_december_ends_a_sequence_and_1_january_starts_at_01(register, tmp_path):
    plans = [write_plan(tmp_path, "a", "Tổng kết học kỳ", ngay="30/12/2025"),
             write_plan(tmp_path, "b", "Tổng kết năm", ngay="31/12/2025"),
             write_plan(tmp_path, "c", "Kế hoạch tháng Một", ngay="01/01/2026")]
    code, _, err = run("render", *map(str, plans), "-o", str(tmp_path / "out"), "--cap-so", "--so-dang-ky", register)
    assert code == 0, err
    assert [number_in(tmp_path / "out" / f"{n}.docx") for n in "abc"] == ["Số: 01/KH-THHL", "Số: 02/KH-THHL", "Số: 01/KH-THHL"]
    assert [(r.nam, r.so) for r in rows(register)] == [(2025, 1), (2025, 2), (2026, 1)]


# ---------------------------------------------------------------- concurrency and crashes


def test_eight_processes_numbering_at_once_get_200_distinct_consecutive_numbers(register, tmp_path):
    processes = []
    for worker in range(8):
        folder = tmp_path / f"clerk{worker}"
        folder.mkdir()
        plans = [str(write_plan(folder, f"p{n}", f"Văn bản {worker}-{n}")) for n in range(25)]
        processes.append(kehoach("render", *plans, "-o", str(folder / "out"), "--cap-so", "--so-dang-ky", register))
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    found = rows(register)
    assert sorted(r.so for r in found) == list(range(1, 201))
    assert {r.trang_thai for r in found} == {"da_cap"}
    printed = {number_in(Path(r.tep)) for r in found}
    assert printed == {f"Số: {n:02d}/KH-THHL" for n in range(1, 201)}


CRASH = """\
import sys, time
from pathlib import Path
import kehoach.write.output

READY = Path(sys.argv[1])

def stuck(path, data, sync=True):
    READY.write_text("reserved")  # the number is committed; the DOCX not yet written
    time.sleep(600)

kehoach.write.output.write_atomic = stuck
sys.argv = ["kehoach", *sys.argv[2:]]
from kehoach.cli import main
main()
"""


def test_killed_between_reservation_and_write_the_next_run_reuses_the_number(register, tmp_path):
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    script, ready = tmp_path / "crash.py", tmp_path / "ready"
    script.write_text(CRASH, encoding="utf-8")
    target = tmp_path / "a.docx"
    process = subprocess.Popen([sys.executable, str(script), str(ready), "render", str(plan), "-o", str(target), "--cap-so",
                                "--so-dang-ky", register], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert not target.exists()
    assert [(r.so, r.trang_thai) for r in rows(register)] == [(1, "giu_so")]
    code, _, err = run("render", str(plan), "-o", str(target), "--cap-so", "--so-dang-ky", register)
    assert code == 0, err
    assert number_in(target) == "Số: 01/KH-THHL"
    other = write_plan(tmp_path, "b", "Tổ chức hội giảng")
    assert run("render", str(other), "-o", str(tmp_path / "b.docx"), "--cap-so", "--so-dang-ky", register)[0] == 0
    assert [(r.so, r.trang_thai) for r in rows(register)] == [(1, "da_cap"), (2, "da_cap")]


# ---------------------------------------------------------------- a batch


def _roster(path: Path, pairs: list[tuple[str, str]], numbers: tuple[str, ...] = ()) -> None:
    """A CSV roster whose rows share their first school (one lead unit numbering several plans)."""
    from kehoach.input.roster import COLUMNS

    header = [c.header for c in COLUMNS]
    lines = [",".join(f'"{h}"' for h in header)]
    for index, (second, principal) in enumerate(pairs, start=1):
        values = {"don_vi.0.ten": "Trường Tiểu học Hoàng Liệt", "don_vi.0.ten_ngan": "TH Hoàng Liệt", "don_vi.0.ky_hieu": "THHL",
                  "don_vi.0.co_quan_chu_quan": "UBND PHƯỜNG HOÀNG LIỆT", "don_vi.0.dia_ban": "phường Hoàng Liệt",
                  "don_vi.0.co_quan_quan_ly": "UBND phường Hoàng Liệt", "don_vi.1.co_quan_quan_ly": "UBND xã Ứng Hòa",
                  "don_vi.0.dia_danh": "Hoàng Liệt", "don_vi.0.hieu_truong": "Nguyễn Thị Lan", "don_vi.0.cap_hoc": "Tiểu học",
                  "don_vi.1.ten": f"Trường Tiểu học {second}", "don_vi.1.ten_ngan": f"TH {second}", "don_vi.1.ky_hieu": "TH2",
                  "don_vi.1.co_quan_chu_quan": "UBND XÃ ỨNG HÒA", "don_vi.1.dia_ban": "xã Ứng Hòa", "don_vi.1.dia_danh": "Ứng Hòa",
                  "don_vi.1.hieu_truong": principal, "don_vi.1.cap_hoc": "Tiểu học", "ngay": "20/10/2025",
                  "so": numbers[index - 1] if numbers else ""}
        lines.append(",".join(f'"{index if not c.key else values.get(c.key, "")}"' for c in COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_batch_numbers_its_rows_in_roster_order_and_a_failing_row_consumes_no_number(tmp_path):
    roster = tmp_path / "danh-sach.csv"
    _roster(roster, [("Hòa Lâm", "Trần Văn A"), ("Vân Đình", ""), ("Đại Hùng", "Lê Thị C"), ("Hòa Xá", "Phạm Văn D")])
    common = EXAMPLES / "batch" / "ke-hoach-chung.yaml"
    location = str(tmp_path / "so-dang-ky.sqlite")
    out = tmp_path / "out"
    code, _, err = run("batch", str(roster), "--plan", str(common), "-o", str(out), "--cap-so",
                       "--so-dang-ky", location)
    assert code == 1 and "Vân Đình" not in {p.name for p in out.iterdir()}
    numbers = {name: number_in(out / f"TH Hoàng Liệt - TH {name}.docx") for name in ("Hòa Lâm", "Đại Hùng", "Hòa Xá")}
    assert [n.split("/")[0] for n in numbers.values()] == ["Số: 01", "Số: 02", "Số: 03"]
    # The same roster again, in two processes: the same numbers, nothing new in the register.
    code, _, err = run("batch", str(roster), "--plan", str(common), "-o", str(out), "--cap-so",
                       "--so-dang-ky", location, "--jobs", "2")
    assert code == 1
    assert {name: number_in(out / f"TH Hoàng Liệt - TH {name}.docx") for name in numbers} == numbers
    assert [(r.so, r.trang_thai) for r in rows(location)] == [(1, "da_cap"), (2, "da_cap"), (3, "da_cap")]


def test_a_number_in_the_roster_is_registered_and_one_already_given_is_an_error_at_its_cell(tmp_path):
    roster = tmp_path / "danh-sach.csv"
    _roster(roster, [("Hòa Lâm", "Trần Văn A"), ("Vân Đình", "Lê Thị B"), ("Hòa Xá", "Lê Văn C")], numbers=("12", "12", "12a"))
    out, location = tmp_path / "out", str(tmp_path / "so-dang-ky.sqlite")
    code, _, err = run("batch", str(roster), "--plan", str(EXAMPLES / "batch" / "ke-hoach-chung.yaml"),
                       "-o", str(out), "--cap-so", "--so-dang-ky", location)
    assert code == 1
    from kehoach.input.roster import COLUMNS

    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[c.key for c in COLUMNS].index("so")]
    assert re.search(rf"danh-sach\.csv:\S*!{column}3: số 12 năm 2025 đã cấp cho văn bản khác: 12/", err), err
    assert number_in(out / "TH Hoàng Liệt - TH Hòa Lâm.docx").startswith("Số: 12/")
    assert re.search(rf"danh-sach\.csv:\S*!{column}4: số văn bản '12a' không phải là số nên không vào sổ đăng ký", err), err
    assert not (out / "TH Hoàng Liệt - TH Vân Đình.docx").exists() and not (out / "TH Hoàng Liệt - TH Hòa Xá.docx").exists()
    assert [r.so for r in rows(location)] == [12]


def test_a_district_memorandum_is_numbered_once(tmp_path):
    common = EXAMPLES / "batch" / "bien-ban-ghi-nho-toan-quan.yaml"
    location, out = str(tmp_path / "so-dang-ky.sqlite"), tmp_path / "out"
    for _ in range(2):
        code, _, err = run("batch", str(EXAMPLES / "batch" / "danh-sach-cap-truong.xlsx"), "--plan",
                           str(common), "--gop", "-o", str(out), "--cap-so", "--so-dang-ky", location)
        assert code == 0, err
        assert number_in(out / "bien-ban-ghi-nho-toan-quan.docx") == "Số: 01/BGN-PGDĐTHM-PGDĐTUH"
    assert [(r.don_vi, r.so, r.trang_thai, r.so_luong_ban) for r in rows(location)] == [("PGDĐTHM", 1, "da_cap", 4)]


def test_a_document_that_holds_a_number_cannot_be_given_another_by_hand(tmp_path):
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    assert run("render", str(plan), "--cap-so")[0] == 0
    plan.write_text(plan.read_text(encoding="utf-8").replace("so: \n", 'so: "02"\n'), encoding="utf-8")
    code, _, err = run("render", str(plan), "--cap-so")
    assert code == 1 and "a.yaml:7:" in err and "văn bản này đã có số 01/KH-THHL trong sổ đăng ký năm 2025" in err


def test_listing_where_there_is_no_register_creates_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run("register", "list")
    assert code == 5 and "so-dang-ky.sqlite: không có sổ đăng ký ở đây" in err
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- printing the register


def test_export_is_phu_luc_iv_on_a4_landscape_with_voided_numbers_shown(register, tmp_path):
    import openpyxl

    plans = [write_plan(tmp_path, n, f"Văn bản {n}") for n in "abc"]
    args = ("--so-dang-ky", register)
    assert run("render", *map(str, plans), "-o", str(tmp_path / "out"), "--cap-so", *args)[0] == 0
    assert run("register", "void", "2", "--nam", "2025", "--ly-do", "Ghi nhầm", *args)[0] == 0
    target = tmp_path / "so-2025.xlsx"
    code, out, err = run("register", "export", str(target), "--nam", "2025", *args)
    assert code == 0, err
    sheet = openpyxl.load_workbook(target).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert table[0] == HEADER
    assert [row[0] for row in table[1:]] == ["01/KH-THHL", "02/KH-THHL", "03/KH-THHL"]
    assert table[1][1:7] == ["16/09/2025", "Kế hoạch Văn bản a", "Nguyễn Thị Lan", "UBND phường Hoàng Liệt; Các tổ chuyên môn",
                             "VT, CM (02)", 5]
    assert table[1][7:] == [None, None, None]  # ngày chuyển, ký nhận, ghi chú: for the clerk's pen
    assert table[2][9] == "ĐÃ HỦY SỐ: Ghi nhầm"
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.print_title_rows == "$3:$3"  # the column headings on every printed page
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1


def test_export_never_replaces_a_clerks_file_without_force(tmp_path):
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    location = str(tmp_path / "so-dang-ky.sqlite")
    assert run("render", str(plan), "--cap-so", "--so-dang-ky", location)[0] == 0
    roster = tmp_path / "ds.xlsx"
    shutil.copyfile(ROSTER, roster)
    before = roster.read_bytes()
    code, _, err = run("register", "export", str(roster), "--so-dang-ky", location)
    assert code == 3 and "không ghi đè" in err and "--force" in err
    assert roster.read_bytes() == before
    assert run("register", "export", str(roster), "--force", "--so-dang-ky", location)[0] == 0
    assert roster.read_bytes() != before


def test_export_pdf_prints_the_register(tmp_path, soffice):
    from kehoach.write.pdf import find_soffice  # noqa: F401 - the soffice fixture has found it

    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    location = str(tmp_path / "so-dang-ky.sqlite")
    assert run("render", str(plan), "--cap-so", "--so-dang-ky", location)[0] == 0
    code, _, err = run("register", "export", str(tmp_path / "so.xlsx"), "--pdf", "--so-dang-ky", location)
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "so.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Số, ký hiệu" in text and "01/KH-THHL" in text


# ---------------------------------------------------------------- what a clerk is told


def test_a_locked_register_file_is_said_in_vietnamese_with_exit_5(tmp_path, monkeypatch):
    import kehoach.register.sqlite

    location = tmp_path / "so-dang-ky.sqlite"
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    assert run("render", str(plan), "--cap-so")[0] == 0
    holder = sqlite3.connect(location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another clerk's run in the middle of numbering
    monkeypatch.setattr(kehoach.register.sqlite, "BUSY_SECONDS", 0.2)
    try:
        code, _, err = run("render", str(write_plan(tmp_path, "b", "Hội giảng")), "--cap-so")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 5
    assert f"{location}: tệp sổ đăng ký đang bị khóa" in err and "Traceback" not in err
    assert not list(tmp_path.glob("02-*.docx"))


def test_a_read_only_register_file_is_said_so(tmp_path):
    from kehoach.register.sqlite import SqliteStore
    from kehoach.register.store import StoreError, VanBanDi

    location = tmp_path / "so-dang-ky.sqlite"
    SqliteStore(location).close()
    store = SqliteStore(location)
    store._db.close()  # the file as a clerk without write permission opens it (root would write anyway)
    store._db = sqlite3.connect(f"{location.as_uri()}?mode=ro", uri=True, isolation_level=None)
    document = VanBanDi("THHL", "Trường Tiểu học Hoàng Liệt", 2025, "x", "KH-THHL", "2025-09-16", "Kế hoạch x", "A", "B", "VT", 2)
    with pytest.raises(StoreError) as caught, store.transaction():
        store.reserve(document)
    store.close()
    assert caught.value.reason == "tệp sổ đăng ký chỉ cho đọc nên không ghi được số"
    assert "bỏ thuộc tính chỉ đọc" in caught.value.hint


def test_a_register_from_a_newer_kehoach_is_refused(register, tmp_path):
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    assert run("render", str(plan), "--cap-so", "--so-dang-ky", register)[0] == 0
    if register.startswith("postgresql"):
        import psycopg

        with psycopg.connect(register, autocommit=True) as db:
            db.execute("UPDATE phien_ban SET phien_ban = 99")
    else:
        with sqlite3.connect(register) as db:
            db.execute("UPDATE phien_ban SET phien_ban = 99")
        db.close()
    code, _, err = run("register", "list", "--so-dang-ky", register)
    assert code == 5 and "sổ đăng ký do phiên bản kehoach mới hơn tạo (lược đồ số 99" in err and "cập nhật kehoach" in err


def test_an_unreachable_server_is_said_in_vietnamese_without_the_password(tmp_path):
    pytest.importorskip("psycopg")
    url = f"postgresql://van_thu:mat-khau-bi-mat@127.0.0.1:{_free_port()}/so"
    plan = write_plan(tmp_path, "a", "Tổ chức ngày hội đọc sách")
    code, _, err = run("render", str(plan), "--cap-so", "--so-dang-ky", url)
    assert code == 5
    assert "không kết nối được máy chủ sổ đăng ký" in err and "mat-khau-bi-mat" not in err and "van_thu:***@" in err
    assert not list(tmp_path.glob("*.docx"))


def test_a_file_that_is_not_a_register_is_said_so(tmp_path):
    location = tmp_path / "so-dang-ky.sqlite"
    location.write_bytes(b"PK\x03\x04 not a database at all" * 100)
    code, _, err = run("register", "list", "--so-dang-ky", str(location))
    assert code == 5 and "không phải sổ đăng ký của kehoach" in err


@pytest.mark.parametrize("args", [["register", "--help"], ["register", "list", "--help"], ["register", "export", "--help"],
                                  ["register", "void", "--help"], ["register", "void"]])
def test_register_help_and_usage_errors_are_vietnamese(args):
    code, out, err = run(*args)
    assert "Cách dùng:" in out + err
    assert not [w for w in ("Usage", "Options", "Commands", "Arguments", "Show this", "Missing") if w in out + err]
    assert code == (0 if "--help" in args else 2)
