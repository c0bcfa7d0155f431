"""Typer/Click's own words in Vietnamese: the help layout ("Usage:", "Options:" …) and usage errors.

Typer ≥ 0.20 carries its own copy of Click whose texts are f-strings, not gettext, so they cannot be
translated by a catalogue. Instead the help is written by a formatter that uses Vietnamese headings,
and a usage error is caught by `cli.main` and said again here from the exception's fields.
The classes are derived from whatever Context and formatter Typer uses, so either Click works.
"""

from __future__ import annotations

import re
import sys

from typer.core import TyperCommand, TyperGroup

HEADINGS = {"Usage:": "Cách dùng:", "Options": "Tùy chọn", "Commands": "Lệnh", "Arguments": "Tham số"}
# Texts Click puts inside the help lines; replaced whole, before wrapping.
PHRASES = {
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "[required]": "[bắt buộc]",
    " <list[Path]>": "",
    " <str>": "",
    "[default: ": "[mặc định: ",
    "<path>": "<đường dẫn>",
    "required": "bắt buộc",
    "[OPTIONS]": "[TÙY_CHỌN]",
    "COMMAND [ARGS]...": "LỆNH [THAM_SỐ]...",
}

_BaseContext = TyperCommand.context_class
_BaseFormatter = _BaseContext.formatter_class
_click_core = sys.modules[_BaseContext.__module__]
UsageError: type[Exception] = _click_core.UsageError
Abort: type[BaseException] = _click_core.Abort


def _vi(text: str) -> str:
    for english, vietnamese in PHRASES.items():
        text = text.replace(english, vietnamese)
    return text


class Formatter(_BaseFormatter):  # type: ignore[misc,valid-type]
    """Click's help formatter with Vietnamese headings and fixed phrases."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _vi(args), f"{HEADINGS['Usage:']} ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows, *args, **kwargs) -> None:  # noqa: ANN001 - Click's own signature
        super().write_dl([(_vi(first), _vi(second)) for first, second in rows], *args, **kwargs)


class Context(_BaseContext):  # type: ignore[misc,valid-type]
    """A Click context whose help is written by the Vietnamese formatter."""

    formatter_class = Formatter


class _WholeShortHelp:
    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the help, whole: the list of commands wraps it rather than cutting it with "..."."""
        return super().get_short_help_str(limit=sys.maxsize)


class Command(_WholeShortHelp, TyperCommand):
    """A sub-command with Vietnamese help."""

    context_class = Context


class Group(_WholeShortHelp, TyperGroup):
    """The `kehoach` command group with Vietnamese help."""

    context_class = Context


def _option_hint(error: Exception) -> str:
    possibilities = getattr(error, "possibilities", None)
    return f" (có phải ý bạn là {', '.join(possibilities)}?)" if possibilities else ""


def usage_error_message(error: Exception) -> str:
    """The Vietnamese message of a Click usage error, from its fields rather than its English text."""
    kind = type(error).__name__
    param = getattr(error, "param", None)
    name = (getattr(param, "metavar", None) or getattr(param, "name", None) or "") if param is not None else ""
    name = name or getattr(error, "param_hint", None) or ""  # raised by a command itself, naming its option
    if kind == "NoSuchOption":
        return f"không có tùy chọn {error.option_name}{_option_hint(error)}"
    if kind == "MissingParameter":
        return f"thiếu {name or 'tham số'}"
    if kind == "BadParameter":
        return f"giá trị không hợp lệ cho {name}: {getattr(error, 'message', '')}" if name else getattr(error, "message", "")
    if kind == "BadOptionUsage":
        return f"tùy chọn {error.option_name} cần một giá trị"
    text = str(getattr(error, "message", error))
    if text.startswith("No such command"):
        names = re.findall(r"'([^']+)'", text)
        guess = f" (có phải ý bạn là {names[1]}?)" if len(names) > 1 else ""
        return f"không có lệnh {names[0] if names else ''}{guess}"
    if text.startswith("Got unexpected extra argument"):
        return f"thừa tham số {text[text.find('('):]}"
    if text.startswith("Missing command"):
        return "thiếu tên lệnh"
    return f"dòng lệnh không đúng ({text})"


def usage_error_text(error: Exception) -> str:
    """Usage line, where to find help, and the message: what Click prints, in Vietnamese."""
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines += [ctx.get_usage(), f"Xem hướng dẫn: {ctx.command_path} --help", ""]
    lines.append(f"Lỗi: {usage_error_message(error)}")
    return "\n".join(lines)
