"""Vietnamese text as the house compares and cases it: one diacritic stripper, first-letter casing."""

from __future__ import annotations

import unicodedata


def plain(text: str) -> str:
    """Lower case without diacritics (đ → d), spaces collapsed: how headers and written dates are matched."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def viet_hoa_dau(text: str) -> str:
    """The text with its first letter in capitals (the `viet_hoa_dau` filter of templates)."""
    return text[:1].upper() + text[1:]


def viet_thuong_dau(text: str) -> str:
    """The text with a capitalised first word in lower case (the `viet_thuong_dau` filter of templates)."""
    # Keep acronyms such as "UBND" or "MN" as they are; lower only a capitalised ordinary word.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
