"""Find personal data in Japanese text: every detector over one folded view, overlaps resolved."""

from __future__ import annotations

from collections.abc import Callable

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


def find_pii(text: object) -> list[Span]:
    """Every piece of personal data found in ``text``, in text order, without overlaps.

    Anything that is not a string (None, numbers) has no personal data to find.
    """
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
