"""The one masker: replace personal data with placeholders such as ［氏名1］, and put it back into a reply.

``mask()`` (one text), the gate (every text of one call), the 個人情報チェッカー and every
lesson widget use this module, so a text is masked the same way wherever it is masked:

- every occurrence of a detected value is replaced (detection spreads a value found once to
  its other occurrences, see ``kenshu.safety.detect``), each value by one placeholder;
- placeholders already written in the texts (someone typed ［氏名1］ as an example) are never
  reused: numbering starts after them, and they are never unmasked, because the mapping
  holds only the placeholders this masker made.

The mapping from placeholder to original stays on this PC; only the masked text is sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kenshu.safety.detect import find_pii, find_pii_in
from kenshu.safety.spans import KINDS, LABELS, PUBLIC_KINDS, Span

DEFAULT_KINDS = frozenset(kind for kind in KINDS if kind not in PUBLIC_KINDS)
# ［氏名1］ or [氏名1]; the label is 2-8 characters without digits
PLACEHOLDER = re.compile(r"[［\[]([^［］\[\]\d]{2,8})(\d{1,4})[］\]]")
# the start of a placeholder cut off at the end of a text (a streamed reply's chunk)
PARTIAL_PLACEHOLDER = re.compile(r"[［\[][^［］\[\]\d]{0,8}\d{0,4}\Z")
_KIND_OF_LABEL = {label: kind for kind, label in LABELS.items()}


def placeholder_for(kind: str, number: int) -> str:
    return f"［{LABELS[kind]}{number}］"


class Masker:
    """Placeholders for one conversation: one per value, numbered after those the texts already hold.

    ``kinds`` are the kinds to replace (default: all but public identifiers such as 法人番号).
    ``texts`` are every text of the conversation, read once for hand-written placeholders.
    ``mapping`` (placeholder -> original) continues an earlier masker's numbering.
    """

    def __init__(self, kinds: Iterable[str] | None = None, *, texts: Iterable[str] = (),
                 mapping: dict[str, str] | None = None) -> None:
        self.kinds = frozenset(DEFAULT_KINDS if kinds is None else kinds)
        unknown = self.kinds - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kind(s): {', '.join(sorted(unknown))}")
        self.mapping: dict[str, str] = {} if mapping is None else mapping
        self._by_original: dict[tuple[str, str], str] = {}
        self._last = dict.fromkeys(KINDS, 0)
        for placeholder, original in self.mapping.items():
            kind, number = _parse(placeholder)
            if kind:
                self._by_original[(original, kind)] = placeholder
                self._last[kind] = max(self._last[kind], number)
        for text in texts:
            self.reserve(text)

    def reserve(self, text: str) -> None:
        """Skip the numbers of placeholders already written in ``text``."""
        for match in PLACEHOLDER.finditer(text):
            kind = _KIND_OF_LABEL.get(match.group(1))
            if kind:
                self._last[kind] = max(self._last[kind], int(match.group(2)))

    def apply(self, text: str, spans: Sequence[Span]) -> str:
        """``text`` with each span of a chosen kind replaced by its placeholder."""
        pieces, position = [], 0
        for span in spans:
            if span.kind not in self.kinds or span.start < position:
                continue
            pieces += [text[position:span.start], self._placeholder(span)]
            position = span.end
        pieces.append(text[position:])
        return "".join(pieces)

    def _placeholder(self, span: Span) -> str:
        key = (span.text, span.kind)
        if key not in self._by_original:
            self._last[span.kind] += 1
            placeholder = placeholder_for(span.kind, self._last[span.kind])
            self._by_original[key] = placeholder
            self.mapping[placeholder] = span.text
        return self._by_original[key]

    def unmask(self, reply: str) -> str:
        """Restore the placeholders this masker made (［氏名1］ or [氏名1]); any other is left as written."""
        if not self.mapping:
            return reply
        return PLACEHOLDER.sub(lambda m: self.mapping.get(_canonical(m), m.group(0)), reply)

    def unmask_json(self, document: str) -> str:
        """Unmask inside a JSON document (tool-call arguments): originals are JSON-escaped."""
        if not self.mapping:
            return document

        def restore(match: re.Match[str]) -> str:
            original = self.mapping.get(_canonical(match))
            return json.dumps(original, ensure_ascii=False)[1:-1] if original is not None else match.group(0)

        return PLACEHOLDER.sub(restore, document)

    def hide_known(self, text: str) -> str:
        """Replace every original this masker knows, wherever it appears (a reply that echoes a name)."""
        for placeholder, original in sorted(self.mapping.items(), key=lambda item: -len(item[1])):
            if original.strip():
                text = text.replace(original, placeholder)
        return text


def _canonical(match: re.Match[str]) -> str:
    return f"［{match.group(1)}{match.group(2)}］"


def _parse(placeholder: str) -> tuple[str | None, int]:
    match = PLACEHOLDER.fullmatch(placeholder)
    if not match:
        return None, 0
    return _KIND_OF_LABEL.get(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class Masked:
    text: str
    spans: tuple[Span, ...]                         # the spans that were replaced
    mapping: dict[str, str] = field(repr=False)     # placeholder -> original

    def unmask(self, reply: str) -> str:
        """Restore placeholders in a model's reply from the local mapping."""
        return Masker(mapping=dict(self.mapping)).unmask(reply)


def mask_all(texts: Sequence[str], *, kinds: Iterable[str] | None = None,
             spans: Sequence[Sequence[Span]] | None = None,
             mapping: dict[str, str] | None = None) -> tuple[list[str], Masker]:
    """Mask several texts of one conversation with one numbering (``spans``: from ``find_pii_in``)."""
    found = find_pii_in(texts) if spans is None else spans
    masker = Masker(kinds, texts=texts, mapping=mapping)
    return [masker.apply(text, text_spans) for text, text_spans in zip(texts, found, strict=True)], masker


def mask(text: str, *, kinds: Iterable[str] | None = None, mapping: dict[str, str] | None = None) -> Masked:
    """Mask the chosen kinds in one text (default: all but public identifiers such as 法人番号).

    Pass the ``mapping`` of an earlier call to number placeholders consistently across
    several texts of one conversation.
    """
    found = find_pii(text)
    [masked], masker = mask_all([text], kinds=kinds, spans=[found], mapping=mapping)
    return Masked(masked, tuple(s for s in found if s.kind in masker.kinds), masker.mapping)


__all__ = ["DEFAULT_KINDS", "PARTIAL_PLACEHOLDER", "PLACEHOLDER", "Masked", "Masker", "mask", "mask_all",
           "placeholder_for"]
