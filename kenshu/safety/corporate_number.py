"""法人番号: 13 digits whose first digit checks the other 12 (a public identifier)."""

from __future__ import annotations

import re

from kenshu.safety.checksums import corporate_number_is_valid
from kenshu.safety.spans import Span

PATTERN = re.compile(r"(?<![\d-])(?<!\d )\d{1}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d-])(?! \d)")


def find(text: str, folded: str) -> list[Span]:
    return [Span(m.start(), m.end(), "corporate_number", text[m.start():m.end()])
            for m in PATTERN.finditer(folded) if corporate_number_is_valid(re.sub(r"\D", "", m.group(0)))]
