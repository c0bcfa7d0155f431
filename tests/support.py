"""What the tests share: the example paths, the `kehoach` command run in-process or bounded in a process,
what a message must look like, the parts of a DOCX or XLSX package, and the inputs several test files build
(hostile templates, rosters, starters, encodings). Reading a DOCX or a PDF back: docxread.py, pdfcheck.py."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import NamedTuple

import jsonschema
import openpyxl
import pytest
import yaml
from lxml import etree

from kehoach.cli import main
from kehoach.input.textcodec import TONES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


def unavailable(reason: str):
    """A tool the test needs is missing: skipped on a developer machine, a failure on CI (env CI set)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


# -- the command line -----------------------------------------------------------------------------------
class Result(NamedTuple):
    code: int
    out: str
    err: str


def run(*args: str) -> Result:
    """Run `kehoach ARGS` through cli.main (the console script's entry point), as a clerk's shell would:
    exit code, stdout, stderr. Captured here, so that a module-wide fixture can run it too."""
    out, err = io.StringIO(), io.StringIO()
    old, sys.argv = sys.argv, ["kehoach", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as done:
        return Result(int(done.code or 0), out.getvalue(), err.getvalue())
    finally:
        sys.argv = old
    raise AssertionError("cli.main ends every run with sys.exit")


MEMORY_LIMIT = 2 * 1024**3  # address space of one bounded run: a bomb fails, it does not swap the machine


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args: str, timeout: float = 60, cwd: str | None = None) -> tuple[int, str, str]:
    """Run `python -m kehoach ARGS` in a process with MEMORY_LIMIT and a time limit (Linux only; exit -9 on time out)."""
    try:
        done = subprocess.run([sys.executable, "-m", "kehoach", *args], capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limit_memory, cwd=cwd, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    except subprocess.TimeoutExpired:
        return -9, "", f"hết {timeout} giây mà chưa xong"
    return done.returncode, done.stdout, done.stderr


# -- messages and hostile inputs ----------------------------------------------------------------------
# What a clerk's message must not hold (PyYAML's, Python's or Jinja's own words), and its last line.
ENGLISH = re.compile(r"\b(Traceback|Error|expected|found|position|but|while|scanning|parsing|unacceptable|should"
                     r"|cannot|Input|invalid|character)\b")
TOTAL = re.compile(r"^Tổng cộng \d+ lỗi\.$")
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)

# Template expressions that would exhaust the machine if a template ran them unbounded.
BOMBS = {
    "lặp chuỗi": "{{ phong_trao * 99999999 }}",
    "chuỗi một tỷ ký tự": "{{ 'a' * 10**9 }}",
    "định dạng % rộng": "{{ '%999999999d' % 1 }}",
    "center": "{{ 'a'.center(10**9) }}",
    "bộ lọc center": "{{ 'a' | center(10**9) }}",
    "format rộng": "{{ '{:>999999999}'.format(1) }}",
    "vòng lặp lồng": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "macro tự gọi": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "format thiếu tham số": '{{ "{0}".format() }}',
    "replace nhân": "{{ ('a' * 90000).replace('a', 'a' * 90000) }}",
    "nối chuỗi": "{% set a = 'a' * 90000 %}{{ a ~ a ~ a }}",
    "lũy thừa": "{{ 7 ** 999999999 }}",
    "vòng lặp trên chuỗi": "{% for a in 'x' * 90000 %}{% for b in 'y' * 90000 %}{% endfor %}{% endfor %}",
    "vòng lặp đệ quy": "{% for x in [range(9999)] recursive %}{% for y in range(9999) %}{{ loop([x]) }}{% endfor %}"
                       "{% endfor %}",
    "tìm trong danh sách": "{% set r = range(9999) | list %}{% for i in range(9999) %}{{ i in r }}{% endfor %}",
    "độ rộng từ tham số": "{{ '%*d' % (999999999, 1) }}{{ '{:{}}'.format(1, 999999999) }}",
    "lipsum": "{{ lipsum(10**6) }}",
    "lọc chuỗi lớn": "{% set s = 'a' * 99999 %}{% for i in range(9999) %}{{ s | upper | length }}{% endfor %}",
}


# -- packages (DOCX, XLSX): zip files of XML parts ------------------------------------------------------
def parts(package: bytes | Path) -> dict[str, bytes]:
    """Every part of a package by name, as stored (zip entry times differ from run to run; the parts must not)."""
    with zipfile.ZipFile(io.BytesIO(package) if isinstance(package, bytes) else package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml_part(package: bytes | Path, name: str):
    """One XML part of a package, parsed."""
    return etree.fromstring(parts(package)[name])


def rewrite_package(path: Path, change) -> None:
    """Rewrite a package file: `change(parts)` edits the dict of part name -> bytes (for what the libraries cannot
    write); compressed, as Word and Excel save."""
    found = parts(path)
    change(found)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in found.items():
            archive.writestr(member, data)


def rewrite_part(path: Path, name: str, change) -> None:
    """Rewrite one part of a package file with `change(bytes) -> bytes`."""
    rewrite_package(path, lambda found: found.update({name: change(found[name])}))


def pretty_xml(data: bytes) -> str:
    """An XML part one element a line, indented, each element's attributes sorted: a diff shows what changed."""
    root = etree.fromstring(data)
    for element in root.iter():
        ordered = sorted(element.attrib.items())
        element.attrib.clear()
        element.attrib.update(ordered)
    return etree.tostring(root, pretty_print=True, encoding="unicode")


# -- rosters: workbooks as clerks save them --------------------------------------------------------------
def save_workbook(folder: Path, rows: list[list], name: str = "ds.xlsx", title: str = "Sheet1", edit=None) -> Path:
    """A one-sheet workbook with `rows` from A1; `edit(ws)` adds merges, formats, hidden rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    path = folder / name
    workbook.save(path)
    return path


def edit_sheet_xml(path: Path, change) -> None:
    """Rewrite the first sheet's XML with `change(xml) -> xml`, for what openpyxl cannot write."""
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: change(xml.decode()).encode())


def add_cached_value(path: Path, cell: str, cached: str) -> None:
    """Give a formula of the first sheet the cached text result Excel would have saved (openpyxl writes none)."""
    edit_sheet_xml(path, lambda xml: re.sub(rf'<c r="{cell}"(.*?)><f>(.*?)</f><v></v></c>',
                                            rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{cached}</v></c>', xml))


# The smallest roster: two schools by name and principal.
SCHOOL_HEADERS = ["Tên trường 1", "Hiệu trưởng trường 1", "Tên trường 2", "Hiệu trưởng trường 2"]


def pair(ten1="Trường THCS Hoàng Liệt", ht1="Lê Văn An", ten2="Trường THCS Hòa Xá", ht2="Phạm Thị Bình"):
    return [ten1, ht1, ten2, ht2]


# The batch example: its common plan and roster.
PLAN = EXAMPLES / "batch" / "ke-hoach-chung.yaml"
ROSTER = EXAMPLES / "batch" / "danh-sach-cap-truong.xlsx"
DISTRICT_MEMO = EXAMPLES / "batch" / "bien-ban-ghi-nho-toan-quan.yaml"

# A post-reform roster (school year 2025-2026): schools under a phường or xã. School 1 has only the date-line
# place («Địa bàn» left empty, as many districts do); school 2 has only the place as written in sentences.
HEADER = ["STT", "Số văn bản", "Ngày văn bản",
          "Mã trường 1", "Tên trường 1", "Tên ngắn trường 1", "Ký hiệu trường 1", "Cơ quan chủ quản trường 1",
          "Cơ quan quản lý trường 1", "Địa bàn trường 1", "Địa danh trường 1", "Hiệu trưởng trường 1",  # D … L
          "Tên trường 2", "Tên ngắn trường 2", "Ký hiệu trường 2", "Cơ quan chủ quản trường 2",
          "Cơ quan quản lý trường 2", "Địa bàn trường 2", "Hiệu trưởng trường 2",  # M … S
          "Nơi nhận thêm", "Ghi chú"]  # T, U


def initials(name: str) -> str:
    return "".join(word[0] for word in name.split()).upper()


def school_a(name="Đại Kim", principal="Nguyễn Thị Hà"):
    return ["", f"Trường Tiểu học {name}  ", f"TH {name}", f"TH{initials(name)}", "UBND PHƯỜNG ĐỊNH CÔNG",
            "UBND phường Định Công", None, "Định Công", principal]


def school_b(name="Hòa Lâm", principal="Lê Văn Sơn"):
    return [f"Trường Tiểu học {name}", f"TH {name}", f"TH{initials(name)}", "UBND XÃ HÒA XÁ", "UBND xã Hòa Xá",
            "xã Hòa Xá", principal]


def summary(outdir: Path) -> list[dict]:
    """The rows of a batch's tong-hop.csv."""
    raw = (outdir / "tong-hop.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads the Vietnamese right
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


# -- plans a clerk writes: starters filled in, and read as an editor reads them -------------------------
SINGLE = EXAMPLES / "ke-hoach-586-gdnn-gdtx-thanh-tri.yaml"
STARTERS = ROOT / "kehoach" / "data" / "starters"
SCHOOLS = [
    {"ten": "Trường mầm non Hoa Sữa", "ten_ngan": "MN Hoa Sữa", "ky_hieu": "MNHS", "co_quan_chu_quan": "UBND PHƯỜNG PHÚC LỢI",
     "co_quan_quan_ly": "UBND phường Phúc Lợi", "dia_ban": "phường Phúc Lợi", "dia_danh": "Phúc Lợi",
     "hieu_truong": "Phạm Thị Miên"},
    {"ten": "Trường mầm non Tiên Phong B", "ten_ngan": "MN Tiên Phong B", "ky_hieu": "MNTPB",
     "co_quan_chu_quan": "UBND XÃ TIẾN THẮNG", "co_quan_quan_ly": "UBND xã Tiến Thắng", "dia_ban": "xã Tiến Thắng",
     "dia_danh": "Tiến Thắng", "hieu_truong": "Phạm Thị Thúy Hương"},
]


# What the decision starter (`kehoach new quyet-dinh`) leaves to fill, in order: its date, school year and board
# members; then the second `so:`, the charter căn cứ (the first `so:` is the document's number, left to the văn thư).
DECISION = [{"ngay": "15/9/2025", "nam_hoc": "2025-2026", "pho_truong_ban": "Nguyễn Thị Lan", "cong_doan": "Trần Thị Mai",
             "chi_doan": "Đỗ Thu Trang", "to_truong": "Vũ Thị Lan", "thu_ky": "Ngô Thị Hạnh",
             "chuc_vu_thu_ky": "Tổ trưởng tổ Văn phòng"}, {"so": "52/2020/TT-BGDĐT"}]


def fill(path: Path, values: list[dict[str, str]]) -> None:
    """Fill the blank `key:` lines of a file in order, as a clerk does: the n-th blank `ten:` gets values[n]['ten']."""
    seen: dict[str, int] = {}

    def one(found: re.Match) -> str:
        key = found.group(2)
        index = seen[key] = seen.get(key, -1) + 1
        return f"{found.group(1)}{key}: {values[index][key]}" if index < len(values) and key in values[index] else found.group(0)

    path.write_text(re.sub(r"(?m)^( *(?:- )?)(\w+):(?: *#.*)?$", one, path.read_text("utf-8")), "utf-8")


class _Yaml12(yaml.SafeLoader):
    """YAML 1.2 core schema, as VS Code's YAML extension reads a file: no dates, no yes/no booleans."""


_Yaml12.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$",
     "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    _Yaml12.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))


def _json_like(data: object) -> object:
    """yaml.safe_load's dates as the text they were written as (a JSON validator has no date type)."""
    if isinstance(data, dict):
        return {k: _json_like(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json_like(v) for v in data]
    return data.isoformat() if isinstance(data, datetime.date) else data


def views(text: str) -> dict[str, object]:
    """The data an editor may see in a YAML text: VS Code's YAML 1.2 reading, and PyYAML's 1.1 reading."""
    return {"vscode": yaml.load(text, Loader=_Yaml12), "safe_load": _json_like(yaml.safe_load(text))}


def schema(name: str) -> dict:
    return json.loads((ROOT / "schema" / f"{name}.schema.json").read_text("utf-8"))


def errors(schema_name: str, data: object) -> list[str]:
    """What the shipped JSON Schema finds wrong in data (an editor's reading of a file)."""
    validator = jsonschema.Draft7Validator(schema(schema_name))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def cp1258(text: str) -> bytes:
    """Encode as Windows does: precomposed letters where CP1258 has them, else letter + tone."""
    out = bytearray()
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in decomposed if c in TONES)
        letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            out += (letter + tone).encode("cp1258")
    return bytes(out)
