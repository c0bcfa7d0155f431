"""Turn the raw bytes of a clerk's text file into clean Unicode, or say in Vietnamese why not.

Clerks type in Notepad, Notepad++ or VS Code, often with UniKey still set to an old
Vietnamese code table (TCVN3/ABC, VNI) or paste from old Word files in .VnTime or
VNI-Times fonts. Such text must be refused with a fix, never printed as mojibake
into an official document.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path

from kehoach.errors import InputError, Problem, problem, reason

MAX_INPUT_BYTES = 2 * 1024 * 1024  # a plan is a few KB; anything this big is the wrong file

# --- Vietnamese syllables -------------------------------------------------------------

GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)  # the order TCVN3 lays out its toned vowels
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"

_INITIALS = "ngh ng gh gi kh nh ph th tr ch qu b c d đ g h k l m n p r s t v x".split()
_NUCLEI = (
    "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "a ă â e ê i o ô ơ u ư y"
).split()
_FINALS = "ch ng nh c m n p t".split()
_SYLLABLE = re.compile(
    f"(?:{'|'.join(_INITIALS)})?(?:{'|'.join(_NUCLEI)})(?:{'|'.join(_FINALS)})?"
)
# Runs of letters, combining marks and the Latin-1 symbols TCVN3 uses as letters (· ­ ¸ ×).
_WORD = re.compile(r"[A-Za-z\u00a1-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]+")


@lru_cache(maxsize=65536)  # plans repeat the same few hundred words
def _is_vietnamese_syllable(word: str) -> bool:
    """A loose phonotactic check: initial + vowel nucleus + final, at most one tone mark."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(mark in TONES for mark in decomposed) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return _SYLLABLE.fullmatch(toneless) is not None


def _candidate_words(line: str) -> set[str]:
    """Distinct words a legacy code table could have garbled: non-ASCII, longer than one character.

    Single characters are left out because legitimate symbols ("×", "½") would read as
    one-letter Vietnamese words ("ì", "ẵ") in TCVN3; a repeated unit ("5 µm × 3 µm", "àm"
    in TCVN3) is one piece of evidence, not two.
    """
    return {w for w in _WORD.findall(line) if len(w) > 1 and not w.isascii()}


def _count_syllables(words: set[str]) -> int:
    return sum(_is_vietnamese_syllable(w) for w in words)


# --- legacy code tables -----------------------------------------------------------------


def _compose(letter: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", letter + "".join(marks))


def _vietnamese_vowels() -> list[tuple[str, str]]:
    """Every lowercase Vietnamese vowel letter with its tone mark ("" when untoned)."""
    return [(base, tone) for base in "aăâeêioôơuưy" for tone in ("", *TONES)]


def _tcvn3_table() -> dict[str, str]:
    """Unicode letter -> TCVN3 (ABC) glyph, the byte as a Latin-1 character."""
    toned_glyphs = {"a": "µ¶·¸¹", "ă": "»¼½¾Æ", "â": "ÇÈÉÊË", "e": "ÌÎÏÐÑ", "ê": "ÒÓÔÕÖ",
                    "i": "×ØÜÝÞ", "o": "ßáâãä", "ô": "åæçèé", "ơ": "êëìíî", "u": "ïñòóô",
                    "ư": "õö÷øù", "y": "úûüýþ"}  # tones in TONES order
    table = dict(zip("ăâêôơưđĂÂÊÔƠƯĐ", "¨©ª«¬\xad®¡¢£¤¥¦§"))
    for base, glyphs in toned_glyphs.items():
        for tone, glyph in zip(TONES, glyphs):
            table[_compose(base, tone)] = glyph
            # TCVN3 has no capital toned letters: documents type them lowercase in the
            # all-capitals font .VnTimeH, so a capital maps to the lowercase glyph.
            table[_compose(base.upper(), tone)] = glyph
    return table


def _vni_table() -> dict[str, str]:
    """Unicode letter -> VNI Windows spelling: a base letter followed by accent characters."""
    tone_marks = dict(zip(TONES, "øûõùï"))
    circumflex_marks = dict(zip(("", *TONES), "âàåãáä"))
    breve_marks = dict(zip(("", *TONES), "êèúüéë"))
    i_letters = dict(zip(TONES, "ìæóíò"))  # i with a tone is a single character in VNI
    table = {"đ": "ñ", "Đ": "Ñ", _compose("y", DOT): "î", _compose("Y", DOT): "Î"}
    for letter, tone in _vietnamese_vowels():
        decomposed = unicodedata.normalize("NFD", letter)
        plain = decomposed[0]
        if letter == "i" and tone:
            spelling = i_letters[tone]
        elif CIRCUMFLEX in decomposed:
            spelling = plain + circumflex_marks[tone]
        elif BREVE in decomposed:
            spelling = plain + breve_marks[tone]
        elif HORN in decomposed:
            spelling = {"o": "ô", "u": "ö"}[plain] + tone_marks.get(tone, "")
        else:
            spelling = plain + tone_marks.get(tone, "")
        unicode_letter = _compose(letter, tone)
        if unicode_letter not in table and spelling != unicode_letter:
            table[unicode_letter] = spelling
            table[unicode_letter.upper()] = spelling.upper()
    return table


@dataclass(frozen=True)
class LegacyEncoding:
    """An old Vietnamese code table as clerks know it."""

    name: str  # in the error message
    unikey_source: str  # the "Nguồn" choice in UniKey's converter


LEGACY_ENCODINGS = {
    "TCVN3": LegacyEncoding("TCVN3 (ABC), phông chữ .VnTime", "TCVN3 (ABC)"),
    "VNI": LegacyEncoding("VNI Windows, phông chữ VNI-Times", "VNI Windows"),
    "CP1258": LegacyEncoding("Windows-1258 (CP1258)", "Vietnamese locale CP 1258"),
}
# TCVN3 and VNI are spelled glyph by glyph; CP1258 is a real codec Python has.
_TO_LEGACY = {"TCVN3": _tcvn3_table(), "VNI": _vni_table()}
# The lowercase glyph wins when a legacy spelling stands for two Unicode letters (TCVN3 capitals).
_FROM_LEGACY = {
    key: {legacy: letter for letter, legacy in reversed(table.items())}
    for key, table in _TO_LEGACY.items()
}
_LEGACY_SPELLING = {
    key: re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))
    for key, table in _FROM_LEGACY.items()
}


def encode_legacy(text: str, encoding: str) -> str:
    """Spell Unicode text in TCVN3 or VNI, each legacy byte as a Latin-1 character."""
    return text.translate(str.maketrans(_TO_LEGACY[encoding]))


def convert_legacy(text: str, encoding: str) -> str:
    """Convert legacy text (its bytes read as Latin-1) to NFC Unicode; encoding is TCVN3/VNI/CP1258.

    TCVN3 and VNI text may also be mixed into Unicode text, as when pasted into a UTF-8 file.
    """
    if encoding == "CP1258":  # letters plus combining tone marks, hence NFC
        decoded = text.encode("latin-1").decode("cp1258", errors="replace")
        return unicodedata.normalize("NFC", decoded)
    table = _FROM_LEGACY[encoding]
    return _LEGACY_SPELLING[encoding].sub(lambda m: table[m.group()], text)


@dataclass(frozen=True)
class TextFileKind:
    """How the messages about one kind of text file (plan, CSV roster) say to fix it."""

    name: str  # "tệp kế hoạch"
    save_as_utf8: str  # how to save this kind of file as UTF-8, ending a sentence
    right_file: str  # what to choose when this is not such a file at all
    # In a roster a control character is one cell's mistake, text pasted from elsewhere (clean_text refuses
    # it at its cell, and the other rows go on); only NUL marks the whole file as binary.
    controls_in_cells: bool = False


PLAN_FILE = TextFileKind(
    "tệp kế hoạch",
    "lưu tệp với mã hóa UTF-8 (Notepad: Tệp → Lưu thành…, mục Mã hóa chọn UTF-8; "
    "Notepad++: Encoding → Convert to UTF-8 rồi lưu; VS Code: bấm tên bảng mã ở góc dưới "
    "bên phải → Save with Encoding → UTF-8)",
    "Hãy chọn đúng tệp kế hoạch (tệp văn bản đuôi .yaml, mở được bằng Notepad).",
)


class LegacyEncodingError(InputError):
    """The file is in an old Vietnamese code table; `encoding` says which, for a converter."""

    def __init__(self, encoding: str, filename: str, line: int, column: int, kind: TextFileKind = PLAN_FILE):
        self.encoding = encoding
        super().__init__(_legacy_problem(encoding, filename, line, column, kind))


def _legacy_problem(key: str, filename: str, line: int, column: int, kind: TextFileKind) -> Problem:
    encoding = LEGACY_ENCODINGS[key]
    message = (
        f"Tệp được gõ bằng bảng mã {encoding.name}, không phải Unicode; "
        "nếu dùng tiếp, chữ tiếng Việt trong văn bản sẽ bị lỗi phông."
    )
    if key == "CP1258":
        hint = ("Mở tệp bằng Notepad++, chọn Encoding → Character sets → Vietnamese → "
                f"Windows-1258 để chữ hiện đúng dấu, rồi {kind.save_as_utf8}.")
    else:
        hint = (
            "Chép toàn bộ nội dung tệp (Ctrl+A, Ctrl+C), mở UniKey → Công cụ chuyển mã "
            f"(Ctrl+Shift+F6), chọn Nguồn: {encoding.unikey_source}, Đích: Unicode, bấm "
            f"«Chuyển mã», dán lại vào tệp (Ctrl+V) rồi {kind.save_as_utf8}."
        )
    return problem(filename, message, hint, line, column)


# --- detection --------------------------------------------------------------------------


def _legacy_line(baseline: str, reading: str) -> int:
    """How many more Vietnamese syllables a line has after conversion; 0 unless convincing.

    Why this score: real legacy text is unreadable before conversion and Vietnamese after
    it, word for word; Unicode Vietnamese is already Vietnamese, so converting it can only
    keep or lose syllables; a stray "café", "25°C" or "2 × 3" gains at most one. So a line
    counts when conversion gains at least two syllables and leaves mostly syllables.
    """
    words = _candidate_words(reading)
    syllables = _count_syllables(words)
    gain = syllables - _count_syllables(_candidate_words(baseline))
    return gain if gain >= 2 and 2 * syllables > len(words) else 0


def _find_legacy(
    shown: str, readings: dict[str, str], baseline: str
) -> tuple[str, int, int] | None:
    """The code table whose reading gains most syllables over the baseline, and where it starts.

    `shown` is the text as an editor shows it, for the line:column of the first garbled letter.
    """
    best, best_gain = None, 0
    shown_lines, baseline_lines = shown.split("\n"), baseline.split("\n")
    for key, reading in readings.items():
        reading_lines = reading.split("\n")
        pairs = zip_longest(baseline_lines, reading_lines, fillvalue="")
        gains = [_legacy_line(baseline_line, reading_line) for baseline_line, reading_line in pairs]
        if sum(gains) > best_gain:
            line = next(i for i, gain in enumerate(gains) if gain)
            column = len(os.path.commonprefix([shown_lines[line], reading_lines[line]]))
            best, best_gain = (key, line + 1, column + 1), sum(gains)
    return best


def _raise_if_legacy(shown: str, readings: dict[str, str], baseline: str, filename: str,
                     kind: TextFileKind) -> None:
    found = _find_legacy(shown, readings, baseline)
    if found:
        key, line, column = found
        raise LegacyEncodingError(key, filename, line, column, kind)


# --- decoding ---------------------------------------------------------------------------

# Invisible characters pasted from web pages and Word that would silently split words in the
# document. No-break spaces (U+00A0, U+202F) are kept: Word users type them on purpose to
# keep "Điều 5", "30/2020/NĐ-CP" or "15 000 đồng" on one line, and they print as spaces.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Unicode category Cc except tab and LF (CR is already gone): never typed, only found in binaries.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NUL = re.compile("\x00")
_OTHER_FILE_KINDS = {
    b"PK\x03\x04": "tệp Word (.docx), Excel (.xlsx) hoặc tệp nén (.zip)",
    b"\xd0\xcf\x11\xe0": "tệp Word (.doc) hoặc Excel (.xls) đời cũ",
    b"%PDF-": "tệp PDF",
}


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of text[index], counting LF as the line break."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


# --- characters a document can hold ------------------------------------------------------
# The one policy for every text that enters: plan and schools values (loader.py) and roster cells
# (input/roster/). Zero-width characters (_INVISIBLE) are removed: they are never meaningful in Vietnamese
# text, only pasted along from web pages and Word. The characters below are refused with their place.

# Direction controls: never typed in Vietnamese; they reorder what is shown, in the document and in a file
# name made from it ("ten‮xcod.exe" reads as "tenexe.docx").
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# XML 1.0 cannot hold these besides the control characters: Word refuses a file that has them.
_NOT_CHARACTERS = "\ud800-\udfff\ufffe\uffff"
_UNUSABLE = re.compile(f"{_CONTROL.pattern}|[{_NOT_CHARACTERS}]|[{_BIDI}]")
_SHOW_CHARACTERS = "Notepad++: View → Show Symbol → Show All Characters để thấy ký tự ẩn"


class UnusableCharacter(ValueError):
    """A character a document cannot hold, at `index` of the text; `message` and `hint` in Vietnamese."""

    def __init__(self, text: str, index: int):
        self.index, self.character = index, text[index]
        code = f"U+{ord(self.character):04X}"
        if re.match(f"[{_BIDI}]", self.character):
            self.message = (f"có ký tự ẩn đổi chiều chữ ({code}): tiếng Việt không bao giờ cần nó, "
                            "và nó làm chữ (cả tên tệp) hiện sai thứ tự")
        elif _CONTROL.match(self.character):
            self.message = f"có ký tự điều khiển không in được ({code}), văn bản Word không chứa được"
        else:
            self.message = f"có mã {code} không phải chữ, văn bản Word không chứa được"
        self.hint = f"xóa ký tự này ({_SHOW_CHARACTERS}), hoặc gõ lại cả giá trị"
        super().__init__(self.message)


def clean_text(text: str) -> str:
    """Text as a document can hold it: zero-width characters removed, Unicode's line and paragraph separators
    (pasted from web pages) made the line breaks they are; UnusableCharacter for a control, direction or
    non-character code (the first one, with its index in text)."""
    if found := _UNUSABLE.search(text):
        raise UnusableCharacter(text, found.start())
    return _INVISIBLE.sub("", text).replace("\u2028", "\n").replace("\u2029", "\n")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unicode_codec(data: bytes) -> str:
    """The Unicode encoding the bytes declare by a BOM or betray by NUL bytes; else UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Without a BOM, UTF-16 shows itself by the NUL high byte of ASCII characters, which are
    # at least a third of any YAML file (spaces, keys, digits); text files have no NULs.
    sample = data[:4096]
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if _mostly_nul_high_bytes(odd_nuls, even_nuls, len(sample) // 2):
        return "utf-16-le"
    if _mostly_nul_high_bytes(even_nuls, odd_nuls, len(sample) // 2):
        return "utf-16-be"
    return "utf-8"


def _mostly_nul_high_bytes(high_nuls: int, low_nuls: int, pairs: int) -> bool:
    return high_nuls >= max(2, 0.3 * pairs) and low_nuls <= 0.05 * pairs


def _raise_if_legacy_bytes(data: bytes, filename: str, kind: TextFileKind) -> None:
    """Refuse bytes that read as Vietnamese in TCVN3, VNI or Windows-1258."""
    as_latin1 = _normalise_newlines(data.decode("latin-1"))
    readings = {key: convert_legacy(as_latin1, key) for key in LEGACY_ENCODINGS}
    # Bytes that are not UTF-8 have no Unicode reading to compete with, so the baseline is empty.
    _raise_if_legacy(as_latin1, readings, "", filename, kind)


def _undecodable(data: bytes, codec: str, error: UnicodeDecodeError, filename: str,
                 kind: TextFileKind) -> InputError:
    """An InputError at the line and column of the first byte the codec cannot read."""
    before = _normalise_newlines(data[: error.start].decode(codec, errors="replace"))
    line, column = line_column(before, len(before))
    label = "UTF-16" if codec.startswith("utf-16") else "UTF-8"
    message = f"Tệp có byte 0x{data[error.start]:02X} không đọc được theo mã hóa {label}."
    hint = (
        "Mở tệp bằng Notepad++ hoặc VS Code, xóa hoặc gõ lại ký tự hỏng ở vị trí này rồi "
        f"{kind.save_as_utf8}. Nếu đây không phải {kind.name}: {kind.right_file}"
    )
    return InputError(problem(filename, message, hint, line, column))


def _raise_if_control_character(text: str, filename: str, kind: TextFileKind) -> None:
    """Refuse characters no editor shows (NUL, escape…), the mark of a binary or damaged file."""
    control = (_NUL if kind.controls_in_cells else _CONTROL).search(text)
    if control:
        line, column = line_column(text, control.start())
        message = f"Tệp có ký tự điều khiển không in được (mã U+{ord(control.group()):04X})."
        hint = (
            "Mở tệp bằng Notepad++, bật View → Show Symbol → Show All Characters để thấy và "
            f"xóa ký tự này rồi lưu lại. Nếu đây không phải {kind.name}: {kind.right_file}"
        )
        raise InputError(problem(filename, message, hint, line, column))


def decode_input(data: bytes, filename: str, kind: TextFileKind = PLAN_FILE) -> str:
    """Decode a clerk's text file to NFC text with LF newlines, or raise InputError saying why (each fix
    told for `kind`)."""
    for signature, other in _OTHER_FILE_KINDS.items():
        if data.startswith(signature):
            raise InputError(problem(filename, f"Đây là {other}, không phải tệp văn bản.",
                                     kind.right_file))
    codec = _unicode_codec(data)
    if codec in ("utf-16-le", "utf-16-be") and len(data) % 2:
        codec = "utf-8"  # a guess from NUL bytes alone; an odd length is no UTF-16: read as UTF-8 with NULs in it
    try:
        text = _normalise_newlines(data.decode(codec))
    except UnicodeDecodeError as error:
        if codec == "utf-8":
            _raise_if_legacy_bytes(data, filename, kind)
        raise _undecodable(data, codec, error, filename, kind) from None
    _raise_if_control_character(text, filename, kind)
    # Legacy text pasted into a UTF-8 file from an old Word document in .VnTime or VNI-Times.
    _raise_if_legacy(text, {key: convert_legacy(text, key) for key in _FROM_LEGACY}, text, filename, kind)
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def read_text_file(path: Path) -> str:
    """Read and decode a clerk's text file of at most MAX_INPUT_BYTES, or raise InputError."""
    filename = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_INPUT_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        hint = "Kiểm tra lại tên tệp và thư mục chứa nó (gõ đủ cả phần đuôi, ví dụ ke-hoach.yaml)."
        raise InputError(problem(filename, "Không tìm thấy tệp.", hint)) from None
    except (IsADirectoryError, PermissionError):
        # Windows reports opening a folder as PermissionError.
        if path.is_dir():
            raise InputError(problem(filename, "Đây là một thư mục, không phải tệp.",
                                     "Ghi cả tên tệp sau tên thư mục, ví dụ "
                                     f"{path / 'ke-hoach.yaml'}.")) from None
        raise InputError(problem(filename, "Không có quyền đọc tệp.",
                                 "Đóng tệp nếu đang mở trong chương trình khác, hoặc chép tệp "
                                 "sang thư mục của bạn (ví dụ Tài liệu) rồi chạy lại.")) from None
    except OSError as error:
        raise InputError(problem(filename, f"Không đọc được tệp ({reason(error)}).", "Kiểm tra tệp còn ở đó "
                                 "(USB, ổ mạng chưa bị rút) và tên không quá dài rồi chạy lại.")) from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(problem(filename, "Tệp quá lớn (hơn 2 MB); tệp kế hoạch chỉ vài KB.",
                                 PLAN_FILE.right_file))
    return decode_input(data, filename)
