"""Replace personal data with placeholders such as ［氏名1］, and put it back into a reply.

The mapping from placeholder to original stays in the ``Masked`` object, on this PC;
only the masked text is meant to be sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kenshu.safety.detect import find_pii
from kenshu.safety.spans import KINDS, LABELS, PUBLIC_KINDS, Span

DEFAULT_KINDS = tuple(kind for kind in KINDS if kind not in PUBLIC_KINDS)
_PLACEHOLDER = re.compile(r"[［\[]([^［］\[\]\d]{2,8})(\d{1,4})[］\]]")


@dataclass(frozen=True)
class Masked:
    text: str
    spans: tuple[Span, ...]
    mapping: dict[str, str] = field(repr=False)  # placeholder -> original

    def unmask(self, reply: str) -> str:
        """Restore placeholders in a model's reply (［氏名1］ or [氏名1]) from the local mapping."""
        def restore(match: re.Match[str]) -> str:
            return self.mapping.get(f"［{match.group(1)}{match.group(2)}］", match.group(0))
        return _PLACEHOLDER.sub(restore, reply)


def mask(text: str, *, kinds: Iterable[str] | None = None, mapping: dict[str, str] | None = None) -> Masked:
    """Mask the chosen kinds (default: all but public identifiers such as 法人番号).

    Pass the ``mapping`` of an earlier call to number placeholders consistently across
    several texts of one conversation.
    """
    wanted = set(DEFAULT_KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kind(s): {', '.join(sorted(unknown))}")
    mapping = {} if mapping is None else mapping
    by_original = {(original, _kind_of(placeholder)): placeholder for placeholder, original in mapping.items()}
    counters = {kind: sum(1 for p in mapping if _kind_of(p) == LABELS[kind]) for kind in KINDS}
    spans = [span for span in find_pii(text) if span.kind in wanted]
    pieces, position = [], 0
    for span in spans:
        key = (span.text, LABELS[span.kind])
        if key not in by_original:
            counters[span.kind] += 1
            placeholder = f"［{LABELS[span.kind]}{counters[span.kind]}］"
            by_original[key] = placeholder
            mapping[placeholder] = span.text
        pieces += [text[position:span.start], by_original[key]]
        position = span.end
    pieces.append(text[position:])
    return Masked("".join(pieces), tuple(spans), mapping)


def _kind_of(placeholder: str) -> str:
    match = _PLACEHOLDER.fullmatch(placeholder)
    return match.group(1) if match else ""
