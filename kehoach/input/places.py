"""Names of administrative units as documents write them: "phường Hoàng Mai" is a kind and a proper name.

Since 1 July 2025 schools sit under a phường, xã or đặc khu; older data says quận, huyện, thị xã,
thị trấn. The kind is never guessed: it is read from what the data writes (the place itself, or the
managing body "UBND PHƯỜNG HOÀNG MAI").
"""

from __future__ import annotations

import unicodedata

# Longest first, so that "thị xã" is not read as "thị" + "xã …".
KINDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "quận", "huyện", "tỉnh", "xã")
BODY_PREFIXES = ("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).split()


def split_place(text: str | None) -> tuple[str, str] | None:
    """("phường", "Hoàng Mai") for "phường Hoàng Mai" (any case); None when the text starts with no kind."""
    words = _words(text or "")
    for kind in KINDS:
        size = len(kind.split())
        if len(words) > size and " ".join(words[:size]).lower() == kind:
            return kind, " ".join(words[size:])
    return None


def body_place(body: str | None) -> tuple[str, str] | None:
    """The unit a managing body governs: ("phường", "HOÀNG MAI") for "UBND PHƯỜNG HOÀNG MAI"; None if unnamed."""
    words = _words(body or "")
    for prefix in BODY_PREFIXES:
        size = len(prefix.split())
        if " ".join(words[:size]).lower() == prefix:
            return split_place(" ".join(words[size:]))
    return None


def proper_name(place: str | None) -> str:
    """The place without its kind: "Hoàng Mai" for "phường Hoàng Mai"; the text itself when it has no kind."""
    split = split_place(place)
    return split[1] if split else " ".join(_words(place or ""))


def place_in_sentence(dia_danh: str, *bodies: str | None) -> str | None:
    """The place as a sentence writes it ("phường Hoàng Mai") from the date-line place ("Hoàng Mai") and the
    first body that governs exactly that place ("UBND PHƯỜNG HOÀNG MAI"); None when no body says its kind."""
    for body in bodies:
        governed = body_place(body)
        if governed and governed[1].casefold() == " ".join(_words(dia_danh)).casefold():
            return f"{governed[0]} {' '.join(_words(dia_danh))}"
    return None
