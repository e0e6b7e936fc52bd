"""Sentences: the engine's one sentence splitter, and what lies inside quotes and brackets.

A sentence ends after 。！？!? (a run such as ！？ stays together) and at a line break, never inside
a pair of 「」『』（）()【】［］[]〈〉《》“”.  A bullet or numbering prefix (・, 1., (1), ①) stays
with its sentence.  Surrounding spaces are stripped; empty pieces are dropped.
"""

from __future__ import annotations

import re

OPENERS, CLOSERS = "「『（(【［[〈《“", "」』）)】］]〉》”"
SENTENCE_ENDS = "。！？!?"
# a list item's bullet or number at the start of a line or sentence: ・ - * ● 1. 2) （3）
BULLET = re.compile(r"^\s*(?:[・●○◆■\-*]|\d+[.)．、）]|[（(]\d+[)）])\s*")


def top_level(text: str) -> list[bool]:
    """For each character, whether it is outside every pair of quotes or brackets.

    The brackets themselves count as inside.  An opener that is never closed, or a closer that was
    never opened, encloses nothing.
    """
    flags = [True] * len(text)
    open_at: list[int] = []
    for index, char in enumerate(text):
        if char in OPENERS:
            open_at.append(index)
        elif char in CLOSERS and open_at:
            start = open_at.pop()
            flags[start:index + 1] = [False] * (index + 1 - start)
    return flags


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with its 。！？, in order (see the module's rules)."""
    found: list[str] = []
    for line in text.splitlines():
        top = top_level(line)
        start = 0
        for index, char in enumerate(line):
            followed_by_end = index + 1 < len(line) and line[index + 1] in SENTENCE_ENDS
            if char in SENTENCE_ENDS and top[index] and not followed_by_end:
                found.append(line[start:index + 1])
                start = index + 1
        found.append(line[start:])
    return [sentence.strip() for sentence in found if sentence.strip()]


def split_end(sentence: str) -> tuple[str, str]:
    """(body, end): the end is the final 。！？ and the spaces after it."""
    body = sentence.rstrip(SENTENCE_ENDS + " 　")
    return body, sentence[len(body):]
