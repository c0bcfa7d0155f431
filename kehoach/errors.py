"""Errors a clerk can act on: each names where (file:line:col or sheet!cell), what is wrong and how to fix it.

Every module raises these; only the CLI prints them. Anything else that escapes is a bug.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit codes, documented in the README."""

    OK = 0
    INPUT = 1  # the YAML, roster or template has mistakes the clerk can fix
    USAGE = 2  # the command line itself is wrong (Typer/Click's own code)
    OUTPUT = 3  # a result file could not be written
    CONVERTER = 4  # LibreOffice is missing or failed
    REGISTER = 5  # the register (sổ đăng ký) cannot be opened or written
    IN_USE = 6  # another batch is writing into the same folder
    WARNINGS = 7  # --strict: the run gave warnings (its files are made; what it warned of is suspicious, not wrong)
    INTERNAL = 70  # a bug in kehoach
    INTERRUPTED = 130  # stopped with Ctrl+C (128 + SIGINT, as shells report it)


@dataclass(frozen=True, order=True)
class Where:
    """A position in an input: a file with line and column (1-based), or a roster cell."""

    file: str
    line: int = 0
    column: int = 0
    cell: str = ""  # "Sheet1!C7" for rosters

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}"
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake: where it is, what is wrong, and how to fix it (all in Vietnamese)."""

    where: Where
    message: str
    hint: str = field(default="", compare=False)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        text = f"{text} — {self.hint}" if self.hint else text
        return text.replace("\n", "↵")  # one problem, one line: a value quoted with its line breaks shows them as ↵


@dataclass
class Warnings:
    """The one channel for what is suspicious but not wrong (a header read with a guess, a pair listed twice, a PDF
    set in a fallback font), as mkdocs has it: each warning is shown as it comes and the run goes on; with strict
    (`--strict`) a run that warned fails at its end (exit 7), unless it already failed otherwise."""

    show: Callable[[str], None] = lambda text: None
    strict: bool = False
    count: int = 0

    def warn(self, warning: Problem | str) -> None:
        self.count += 1
        self.show(f"Cảnh báo: {warning}")

    def exit_code(self, code: int) -> int:
        """The run's exit code once its warnings are counted."""
        return ExitCode.WARNINGS if self.strict and self.count and code == ExitCode.OK else code


class KehoachError(Exception):
    """Base of every error the CLI reports as a message rather than a traceback."""

    exit_code = ExitCode.INPUT

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = sorted(problems) if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(KehoachError):
    """The plan, schools file, roster or a template has mistakes; holds all of them, sorted."""


class OutputError(KehoachError):
    """A result file could not be written (open in Word, read-only, missing folder)."""

    exit_code = ExitCode.OUTPUT


class NoSpaceError(OutputError):
    """The disk (or the clerk's quota) is full: no later file can be written either, so a batch stops."""


class FolderInUse(KehoachError):
    """Another batch holds the output folder's lock."""

    exit_code = ExitCode.IN_USE


class Interrupted(KehoachError):
    """The clerk pressed Ctrl+C: a batch stops after the row in hand."""

    exit_code = ExitCode.INTERRUPTED


class ConverterError(KehoachError):
    """LibreOffice is missing, timed out or failed on a file."""

    exit_code = ExitCode.CONVERTER


class RegisterError(KehoachError):
    """The register cannot be opened or written (server unreachable, file locked or read-only, newer version)."""

    exit_code = ExitCode.REGISTER


def problem(file: str, message: str, hint: str = "", line: int = 0, column: int = 0) -> Problem:
    """Shorthand for a Problem at file:line:column."""
    return Problem(Where(file, line, column), message, hint)


_REASONS = {
    errno.EACCES: "không có quyền ghi, hoặc tệp đang mở trong chương trình khác",
    errno.EPERM: "không có quyền ghi, hoặc tệp đang mở trong chương trình khác",
    errno.EISDIR: "đó là một thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOTDIR: "một phần của đường dẫn là tệp chứ không phải thư mục",
    errno.EEXIST: "đã có một tệp cùng tên",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.ELOOP: "đường dẫn đi vòng qua các liên kết",
}


def reason(error: OSError) -> str:
    """Why the system refused, in Vietnamese (the OS's own text is English on many machines)."""
    return _REASONS.get(error.errno, f"lỗi hệ thống số {error.errno}")
