"""Where results go: file names, how `-o` is read, and which files a run may replace. The one naming policy.

A result is named from the document (number, symbol and date), from the plan file (in a folder given
with -o), or from a roster pair (batch); every name is safe on Windows. Before anything is written the
whole list of targets is checked: no two inputs may map to one result, no result may replace an input
of the run or a file kehoach does not write (a clerk's plan, roster or anything else).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from kehoach.errors import OutputError, Problem, Where

DOCX = ".docx"
# The documents kehoach writes beside each other: an existing one may be replaced by a new run.
DOCUMENTS = (DOCX, ".pdf", ".png")
SUMMARY_NAME = "tong-hop.csv"
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 120  # characters before the extension: well inside Windows' 260-character paths
# Ends trimmed from a name: spaces and dots (Windows drops them) and what would start a formula in a
# spreadsheet or an option on a command line ("=…", "+…", "-…", "@…").
_TRIM_END, _TRIM_START = " .-", " .-=+@"


def safe_name(text: str) -> str:
    """A readable file name (Vietnamese letters kept) without characters or names Windows refuses."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", text)
    text = re.sub(r"\s+", " ", text).lstrip(_TRIM_START).strip(_TRIM_END)[:MAX_NAME].rstrip(_TRIM_END)
    if not text or text.split(".")[0].upper() in WINDOWS_RESERVED:
        text = f"van-ban-{text}" if text else "van-ban"
    return text


def document_name(so: str | None, ky_hieu: str, ngay) -> str:  # noqa: ANN001 - a date
    """A document's own file name: "586-KH-GDNN-GDTXTT 2025-09-16.docx"."""
    number = f"{so}-" if so else ""
    return f"{safe_name(f'{number}{ky_hieu} {ngay:%Y-%m-%d}')}{DOCX}"


def is_folder(text: str) -> bool:
    """Whether -o names a folder: it ends in a separator, is a folder, or does not exist and has no suffix."""
    path = Path(text)
    return text.endswith(("/", "\\")) or path.is_dir() or (not path.exists() and not path.suffix)


class Destination:
    """Where `render` puts each plan's DOCX: beside its YAML (no -o), into a folder, or into one named file."""

    def __init__(self, output: str | None, many: bool):
        self.folder = self.file = None
        if output is None:
            return
        if is_folder(output) or many:
            self.folder = Path(output)
            return
        self.file = Path(output)
        if self.file.suffix.lower() != DOCX and not self.file.exists():  # an existing file: check_targets says why not
            raise OutputError(Problem(Where(output), f"tệp kết quả phải có đuôi {DOCX}",
                                      f"ghi -o {self.file.stem or 'ket-qua'}{DOCX} cho một tệp, "
                                      f"hoặc -o {output.rstrip('/')}/ (có dấu / ở cuối) cho một thư mục"))

    def target(self, source: Path, own_name: str) -> Path:
        """The DOCX of one plan file: the -o file, the folder's <plan file name>.docx, or own_name beside it."""
        if self.file is not None:
            return self.file
        if self.folder is not None:
            return self.folder / f"{source.stem}{DOCX}"
        return source.parent / own_name


def _key(path: Path) -> str:
    """A path as the file system sees it; case ignored, as on Windows, so that names clash alike everywhere."""
    return str(path.resolve()).casefold()


def is_document(path: Path) -> bool:
    """Whether a file is of a kind kehoach writes and a new run may replace (DOCX, PDF, PNG pages)."""
    return path.suffix.lower() in DOCUMENTS


def replace_problem(path: Path, inputs: Iterable[Path] = (), ours: Callable[[Path], bool] = is_document) -> Problem | None:
    """Why a result may not be written at path: it is an input of this run, or an existing file that is not
    ours (not a file kehoach writes: a clerk's plan, roster or anything else). None when it may."""
    if _key(path) in {_key(p) for p in inputs}:
        return Problem(Where(str(path)), "tệp kết quả trùng với một tệp đầu vào của lệnh này nên không ghi đè",
                       "chọn tên hoặc thư mục khác bằng -o")
    if path.is_file() and not ours(path):
        return Problem(Where(str(path)), "đã có tệp này và đó không phải tệp do kehoach tạo nên không ghi đè",
                       "chọn tên hoặc thư mục khác bằng -o, hoặc tự đổi tên/xóa tệp cũ nếu chắc chắn không cần")
    return None


def check_targets(targets: list[tuple[Path, Path]], inputs: Iterable[Path]) -> None:
    """Refuse a run whose (input, result) pairs would lose a file: two inputs with one result, a result over an
    input or over a file kehoach does not write. Raises OutputError listing them all; nothing is written yet."""
    inputs = list(inputs)
    problems, first = [], {}
    for source, target in targets:
        earlier = first.setdefault(_key(target), source)
        if _key(earlier) != _key(source):
            problems.append(Problem(Where(str(source)), f"cho ra cùng tệp kết quả '{target}' với '{earlier}', tệp trước sẽ bị mất",
                                    "đổi tên một trong hai tệp vào, hoặc tạo từng tệp riêng với -o TÊN.docx"))
        elif problem := replace_problem(target, inputs):
            problems.append(problem)
    if problems:
        raise OutputError(problems)


class FileNames:
    """Readable, Windows-safe, unique names for a batch's pairs, the same for the same roster on every run.

    A pair is named by its schools' short names; a second pair with the same name (the same two
    schools twice, or two schools of the same short name) gets " (2)", and so on, in roster order.
    Case is ignored when comparing, as Windows does.
    """

    def __init__(self, outdir: Path, suffix: str = DOCX):
        self.outdir, self.suffix = outdir, suffix
        self.used: set[str] = set()

    def name(self, units: list[dict]) -> Path:
        """The output path of one pair."""
        short = [u.get("ten_ngan") or u.get("ten") or u.get("ma") or "" for u in units]
        stem = safe_name(" - ".join(s for s in short if s) or "ke-hoach")[: MAX_NAME - 6].rstrip(_TRIM_END)
        candidate, number = stem, 1
        while candidate.casefold() in self.used or candidate.casefold() == Path(SUMMARY_NAME).stem:
            number += 1
            candidate = f"{stem} ({number})"
        self.used.add(candidate.casefold())
        return self.outdir / f"{candidate}{self.suffix}"


def batch_folder(roster: Path, output: Path | None) -> Path:
    """A batch's folder: -o, or beside the roster with its name ("danh-sach.xlsx" → "danh-sach/")."""
    return output if output is not None else roster.with_suffix("")


def district_file(outdir: Path, plan: Path) -> Path:
    """The one document of `batch --gop`, named after its common file."""
    return outdir / f"{plan.stem}{DOCX}"


def refuse_existing(path: Path, force: bool) -> None:
    """A file already there is not replaced without --force (a clerk's work in progress: a starter being
    filled, a roster, an annotated register export)."""
    if path.exists() and not force:
        raise OutputError(Problem(Where(str(path)), "tệp đã có, không ghi đè",
                                  "chọn tên tệp khác, hoặc thêm --force để ghi đè"))
