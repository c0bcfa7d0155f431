"""Hostile plans: every example plan mutated at the YAML-text level, run through `check` and `render`.

Each case must end in exit 0 (render writes a DOCX that opens) or exit 1 with messages that are all placed
(file:line:column) and Vietnamese, never exit 70; within a time limit; `check` and `render` agree. Most cases
run in-process (a timer stops a hang); a sample runs as real processes with 2 GiB of address space.

Seeded and bounded for CI (about a minute). A longer run: KEHOACH_FUZZ_CASES=6000 (and KEHOACH_FUZZ_SEED)
prints its figures with `pytest -s`.
"""

from __future__ import annotations

import codecs
import os
import random
import re
import shutil
import signal
import time
from collections import Counter
from pathlib import Path

from docxread import open_docx
from support import BOMBS, ENGLISH, EXAMPLES, TOTAL, cp1258, run, run_bounded

from kehoach.model.reader import is_schools_file

PLANS = sorted(p for p in [*EXAMPLES.glob("*.yaml"), *(EXAMPLES / "batch").glob("*.yaml")] if not is_schools_file(p))
SCHOOLS = [p for p in [*EXAMPLES.glob("*.yaml"), *(EXAMPLES / "batch").glob("*.yaml")] if is_schools_file(p)]
CASES = int(os.environ.get("KEHOACH_FUZZ_CASES", "200"))
IN_PROCESSES = int(os.environ.get("KEHOACH_FUZZ_PROCESSES", "12"))  # of CASES, run as real processes
SEED = int(os.environ.get("KEHOACH_FUZZ_SEED", "11"))
TIME_LIMIT = 20  # seconds for check and render of one case; a normal plan takes a tenth of that
PLACED = re.compile(r"^.+:(\d+:\d+|[^:\s]+![A-Z]+\d+): \S")

HOSTILE = [*BOMBS.values(), "{{ don_vi[0].ten * 5000 }}", "{% for x in don_vi %}{{ loop(x) }}{% endfor %}",
           "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}", "{{ ((((((((((1)))))))))) }}", "{{ (" * 400,
           "{{ 'x'|indent(10**8) }}", "{{ range(10**9)|list }}", "{{ ''.join(['a'] * 99999) * 99 }}",
           "{{ '%*d' % (999999999, 1) }}", "{{ 'a' | wordwrap(10**9) }}", "{{ ['a']|batch(10**9)|list }}",
           "{{ 1/0 }}", "{{ [][5] }}", "{{ {}['x'] }}", "{{ 'a' + 1 }}", "{{ nam ** nam ** 3 }}",
           "{{ cycler }}", "{{ ''.__class__ }}", "{{ lipsum(10**6) }}"]
CHARACTERS = ["\\v", "\\x01", "\\0", "\\uffff", "\\ufffe", "\\ud800", "\\udfff", "\\u202e", "\\u2066", "\\u200b",
              "\\x85", "\\e", "\\x7f", "\\L", "\\t", "\\u0000"]
RAW = ["\u202e", "\u200b", "\u200d", "\ufeff", "\u2028", "\u00a0", "\x0b", "\x00", "\x1b", "\ufffd", "\ud7ff"]
DATES = ["1/1/1925", "31/12/1979", "1/1/1980", "31/12/1999", "1/1/2000", "31/12/2099", "1/1/2107", "1/1/2108",
         "29/2/2023", "0/1/2025", "1/13/2025", "1/1/0", "1/1/9999", "-5", "99999999", "2025-02-30", "ngày 1 tháng 1 năm 10000"]


def _scalar_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+: \S", line) or re.match(r"^\s*- \S", line)]


def _set_value(line: str, value: str) -> str:
    """The line with its value (after 'key: ' or '- ') replaced."""
    found = re.match(r"^(\s*(?:- )?(?:[a-z_]+: )?)", line)
    return found.group(1) + value


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mutate(text: str, rng: random.Random) -> tuple[str, bytes]:
    """One mutation of a plan's text: (its kind, the file's bytes)."""
    lines = text.split("\n")
    targets = _scalar_lines(lines) or [0]
    at = rng.choice(targets)
    kind = rng.choice(["template", "template", "escape", "raw", "nesting", "parts", "number", "date", "flip", "encode",
                       "lines", "alias", "long"])
    if kind == "template":
        expression = rng.choice(HOSTILE)
        lines[at] = _set_value(lines[at], _quoted(expression)) if rng.random() < 0.7 else lines[at] + " " + expression
    elif kind == "escape":
        lines[at] = _set_value(lines[at], '"a' + "".join(rng.choices(CHARACTERS, k=rng.randint(1, 3))) + 'b"')
    elif kind == "raw":
        lines[at] = lines[at] + rng.choice(RAW) + "x"
    elif kind == "nesting":
        depth = rng.choice([5, 59, 60, 61, 250, 500, 3000])
        opening, closing = rng.choice([("[", "]"), ("{a: ", "}"), ("[{a: ", "}]")])
        lines[at] = _set_value(lines[at], opening * depth + "x" + closing * depth)
    elif kind == "parts":
        depth = rng.choice([10, 28, 40, 300])
        deep = "\n".join("  " * i + "- khoan: x\n" + "  " * i + "  noi_dung:" for i in range(depth))
        lines[at] = "noi_dung:\n" + deep + "\n" + "  " * depth + "- doan: y" if rng.random() < 0.5 else lines[at]
    elif kind == "number":
        digits = "9" * rng.choice([3, 19, 400, 5000])
        lines = [re.sub(r"\d+", digits, line, count=1) if i == at or rng.random() < 0.05 else line
                 for i, line in enumerate(lines)]
    elif kind == "date":
        lines = [_set_value(line, rng.choice(DATES)) if line.startswith("ngay:") else line for line in lines]
    elif kind == "alias":
        lines[at] = _set_value(lines[at], "&bom " + "x" * rng.choice([10, 100_000]))
        lines.append("bo_qua: [" + ", ".join(["*bom"] * rng.choice([2, 50])) + "]")
    elif kind == "long":
        lines[at] = _set_value(lines[at], " ".join(["Trường"] * rng.choice([40, 3000])))
    elif kind == "lines":
        index = rng.randrange(len(lines))
        if rng.random() < 0.5:
            del lines[index]
        else:
            lines.insert(index, lines[rng.randrange(len(lines))])
    text = "\n".join(lines)
    data = text.encode("utf-8", errors="surrogatepass")
    if kind == "flip":
        data = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        data = bytes(data)
    elif kind == "encode":
        how = rng.choice(["utf-16", "utf-16-le", "bom", "cp1258", "latin-1", "cut", "odd"])
        data = {"utf-16": lambda: text.encode("utf-16"), "utf-16-le": lambda: text.encode("utf-16-le"),
                "bom": lambda: codecs.BOM_UTF8 + data, "cp1258": lambda: cp1258(text),
                "latin-1": lambda: text.encode("latin-1", errors="replace"), "cut": lambda: data[: rng.randrange(len(data))],
                "odd": lambda: text.encode("utf-16")[:-1]}[how]()
    return kind, data


class Hang(BaseException):
    """A case ran over TIME_LIMIT (not an Exception, so that the command line's last resort does not catch it)."""


def _alarm(signum, frame):  # noqa: ANN001 - signal handler
    raise Hang()


def _in_process(*args: str) -> tuple[int, str]:
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        code, _, err = run(*args)
    except Hang:
        return -9, f"hết {TIME_LIMIT} giây mà chưa xong"
    finally:
        signal.alarm(0)
    return code, err


def _judge(kind: str, check: tuple[int, str], render: tuple[int, str], output: Path) -> str:
    """What went wrong with one case, or "" when all is as promised."""
    (check_code, check_err), (render_code, render_err) = check, render
    if check_code not in (0, 1) or render_code not in (0, 1):
        return f"{kind}: exit {check_code}/{render_code}: {check_err or render_err}"
    if check_code != render_code:
        return f"{kind}: check {check_code}, render {render_code}: {check_err or render_err}"
    if render_code == 0:
        open_docx(output.read_bytes())
        return ""
    for err in (check_err, render_err):
        *problems, total = err.strip().split("\n")  # one problem a line; a value may hold U+2028
        if not TOTAL.match(total) or not problems:
            return f"{kind}: {err}"
        for line in problems:
            if not PLACED.match(line) or ENGLISH.search(line):
                return f"{kind}: {line}"
    return ""


def _cases() -> list[tuple[str, str, bytes]]:
    rng = random.Random(SEED)
    texts = {plan: plan.read_text("utf-8") for plan in PLANS}
    out = []
    for number in range(CASES):
        plan = PLANS[number % len(PLANS)]
        kind, data = mutate(texts[plan], rng)
        out.append((plan.relative_to(EXAMPLES).as_posix(), kind, data))
    return out


def test_mutated_plans_end_in_a_document_or_placed_vietnamese_messages(tmp_path):
    for schools in SCHOOLS:
        shutil.copy(schools, tmp_path / schools.name)
    failures, outcomes, slowest = [], Counter(), (0.0, "")
    started = time.monotonic()
    sample = set(random.Random(SEED).sample(range(CASES), min(IN_PROCESSES, CASES)))
    for number, (name, kind, data) in enumerate(_cases()):
        plan, output = tmp_path / Path(name).name, tmp_path / "ket-qua.docx"
        plan.write_bytes(data)
        output.unlink(missing_ok=True)
        begun = time.monotonic()
        if number in sample:
            check = run_bounded("check", str(plan), timeout=TIME_LIMIT)[::2]
            render = run_bounded("render", str(plan), "-o", str(output), timeout=TIME_LIMIT)[::2]
        else:
            check = _in_process("check", str(plan))
            render = _in_process("render", str(plan), "-o", str(output))
        took = time.monotonic() - begun
        slowest = max(slowest, (took, f"{name} {kind}"))
        outcomes[(kind, render[0])] += 1
        if problem := _judge(f"#{number} {name} {kind}", check, render, output):
            failures.append(problem)
    total = time.monotonic() - started
    summary = ", ".join(f"{kind} → {code}: {n}" for (kind, code), n in sorted(outcomes.items()))
    print(f"\n{CASES} cases (seed {SEED}) in {total:.0f} s; slowest {slowest[0]:.1f} s ({slowest[1]}); "
          f"{len(failures)} failures\n{summary}")
    assert not failures, "\n".join(failures[:20])
