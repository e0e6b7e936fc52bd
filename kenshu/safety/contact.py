"""Contact details: telephone numbers, e-mail addresses and postal codes."""

from __future__ import annotations

import re

from kenshu.safety.spans import Span

_SEPARATED = re.compile(r"(?<![0-9_-])(?:\+81[ -]?\(?0?\)?\d{1,4}|\(0\d{1,4}\)|0\d{1,4})[ -]?(?:\(\d{1,4}\)|\d{1,4})[ -]?\d{3,4}(?![\d-])")
_CONTIGUOUS = re.compile(r"(?<![\d-])0(?:[5789]0\d{8}|120\d{6}|800\d{7}|570\d{6}|[1-9]\d{8})(?![\d-])")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_POSTAL = re.compile(r"(〒\s?)?(?<![\d-])(\d{3}-\d{4}|\d{7})(?![\d-])")
_POSTAL_CONTEXT = re.compile(r"〒|郵便番号|住所|所在地|送付先|[都道府県]\s*$")
_EXTENSION = re.compile(r"内線\s*$")


def find_phones(text: str, folded: str) -> list[Span]:
    spans = []
    for pattern in (_SEPARATED, _CONTIGUOUS):
        for match in pattern.finditer(folded):
            digits = re.sub(r"\D", "", match.group(0))
            if digits.startswith("81"):
                digits = "0" + digits[2:].lstrip("0")
            if len(digits) not in (10, 11) or not digits.startswith("0"):
                continue
            if _EXTENSION.search(folded[max(0, match.start() - 4):match.start()]):
                continue
            spans.append(Span(match.start(), match.end(), "phone", text[match.start():match.end()]))
    return spans


def find_emails(text: str, folded: str) -> list[Span]:
    return [Span(m.start(), m.end(), "email", text[m.start():m.end()]) for m in _EMAIL.finditer(folded)]


def find_postal_codes(text: str, folded: str) -> list[Span]:
    spans = []
    for match in _POSTAL.finditer(folded):
        marked = bool(match.group(1))
        context = folded[max(0, match.start() - 8):match.start()]
        after = folded[match.end():match.end() + 4]
        if not (marked or _POSTAL_CONTEXT.search(context) or re.match(r"\s*[一-龥]{2,3}[都道府県]", after)):
            continue
        start, end = match.start(2), match.end(2)
        spans.append(Span(start, end, "postal_code", text[start:end]))
    return spans
