"""口座番号: the digits written near 普通・当座・ゆうちょ or the words 口座番号."""

from __future__ import annotations

import re

from kenshu.safety.spans import Span

PATTERN = re.compile(
    r"(?:普通|当座|貯蓄|総合|ゆうちょ|口座番号|口座)(?:預金)?[^\d\n]{0,12}?"
    r"((?:記号\s*)?\d{5}[ -]?(?:番号\s*)?\d{7,8}|\d{7,8})(?![\d-])")


def find(text: str, folded: str) -> list[Span]:
    return [Span(m.start(1), m.end(1), "bank_account", text[m.start(1):m.end(1)]) for m in PATTERN.finditer(folded)]
