"""A length limit (「200字以内」): whole sentences while they fit, else the first one cut at a clause boundary."""

from __future__ import annotations

import re

from kenshu.engine.japanese.clauses import clause_cuts
from kenshu.engine.japanese.sentences import split_end, top_level


def is_polite_text(text: str) -> bool:
    polite = len(re.findall(r"(?:ます|です|ました|でした|ません)[。！？]", text))
    plain = len(re.findall(r"(?:である|だ|る|た|ない)[。！？]", text))
    return polite >= plain


def clip_sentence(sentence: str, limit: int, polite: bool) -> str:
    """Cut one sentence to ``limit`` characters at a clause boundary, ending it with 。."""
    fitting = [cut.left for cut in clause_cuts(sentence, polite) if len(cut.left) <= limit]
    if fitting:
        return max(fitting, key=len)
    body, _ = split_end(sentence)
    top = top_level(body)
    commas = [i for i, char in enumerate(body) if char in "、，" and top[i] and i + 1 <= limit]
    if commas:
        return body[:commas[-1]] + "。"
    cut = max(limit - 1, 1)
    while cut > 1 and body[cut - 1:cut + 1].isdigit():
        cut -= 1  # never split a number
    return body[:cut] + "。"


def fit_length(sentences: list[str], limit: int) -> list[str]:
    """Keep whole sentences, in order, while they fit in ``limit`` characters (line breaks not counted).

    When even the first sentence is too long, it is cut at a clause boundary instead.
    """
    kept: list[str] = []
    used = 0
    for sentence in sentences:
        if used + len(sentence) > limit:
            break
        kept.append(sentence)
        used += len(sentence)
    if kept or not sentences:
        return kept
    return [clip_sentence(sentences[0], limit, is_polite_text("".join(sentences)))]


def reader_length(text: str) -> int:
    """Characters as a reader counts them: every character except spaces and line breaks."""
    return len("".join(text.split()))
