"""Text basics for the engine: normalising spaces and widths, character n-grams and their similarity.

Sentences are split by ``kenshu.engine.japanese.sentences``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# characters that carry little meaning on their own in Japanese n-grams
_WEAK = set("のにはをがとでもへやかなたしてるいうれ、。・「」『』（）()　 ,.:：;；\n\t")


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to half-width) and tidy spaces."""
    return re.sub(r"[ \t\u3000]+", " ", unicodedata.normalize("NFKC", text)).strip()


def tidy_spaces(text: str) -> str:
    """Collapse runs of spaces and drop the spaces between Japanese characters (内容は変えない)."""
    text = re.sub(r"[ \t\u3000]+", " ", text)
    japanese = r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
    text = re.sub(rf"(?<={japanese}) (?={japanese})", "", text)
    return "\n".join(line.strip() for line in text.splitlines())


def ngrams(text: str, sizes: Iterable[int] = (2, 3)) -> Counter[str]:
    """Character n-grams of a normalised text, skipping n-grams made only of weak characters."""
    text = normalise(text).lower()
    grams: Counter[str] = Counter()
    for size in sizes:
        grams.update(text[start:start + size] for start in range(len(text) - size + 1))
    for gram in [g for g in grams if " " in g or _WEAK.issuperset(g)]:
        del grams[gram]
    return grams


def norm(vector: Counter[str]) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def cosine(a: Counter[str], b: Counter[str], *, norm_b: float | None = None) -> float:
    """Cosine similarity; pass ``norm_b`` when comparing many texts with the same ``b``."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(count * large[gram] for gram, count in small.items() if gram in large)
    denominator = norm(a) * (norm(b) if norm_b is None else norm_b)
    return dot / denominator if denominator else 0.0


def coverage(query: Counter[str], text: Counter[str]) -> float:
    """Share of the query's n-grams that the text contains (how well it answers the query)."""
    total = sum(query.values())
    return sum(count for gram, count in query.items() if gram in text) / total if total else 0.0
