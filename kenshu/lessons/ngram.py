"""A tiny character n-gram language model, to show next-token prediction in lesson 01.

The model counts which character follows each run of up to ``order`` characters.
To predict, it looks up the longest run at the end of the prefix that it has seen
(backing off to shorter runs), turns the counts into probabilities, applies a
temperature and picks or samples the next character. Sampling uses its own seeded
``random.Random``, so the same seed always gives the same text.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from kenshu import datasets


@dataclass(frozen=True)
class NgramModel:
    order: int                                   # longest context, in characters
    counts: dict[str, Counter] = field(repr=False)  # context -> Counter of next characters
    characters: int = 0                          # size of the training text

    def context_for(self, prefix: str) -> str:
        """The longest end of ``prefix`` (up to ``order`` characters) seen in training; "" if none."""
        for size in range(min(self.order, len(prefix)), 0, -1):
            if prefix[-size:] in self.counts:
                return prefix[-size:]
        return ""


def train(texts: str | Iterable[str], order: int = 4) -> NgramModel:
    """Count next characters after every context of 0..``order`` characters in ``texts``."""
    if order < 1:
        raise ValueError("order must be at least 1")
    documents = [texts] if isinstance(texts, str) else list(texts)
    counts: dict[str, Counter] = {}
    total = 0
    for text in documents:
        total += len(text)
        for i, char in enumerate(text):
            for size in range(0, min(order, i) + 1):
                counts.setdefault(text[i - size:i], Counter())[char] += 1
    if not total:
        raise ValueError("training text is empty")
    return NgramModel(order, counts, total)


def manual_texts(before: str | None = None) -> list[str]:
    """Title and body of each section of the accounting manual.

    ``before="2025-04-01"`` keeps only sections in force before that date: the
    manual as it stood before the revision (the old rule ACC-27 instead of ACC-27a).
    """
    texts = []
    for section in datasets.accounting_manual():
        if before is not None:
            if section.effective is None or section.effective >= before:
                continue
        elif not section.current:
            continue
        texts.append(f"{section.title}\n{section.body}\n")
    return texts


def apply_temperature(weights: dict[str, float], temperature: float) -> dict[str, float]:
    """Probabilities proportional to ``weight ** (1 / temperature)``; at 0, all on the largest (ties shared)."""
    if temperature < 0:
        raise ValueError("temperature must be 0 or more")
    positive = {key: float(value) for key, value in weights.items() if value > 0}
    if not positive:
        raise ValueError("no positive weight")
    if temperature == 0:
        top = max(positive.values())
        winners = [key for key, value in positive.items() if value == top]
        return {key: (1 / len(winners) if key in winners else 0.0) for key in weights}
    # work in logs so that small temperatures do not overflow
    logs = {key: math.log(value) / temperature for key, value in positive.items()}
    peak = max(logs.values())
    scaled = {key: math.exp(value - peak) for key, value in logs.items()}
    total = sum(scaled.values())
    return {key: scaled.get(key, 0.0) / total for key in weights}


def next_char_probabilities(model: NgramModel, prefix: str, temperature: float = 1.0) -> dict[str, float]:
    """Next-character probabilities after ``prefix``, most likely first (ties in first-seen order)."""
    counts = model.counts[model.context_for(prefix)]
    probabilities = apply_temperature(dict(counts), temperature)
    return dict(sorted(probabilities.items(), key=lambda item: -item[1]))


def top_candidates(model: NgramModel, prefix: str, k: int = 5, temperature: float = 1.0) -> pd.DataFrame:
    """The ``k`` most likely next characters as a table: 次の文字, 確率, 回数 (count in training)."""
    counts = model.counts[model.context_for(prefix)]
    probabilities = next_char_probabilities(model, prefix, temperature)
    rows = [{"次の文字": visible_char(char), "確率": round(p, 3), "回数": counts[char]}
            for char, p in list(probabilities.items())[:k] if p > 0]
    return pd.DataFrame(rows, columns=["次の文字", "確率", "回数"])


def generate(model: NgramModel, prefix: str, length: int = 80, temperature: float = 1.0,
             seed: int = 0, stop: str = "。\n") -> str:
    """Continue ``prefix`` by up to ``length`` characters; stop after any character in ``stop``.

    Only the continuation is returned; a line break that stops it is left out.
    Temperature 0 always takes the most likely character; otherwise characters are
    drawn with ``random.Random(seed)``. The first character is never a stop
    character, so a continuation always has text (a prefix at the end of a line
    would otherwise give nothing).
    """
    rng = random.Random(seed)
    text = prefix
    for _ in range(length):
        probabilities = next_char_probabilities(model, text, temperature)
        char = _pick(probabilities, temperature, rng)
        if char in stop and text == prefix:
            char = _pick(_first_characters(model, text, temperature, stop), temperature, rng)
        if char in stop:
            if char != "\n":
                text += char
            break
        text += char
    return text[len(prefix):]


def _pick(probabilities: dict[str, float], temperature: float, rng: random.Random) -> str:
    if temperature == 0:
        return next(iter(probabilities))
    return rng.choices(list(probabilities), weights=list(probabilities.values()))[0]


def _first_characters(model: NgramModel, prefix: str, temperature: float, stop: str) -> dict[str, float]:
    """Next-character probabilities without the stop characters, backing off to shorter contexts if only those follow."""
    context = model.context_for(prefix)
    for size in range(len(context), -1, -1):
        counts = model.counts.get(context[len(context) - size:], Counter())
        kept = {char: count for char, count in counts.items() if char not in stop}
        if kept:
            probabilities = apply_temperature(kept, temperature)
            return dict(sorted(probabilities.items(), key=lambda item: -item[1]))
    raise ValueError("training text has only stop characters")


def seen_in(texts: Iterable[str], sentence: str) -> bool:
    """Whether ``sentence`` (without surrounding spaces) occurs word for word in any of ``texts``."""
    needle = sentence.strip()
    return any(needle in text for text in texts)


def visible_char(char: str) -> str:
    """A line break or space shown as a word, so that it can be seen in a table."""
    return {"\n": "（改行）", " ": "（空白）", "\u3000": "（全角空白）"}.get(char, char)


__all__ = ["NgramModel", "apply_temperature", "generate", "manual_texts", "next_char_probabilities", "seen_in",
           "top_candidates", "train", "visible_char"]
