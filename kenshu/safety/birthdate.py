"""生年月日: a date in 西暦 or 和暦 (S55.7.21 too) that a birth word stands next to."""

from __future__ import annotations

import re

from kenshu.safety.spans import Span

_NUM = r"(?:\d{1,2}|元)"
DATE = re.compile(
    r"(?:明治|大正|昭和|平成|令和)\s*" + _NUM + r"\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|(?<![A-Za-z])[MTSHR]\s*\d{1,2}[./-]\d{1,2}[./-]\d{1,2}(?!\d)"
    r"|(?<!\d)(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|(?<!\d)(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}(?!\d)")
_BEFORE = re.compile(r"(生年月日|誕生日|出生日|出生|生まれ|生)\s*(?:欄\s*[にのは]?|[:：はの])?\s*[（(「『]?\s*$")
_AFTER = re.compile(r"^\s*[)）]?\s*(生まれ|生|出生|誕生)")


def find(text: str, folded: str) -> list[Span]:
    spans = []
    for match in DATE.finditer(folded):
        before = folded[max(0, match.start() - 10):match.start()]
        after = folded[match.end():match.end() + 6]
        if _BEFORE.search(before) or _AFTER.search(after):
            spans.append(Span(match.start(), match.end(), "birthdate", text[match.start():match.end()]))
    return spans
