"""Card numbers: 13 to 19 digits, optionally grouped, passing the Luhn check."""

from __future__ import annotations

import re

from kenshu.safety.checksums import luhn_is_valid
from kenshu.safety.spans import Span

PATTERN = re.compile(r"(?<![\d-])(?<!\d )(?:(?:\d{4}[ -]?){3}\d{1,7}|\d{4}[ -]?\d{6}[ -]?\d{4,5})(?![\d-])(?! \d)")
_CARD_PREFIX = ("2", "3", "4", "5", "6")


def find(text: str, folded: str) -> list[Span]:
    spans = []
    for match in PATTERN.finditer(folded):
        digits = re.sub(r"\D", "", match.group(0))
        if digits.startswith(_CARD_PREFIX) and luhn_is_valid(digits):
            spans.append(Span(match.start(), match.end(), "credit_card", text[match.start():match.end()]))
    return spans
