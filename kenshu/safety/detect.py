"""Find personal data in Japanese text: every detector over one folded view, overlaps resolved.

A value found once is found wherever it recurs (``山田太郎様`` marks the name; the bare
``山田太郎`` later in the text, or in another message of the same call, is the same person).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kenshu.safety import (
    address,
    bank_account,
    birthdate,
    contact,
    corporate_number,
    credit_card,
    mynumber,
    person_name,
    resident_code,
)
from kenshu.safety.folding import fold
from kenshu.safety.spans import Span

Detector = Callable[[str, str], list[Span]]

# earlier detectors win when spans overlap: the checked identifiers first
DETECTORS: tuple[Detector, ...] = (
    mynumber.find, corporate_number.find, credit_card.find, resident_code.find, bank_account.find,
    contact.find_emails, birthdate.find, contact.find_postal_codes, contact.find_phones, address.find,
    person_name.find,
)


# a value this short is not spread to other places: a one-character name would eat ordinary words
MIN_SPREAD_CHARS = 2


def find_pii(text: object) -> list[Span]:
    """Every piece of personal data in ``text``, in text order, without overlaps.

    Anything that is not a string (None, numbers) has no personal data to find.
    """
    return find_pii_in([text])[0]


def find_pii_in(texts: Sequence[object]) -> list[list[Span]]:
    """The personal data in each of several texts that travel together (the messages of one call).

    Each value any detector finds is also reported at its every other occurrence, in any of the texts.
    """
    found = [_detect(text) for text in texts]
    values = {span.text: span.kind for spans in found for span in spans
              if len(span.text.strip()) >= MIN_SPREAD_CHARS}
    if not values:
        return found
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    spread = []
    for text, spans in zip(texts, found, strict=True):
        if not isinstance(text, str):
            spread.append(spans)
            continue
        taken = bytearray(len(text))
        for span in spans:
            taken[span.start:span.end] = b"\x01" * (span.end - span.start)
        extra = [Span(m.start(), m.end(), values[m.group(0)], m.group(0)) for m in pattern.finditer(text)
                 if not any(taken[m.start():m.end()])]
        spread.append(sorted([*spans, *extra]) if extra else spans)
    return spread


def _detect(text: object) -> list[Span]:
    if not isinstance(text, str) or not text:
        return []
    folded = fold(text)
    kept: list[Span] = []
    taken = bytearray(len(text))
    for detector in DETECTORS:
        for span in detector(text, folded):
            if span.end > span.start and not any(taken[span.start:span.end]):
                kept.append(span)
                taken[span.start:span.end] = b"\x01" * (span.end - span.start)
    return sorted(kept)
