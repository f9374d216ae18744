"""Vietnamese text for machines: folded for search (no case, no diacritics) and keyed for sorting.

Both are plain ASCII kept in columns beside the text they come from, so SQLite and PostgreSQL search and
sort them the same way, through an index, whatever their collations.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement

# Tone marks (secondary in Vietnamese order) and the marks that make letters of their own (ă â ê ô ơ ư).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô",
            "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
# Two characters of [0-9a-z] per letter: every collation orders such keys as their bytes.
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_CODES = {letter: _DIGITS36[1 + index // 36] + _DIGITS36[index % 36] for index, letter in enumerate(ALPHABET)}
_NUMBER = re.compile(r"[0-9]+")


def fold(text: str | None) -> str:
    """Lower case without diacritics, đ as d, spaces collapsed: "Tuyên truyền" -> "tuyen truyen"."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


def sort_key(text: str | None) -> str:
    """A key ordering names as Vietnamese dictionaries do: letters first (a ă â … đ after d), tones next,
    numbers by value ("Thôn 2" before "Thôn 10"); other characters count as a space."""
    text = _NUMBER.sub(lambda m: " " + m.group().zfill(6), (text or "").lower())
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if char in TONES and tones:
                tones[-1] = str(TONES[char])
            elif char in LETTER_MARKS and letters:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
            continue
        letters.append(char)
        tones.append("0")
    # Letters code from "10" on, digits "01".."0a", anything else (spaces, punctuation) "00".
    primary = "".join(_CODES.get(letter) or ("0" + _DIGITS36[int(letter) + 1] if letter in "0123456789" else "00")
                      for letter in letters)
    return (primary + "00" + "".join(tones))[:400]


def like_contains(column: ColumnElement, query: str) -> ColumnElement:
    """`column` (a folded search column) contains the folded `query`; % and _ typed by users are literal."""
    needle = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{needle}%", escape="\\")
