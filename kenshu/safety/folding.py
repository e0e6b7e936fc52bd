"""A same-length view of a text for pattern matching: full-width ASCII to half-width, dashes to '-'.

Each character maps to exactly one character, so offsets found in the folded view
are offsets into the original text.
"""

from __future__ import annotations

import re

_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE.update({ord("\u3000"): " ", ord("〜"): "~"})
_TABLE.update({ord(dash): "-" for dash in "‐‑‒–—―−－⁃"})
# the long-vowel mark is a dash only between digits (090ー1234); in words (コード) it stays
_LONG_VOWEL_AS_DASH = re.compile(r"(?<=\d)[ーｰ](?=\d)")


def fold(text: str) -> str:
    return _LONG_VOWEL_AS_DASH.sub("-", text.translate(_TABLE))


def digits_only(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isdigit())
