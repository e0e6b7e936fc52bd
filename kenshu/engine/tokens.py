"""A documented approximation of token counts, for ``usage`` and cost estimates.

Real tokenisers differ by model. For Japanese they give roughly one token per
character; for ASCII text roughly one per four characters. We count exactly that.
"""

from __future__ import annotations

import math


def estimate_tokens(text: str) -> int:
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return math.ceil(ascii_chars / 4) + (len(text) - ascii_chars)
