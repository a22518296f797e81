"""Thai dictionary order for names.

Thai script is mostly in dictionary order in Unicode, with two exceptions that
this key handles: leading vowels (เ แ โ ใ ไ) are written before the consonant
they follow in speech and sort by that consonant; tone marks and other
diacritics only break ties. Title prefixes (นาย, นางสาว, ดร. …) are ignored.

The key is a string of fixed-width hex weights, so that the database orders it
the same way under any collation (SQLite's BINARY, PostgreSQL's en_US or C).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Longest first, so that "นางสาว" wins over "นาง".
TITLE_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "นาย",
            "นาง",
            "นางสาว",
            "น.ส.",
            "ด.ช.",
            "ด.ญ.",
            "เด็กชาย",
            "เด็กหญิง",
            "ดร.",
            "ผศ.",
            "รศ.",
            "ศ.",
            "ผศ.ดร.",
            "รศ.ดร.",
            "ศ.ดร.",
            "นพ.",
            "พญ.",
            "ว่าที่ร้อยตรี",
            "ว่าที่ ร.ต.",
            "ว่าที่ร.ต.",
            "ว่าที่ร้อยตรีหญิง",
            "พระ",
            "Mr.",
            "Mrs.",
            "Ms.",
            "Miss",
            "Dr.",
        },
        key=len,
        reverse=True,
    )
)

_DIACRITICS = re.compile("[\u0e47-\u0e4e]")  # ็ ่ ้ ๊ ๋ ์ ํ ๎
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")  # เ แ โ ใ ไ + consonant
_WIDTH = 6


def strip_title(name: str) -> str:
    """``name`` without a leading title such as นาย, นางสาว or ดร."""
    text = name.strip()
    changed = True
    while changed:  # "ว่าที่ร้อยตรี ดร." carries two titles
        changed = False
        for prefix in TITLE_PREFIXES:
            if text.lower().startswith(prefix.lower()) and len(text) > len(prefix):
                text = text[len(prefix) :].lstrip()
                changed = True
                break
    return text


def _weight(char: str) -> int:
    code = ord(char)
    if 0x0E00 <= code <= 0x0E7F:
        return 0x10 + code - 0x0E00  # Thai before Latin
    return 0x1000 + ord(char.lower())


def thai_sort_key(text: str) -> str:
    """A key that sorts ``text`` in Thai dictionary order."""
    base = _LEADING_VOWEL.sub(r"\2\1", _DIACRITICS.sub("", text.strip()))
    marks = "".join(_DIACRITICS.findall(text))
    primary = "".join(f"{_weight(c):0{_WIDTH}x}" for c in base)
    secondary = "".join(f"{_weight(c):0{_WIDTH}x}" for c in marks)
    return primary + "0" * _WIDTH + secondary


def name_sort_key(first_name: str, last_name: str = "") -> str:
    """Sort by first name, then last name, as Thai directories do; titles ignored."""
    return thai_sort_key(strip_title(first_name)) + "0" * _WIDTH + thai_sort_key(last_name)


def thai_sorted(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """``items`` in Thai dictionary order of ``key(item)``."""
    return sorted(items, key=lambda item: thai_sort_key(strip_title(key(item))))
