"""Rosters as they come (issue 11): any bytes in a CSV or xlsx end in rows read or a located Vietnamese
message, exit 1, never an internal error; encodings as for plan files; damaged and bomb workbooks bounded.

Each crafted input here failed before: exit 70 (an internal error), mojibake rows, or gigabytes of memory.
The fuzz at the end mutates the example roster (xlsx and its CSV export) and runs `kehoach batch` on
each case in a child process under a time and an address-space limit.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import random
import re
import resource
import signal
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support import (PLAN, ROSTER, SCHOOL_HEADERS, VIETNAMESE, edit_sheet_xml, pair, parts, rewrite_package, run,
                     save_workbook)

from kehoach.errors import InputError
from kehoach.input.roster import MAX_CELL_CHARS, read_roster
from kehoach.input.textcodec import encode_legacy

CSV_TEXT = ",".join(SCHOOL_HEADERS) + "\r\n" + ",".join(pair()) + "\r\n" + ",".join(pair(ten1="Trường THCS Yên Sở")) + "\r\n"
ENGLISH = re.compile(r"Traceback|Error\b|Exception|invalid|expected|codec|position|\bline \d|File \"")


def batch(roster: Path, tmp_path: Path) -> tuple[int, list[str]]:
    """`kehoach batch ROSTER` with the example common plan: exit code and the lines on standard error."""
    code, _out, err = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    return code, err.splitlines()


def assert_vietnamese(line: str) -> None:
    assert VIETNAMESE.search(line) and not ENGLISH.search(line), line


# ---------------------------------------------------------------- CSV: one decoder, as for plan files


def _utf16_bad_surrogate(text: str) -> bytes:
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    at = data.index("Lê".encode("utf-16-le"))
    return data[:at] + b"\x00\xd8" + data[at + 2:]  # a high surrogate followed by "ê", not a low one


@pytest.mark.parametrize("name, data, line, column, message", [
    ("stray byte in UTF-8", CSV_TEXT.encode().replace(b"An,", b"An\xff,"), 2, 33, "byte 0xFF không đọc được theo mã hóa UTF-8"),
    ("byte Windows-1258 lacks", CSV_TEXT.encode().replace("Lê".encode(), b"L\x81"), 2, 25, "byte 0x81"),
    ("UTF-16 of odd length", CSV_TEXT.encode("utf-16") + b"\x41", 4, 1, "theo mã hóa UTF-16"),
    ("UTF-16 with a bad surrogate", _utf16_bad_surrogate(CSV_TEXT), 2, 24, "theo mã hóa UTF-16"),
])
def test_undecodable_csv_is_refused_at_its_line_with_the_fix(tmp_path, name, data, line, column,
                                                             message):
    roster = tmp_path / "ds.csv"
    roster.write_bytes(data)
    code, err = batch(roster, tmp_path)
    assert code == 1, err  # was 70: the row-count pass read the file outside the error guard
    [first, *_] = err
    assert first.startswith(f"{roster}:{line}:{column}: ") and message in first, first
    assert "CSV UTF-8 (Comma delimited)" in first  # how to fix it in Excel
    assert_vietnamese(first)
    assert not (tmp_path / "out").exists()  # refused before anything is written


def test_utf16_csv_without_bom_is_read(tmp_path):
    roster = tmp_path / "ds.csv"
    roster.write_bytes(CSV_TEXT.encode("utf-16-le"))  # was: "không tìm thấy dòng tiêu đề"
    rows = read_roster(roster).rows
    assert [row.data["don_vi"][0]["ten"] for row in rows] == ["Trường THCS Hoàng Liệt", "Trường THCS Yên Sở"]


@pytest.mark.parametrize("encoding, shown", [("TCVN3", "TCVN3 (ABC)"), ("VNI", "VNI Windows")])
def test_legacy_csv_is_refused_as_in_a_plan_file(tmp_path, encoding, shown):
    """Headers without diacritics still match, so the old reader took the rows and printed mojibake."""
    header = "Ten truong 1,Hieu truong truong 1,Ten truong 2,Hieu truong truong 2\r\n"
    roster = tmp_path / "ds.csv"
    roster.write_bytes((header + encode_legacy(CSV_TEXT.split("\r\n", 1)[1], encoding)).encode("latin-1"))
    with pytest.raises(InputError) as caught:
        read_roster(roster)
    [problem] = caught.value.problems
    assert (problem.where.file, problem.where.line) == (str(roster), 2)
    assert shown in problem.message and "UniKey" in problem.hint and "CSV UTF-8" in problem.hint


def test_csv_cell_longer_than_excel_allows_is_refused_at_its_cell(tmp_path):
    roster = tmp_path / "ds.csv"
    roster.write_text(CSV_TEXT.replace("Lê Văn An", "x" * (MAX_CELL_CHARS + 1)), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_roster(roster)
    [problem] = caught.value.problems
    assert problem.where.cell == "ds!B2" and "32.767" in problem.message


def test_unclosed_quote_running_past_csv_limits_is_refused_at_its_line(tmp_path):
    roster = tmp_path / "ds.csv"
    roster.write_text(CSV_TEXT + '"Trường' + " mở ngoặc mà không đóng" * 8000 + "\r\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_roster(roster)
    [problem] = caught.value.problems
    assert problem.where.line >= 4 and "ô quá dài" in problem.message  # was: no line


# ---------------------------------------------------------------- xlsx: damaged internals


def _roster(tmp_path: Path) -> Path:
    return save_workbook(tmp_path, [SCHOOL_HEADERS, pair(), pair(ten1="Trường THCS Yên Sở")])


@pytest.mark.parametrize("change, where", [
    (lambda xml: xml.replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:"/></mergeCells>'),
     "vùng gộp ô hỏng «A1:»"),
    (lambda xml: xml.replace('<row r="2"', '<row r="hai"'), "dòng mang số hiệu hỏng «hai»"),
    (lambda xml: xml.replace('<c r="B2"', '<c r="B0"'), "ô mang địa chỉ hỏng «B0»"),
    (lambda xml: xml.replace('<c r="B2"', '<c r="B2" s="x"'), "Trang tính «Sheet1»"),
    (lambda xml: xml.replace('</c></row><row r="3">', '</c><c r="F2"><v>1e99999</v></c></row><row r="3">'),
     "Sheet1!F2: Ô F2 có giá trị số hỏng «1e99999»"),
    (lambda xml: xml.replace("</sheetData>", '</sheetData><pageMargins left="trái" right="0" top="0" bottom="0" '
                                              'header="0" footer="0"/>'), "Trang tính «Sheet1»"),
], ids=["merge ref", "row r", "cell r", "style id", "number", "junk attribute after the rows"])
def test_damaged_sheet_xml_is_a_located_message(tmp_path, change, where):
    roster = _roster(tmp_path)
    edit_sheet_xml(roster, change)
    code, err = batch(roster, tmp_path)
    assert code == 1, err  # was 70
    assert any(line.startswith(f"{roster}:") and where in line for line in err), err
    for line in err:
        assert_vietnamese(line)
    assert "Excel" in err[-1]  # how to fix: open and re-save in Excel


def test_rows_and_cells_without_r_are_read_as_excel_reads_them(tmp_path):
    roster = save_workbook(tmp_path, [SCHOOL_HEADERS, pair(), pair(ten1="Trường THCS Yên Sở"), pair(ten1="Trường THCS Lĩnh Nam")])

    def without_r(xml: str) -> str:
        xml = re.sub(r' r="[A-Z]*[0-9]+"', "", xml)
        return xml.replace("<row>", '<row hidden="1">', 3).replace('<row hidden="1">', "<row>", 2)  # the third row

    edit_sheet_xml(roster, without_r)  # was 70 (TypeError: the hidden row's number was read from its r)
    roster_read = read_roster(roster)
    assert [(row.row, row.data["don_vi"][0]["ten"]) for row in roster_read.rows] == [
        (2, "Trường THCS Hoàng Liệt"), (4, "Trường THCS Lĩnh Nam")]
    assert roster_read.skipped == [("Sheet1", 3, "dòng bị ẩn")]


def _corrupt_deflate(parts_path: Path, member: str) -> None:
    """Flip bytes in the middle of a part's compressed data (the zip directory stays intact)."""
    with zipfile.ZipFile(parts_path) as archive:
        info = archive.getinfo(member)
    data = bytearray(parts_path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 2, start + min(info.compress_size, 40)):
        data[offset] ^= 0x5A
    parts_path.write_bytes(bytes(data))


@pytest.mark.parametrize("member", ["xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_corrupt_deflate_stream_is_a_message_naming_the_file(tmp_path, member):
    roster = _roster(tmp_path)
    _corrupt_deflate(roster, member)
    code, err = batch(roster, tmp_path)
    assert code == 1, err  # was 70 for the styles (zlib.error while the workbook opened)
    assert err[0].startswith(f"{roster}: ") and "hỏng" in err[0], err
    assert_vietnamese(err[0])


def test_missing_sheet_part_is_a_message_naming_the_file(tmp_path):
    """Was: "no header row in the first 10 rows", which sends the clerk looking at the wrong thing."""
    roster = _roster(tmp_path)
    rewrite_package(roster, lambda parts: parts.pop("xl/worksheets/sheet1.xml"))
    code, err = batch(roster, tmp_path)
    assert code == 1, err
    assert err[0].startswith(f"{roster}: ") and "hỏng" in err[0] and "Excel" in err[0], err
    assert_vietnamese(err[0])


@pytest.mark.parametrize("inline", [True, False], ids=["inline string", "shared string"])
def test_xlsx_cell_longer_than_excel_allows_is_refused_at_its_cell(tmp_path, inline):
    roster = save_workbook(tmp_path, [SCHOOL_HEADERS, pair(ht1="x" * MAX_CELL_CHARS)])  # openpyxl writes no more
    edit_sheet_xml(roster, lambda xml: xml.replace("x" * MAX_CELL_CHARS, "x" * (MAX_CELL_CHARS + 1)))
    if not inline:  # openpyxl writes inline strings; Excel writes shared ones
        rewrite_package(roster, _to_shared_strings)
    with pytest.raises(InputError) as caught:
        read_roster(roster)
    [problem] = caught.value.problems
    assert problem.where.cell == "Sheet1!B2" and "32.767" in problem.message


def _to_shared_strings(parts: dict[str, bytes]) -> None:
    """Move every inline string of sheet1 into a shared strings part, as Excel saves them."""
    strings: list[str] = []

    def share(found: re.Match) -> str:
        strings.append(found[2])
        return f'<c r="{found[1]}" t="s"><v>{len(strings) - 1}</v></c>'

    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(.*?)</t></is></c>',
                                               share, sheet).encode()
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings) + "</sst>").encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'))


def test_shared_strings_move_reads_back(tmp_path):
    """The helper above makes a workbook that reads as before (so the test above tests shared strings)."""
    roster = _roster(tmp_path)
    rewrite_package(roster, _to_shared_strings)
    assert b't="s"' in parts(roster)["xl/worksheets/sheet1.xml"]
    assert [row.data["don_vi"][1]["ten"] for row in read_roster(roster).rows] == ["Trường THCS Hòa Xá"] * 2


# ---------------------------------------------------------------- xlsx: bombs, in a child process with limits

ADDRESS_SPACE = 3 << 29  # 1.5 GiB: a reader that holds a bomb fails here with MemoryError (exit 70)


def _bomb(path: Path, member: str, head: bytes, filler: bytes, size: int, tail: bytes) -> None:
    """Replace `member` of a roster by head + filler repeated to `size` bytes + tail, streamed into the zip."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.pop(member, None)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:  # 1 GiB in a few seconds
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open(member, "w", force_zip64=True) as stream:
            stream.write(head)
            block = filler * ((1 << 20) // len(filler))
            for _ in range(size // len(block)):
                stream.write(block)
            stream.write(tail)


def limited_batch(roster: Path, outdir: Path, timeout: float = 60) -> tuple[int, str, float, int]:
    """`kehoach batch ROSTER` in a forked child under ADDRESS_SPACE: exit code (-1: killed at the time
    limit), standard error, seconds, and the child's peak memory in MB (ru_maxrss)."""
    err_path = outdir.with_suffix(".err")
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: run the command as the console script would, then leave at once
        code = 70
        try:
            resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
            with open(os.devnull, "w") as out, open(err_path, "w", encoding="utf-8") as err:
                sys.stdout, sys.stderr = out, err
                sys.argv = ["kehoach", "batch", str(roster), "--plan", str(PLAN), "-o", str(outdir)]
                from kehoach.cli import main
                try:
                    main()
                    code = 0
                except SystemExit as done:
                    code = int(done.code or 0)
        finally:
            os._exit(code)
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > timeout:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            return -1, err_path.read_text(encoding="utf-8"), time.monotonic() - start, usage.ru_maxrss >> 10
        time.sleep(0.02)
    code = os.waitstatus_to_exitcode(status)
    return code, err_path.read_text(encoding="utf-8"), time.monotonic() - start, usage.ru_maxrss >> 10


NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


@pytest.mark.parametrize("member, head, filler, size, tail", [
    # one shared string of 400 MB: was 3.7 GB of memory, then exit 70
    ("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
     b"a", 400 << 20, b"</t></si></sst>"),
    # a sheet that inflates to 1 GiB (formatted empty rows): was read, at 1.1 GB of memory
    ("xl/worksheets/sheet1.xml", NS + b'<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c></row>',
     b"<row/>", 1 << 30, b"</sheetData></worksheet>"),
], ids=["400 MB shared string", "1 GiB sheet"])
def test_zip_bombs_are_refused_before_unpacking(tmp_path, member, head, filler, size, tail):
    roster = _roster(tmp_path)
    _bomb(roster, member, head, filler, size, tail)
    code, err, seconds, peak_mb = limited_batch(roster, tmp_path / "out")
    assert code == 1, err
    assert err.startswith(f"{roster}: ") and f"«{member}»" in err and "quá lớn" in err, err
    assert seconds < 20 and peak_mb < 200, (seconds, peak_mb)


# ---------------------------------------------------------------- fuzz: the example roster, mutated

FUZZ_CASES = int(os.environ.get("KEHOACH_FUZZ_CASES", "200"))  # a longer run: KEHOACH_FUZZ_CASES=2000
FUZZ_SEED = int(os.environ.get("KEHOACH_FUZZ_SEED", "11"))
CASE_SECONDS = 60
KEPT_ROWS = 5  # the header and four pairs: each case renders a few plans, not all of them
JUNK = ["", "-1", "0", "abc", "1e400", "99999999999999999999", "9" * 5000, "A0", "XFD1048577", "ZZZZ1", "1:", "A1:",
        "NaN", "1.5", "١", "x" * 300, "&amp;", "true", "2000000000", "B2:A1", "A1:XFD1048576"]


@pytest.fixture(scope="module")
def fuzz_seeds(tmp_path_factory) -> dict[str, bytes]:
    """The example roster cut to its first rows, as xlsx and as the CSV UTF-8 Excel would export."""
    folder = tmp_path_factory.mktemp("seeds")
    xlsx = folder / "ds.xlsx"
    xlsx.write_bytes(ROSTER.read_bytes())

    def keep_first_rows(xml: str) -> str:
        return re.sub(r'<row r="(\d+)".*?</row>', lambda row: row[0] if int(row[1]) <= KEPT_ROWS else "", xml)

    edit_sheet_xml(xlsx, keep_first_rows)
    workbook = openpyxl.load_workbook(xlsx, read_only=True)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    for values in workbook.worksheets[0].iter_rows(values_only=True):
        writer.writerow(["" if v is None else v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v for v in values])
    workbook.close()
    import kehoach.batch  # noqa: F401 - imported once here, so that each forked case starts at once
    import kehoach.cli.batch  # noqa: F401
    return {"xlsx": xlsx.read_bytes(), "csv": codecs.BOM_UTF8 + text.getvalue().encode()}


def _xml_mutation(rng: random.Random, xml: str) -> str:
    """One change a damaged or hostile workbook makes inside an XML part."""
    kind = rng.randrange(11)
    if kind == 0:
        return xml[:rng.randrange(len(xml))]
    if kind == 1:  # rows or cells (or some of them) without their r
        pattern = rng.choice([r'(<row) r="\d+"', r'(<c) r="[A-Z]+\d+"'])
        return re.sub(pattern, lambda m: m[1] if rng.random() < 0.7 else m[0], xml)
    attributes = list(re.finditer(r'\s([\w:]+)="([^"]*)"', xml))  # after a space: no backtracking over long words
    if kind == 2 and attributes:  # an attribute with a junk value
        found = rng.choice(attributes)
        return xml[:found.start(2)] + rng.choice(JUNK) + xml[found.end(2):]
    tags = list(re.finditer(r"<(\w+)", xml))
    if kind == 3 and tags:  # a junk attribute on an element
        found = rng.choice(tags)
        junk = rng.choice(['zz="1"', 'r="A1"', 'hidden="1"', 't="s"', 's="999"', 'x:y="1"', 'r="1" r="2"'])
        return xml[:found.end()] + " " + junk + xml[found.end():]
    numbers = list(re.finditer(r"(?<=>)-?\d+(\.\d+)?(?=<)|(?<=\")\d+(?=\")", xml))
    if kind == 4 and numbers:  # a huge number
        found = rng.choice(numbers)
        return xml[:found.start()] + rng.choice(["9" * 20, "9" * 400, "9" * 5000, "1e308", "-1e308", "-5", "1e-400"]) \
            + xml[found.end():]
    elements = list(re.finditer(r"<(\w+)[^<>]*/>|<(\w+)[^<>]*>[^<>]*</\2>", xml))
    if kind == 5 and elements:  # an element gone
        found = rng.choice(elements)
        return xml[:found.start()] + xml[found.end():]
    if kind == 6 and "</sheetData>" in xml:  # merged ranges, good and bad
        refs = " ".join(f'<mergeCell ref="{rng.choice(JUNK + ["A1:B2", "E2:E4", "A2:T2", "C3:C1048576"])}"/>'
                        for _ in range(rng.randint(1, 4)))
        return xml.replace("</sheetData>", f"</sheetData><mergeCells>{refs}</mergeCells>", 1)
    cells = list(re.finditer(r'<c r="[A-Z]+\d+"', xml))
    if kind == 7 and cells:  # a cell of another type
        found = rng.choice(cells)
        kind_of = rng.choice(["s", "b", "e", "d", "str", "n", "zzz"])
        return xml[:found.end()] + f' t="{kind_of}"' + xml[found.end():].replace(' t="inlineStr"', "", 1)
    if kind == 8:  # an entity bomb in a DOCTYPE
        doctype = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                   '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
        return re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m[0] or "") + doctype, xml, count=1).replace("<t>", "<t>&c;", 1)
    rows = list(re.finditer(r'<row r="(\d+)"', xml))
    if kind == 9 and rows:  # a row far down, or a row repeated
        found = rng.choice(rows)
        return xml[:found.start(1)] + rng.choice(["1048576", "1048577", "2000000000", "0", found[1]]) + xml[found.end(1):]
    return xml.replace("</t>", "x" * rng.choice([32_767, 32_768, 100_000]) + "</t>", 1)


def _mutate_xlsx(rng: random.Random, data: bytes) -> bytes:
    """The example workbook with a zip-level or XML-level change (or two)."""
    kind = rng.randrange(10)
    if kind == 0:
        return data[:rng.randrange(len(data))]
    if kind == 1:
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] ^= rng.randint(1, 255)
        return bytes(damaged)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if kind == 2:
        parts.pop(rng.choice(sorted(parts)))
    else:
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            xml_parts = [name for name in parts if name.endswith((".xml", ".rels"))]
            name = "xl/worksheets/sheet1.xml" if rng.random() < 0.6 and "xl/worksheets/sheet1.xml" in parts else rng.choice(xml_parts)
            parts[name] = _xml_mutation(rng, parts[name].decode("utf-8", "replace")).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    return out.getvalue()


def _mutate_csv(rng: random.Random, data: bytes) -> bytes:
    """The CSV export with bytes changed or in another encoding (or both)."""
    text = data.decode("utf-8-sig")
    for _ in range(rng.choice([1, 1, 2, 3])):
        kind = rng.randrange(9)
        if kind == 0:
            data = data[:rng.randrange(len(data))]
        elif kind == 1:
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            data = bytes(damaged)
        elif kind == 2:
            at = rng.randrange(len(data))
            data = data[:at] + rng.choice([b"\x00", b"\r", b'"', b";", b"\xff\xfe", b"\xed\xa0\x80", b"\x1b", b"\n" * 50,
                                           b'"' + b"x" * 40_000]) + data[at:]
        elif kind == 3:
            codec = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-8"])
            data = text.encode(codec)
            if rng.random() < 0.5:  # odd length, or a lone surrogate
                data = data + b"\x41" if rng.random() < 0.5 else data[:40] + b"\x00\xd8" + data[42:]
        elif kind == 4:
            data = text.encode("cp1258", "replace")
        elif kind == 5:
            data = encode_legacy(text, rng.choice(["TCVN3", "VNI"])).encode("latin-1", "replace")
        elif kind == 6:  # UTF-8 read as Latin-1 and saved again: double-encoded
            data = text.encode().decode("latin-1").encode()
        elif kind == 7:
            lines = data.split(b"\n")
            rng.shuffle(lines)
            data = b"\n".join(lines)
        else:
            data = data.replace(b";", rng.choice([b",", b"\t", b";;", b'";"']), rng.randint(1, 50))
    return data


def _fuzz_problems(roster: Path, code: int, err: str) -> list[str]:
    """What breaks the promise: exit 70 or a hang, or a message not located or not Vietnamese."""
    if code == -1:
        return [f"no answer within {CASE_SECONDS} s"]
    if code not in (0, 1):
        return [f"exit {code}: {err[:300]}"]
    wrong = []
    for line in err.splitlines():
        line = line.removeprefix("Cảnh báo: ")
        if not line.startswith((f"{roster}:", f"{PLAN}:")):
            wrong.append(f"not located: {line[:300]}")
        elif not VIETNAMESE.search(line) or ENGLISH.search(line):
            wrong.append(f"not Vietnamese: {line[:300]}")
    return wrong


def fuzz(seeds: dict[str, bytes], folder: Path, cases: int, seed: int) -> tuple[dict[str, int], list[str]]:
    """Run `cases` mutated rosters (alternately xlsx and CSV); the outcomes counted, and what went wrong."""
    outcomes: dict[str, int] = {}
    failures = []
    for number in range(cases):
        rng = random.Random(seed * 1_000_003 + number)
        suffix = ("xlsx", "csv")[number % 2]
        roster = folder / f"case-{number}.{suffix}"
        roster.write_bytes((_mutate_xlsx if suffix == "xlsx" else _mutate_csv)(rng, seeds[suffix]))
        code, err, _seconds, _peak = limited_batch(roster, folder / "out", CASE_SECONDS)
        outcomes[f"{suffix} exit {code}"] = outcomes.get(f"{suffix} exit {code}", 0) + 1
        failures += [f"{roster.name}: {problem}" for problem in _fuzz_problems(roster, code, err)]
        if not failures or failures[-1].split(":")[0] != roster.name:
            roster.unlink()  # the failing ones are kept to look at
        for made in (folder / "out").glob("*"):
            made.unlink()
    return outcomes, failures


def test_fuzz_the_example_roster(fuzz_seeds, tmp_path):
    start = time.monotonic()
    outcomes, failures = fuzz(fuzz_seeds, tmp_path, FUZZ_CASES, FUZZ_SEED)
    print(f"fuzz: {FUZZ_CASES} cases (seed {FUZZ_SEED}) in {time.monotonic() - start:.0f} s: {sorted(outcomes.items())}")
    assert not failures, "\n".join(failures[:20])
    assert sum(outcomes.values()) == FUZZ_CASES
    assert outcomes.get("xlsx exit 1") and outcomes.get("csv exit 1")  # the mutations do reach the messages
