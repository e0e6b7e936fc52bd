"""Which characters are kanji, for the rules that read Japanese words."""

from __future__ import annotations

import re

KANJI_RANGES = "\u3400-\u9fff\uf900-\ufaff々〆ヶ"  # for character classes: [{KANJI_RANGES}]
_KANJI = re.compile(f"[{KANJI_RANGES}]")


def is_kanji(char: str) -> bool:
    return bool(char) and bool(_KANJI.match(char))


def trailing_kanji(text: str) -> int:
    count = 0
    while count < len(text) and is_kanji(text[-1 - count]):
        count += 1
    return count
