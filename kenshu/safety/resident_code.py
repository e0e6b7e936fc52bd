"""住民票コード: 11 digits written after the words 住民票コード."""

from __future__ import annotations

import re

from kenshu.safety.spans import Span

PATTERN = re.compile(r"住民票コード[^\d\n]{0,12}(\d{4}[ -]?\d{4}[ -]?\d{3}|\d{11})(?![\d-])")


def find(text: str, folded: str) -> list[Span]:
    return [Span(m.start(1), m.end(1), "resident_code", text[m.start(1):m.end(1)]) for m in PATTERN.finditer(folded)]
