"""やさしい日本語: glossary words, です・ます endings, short sentences, one per line.

Follows 出入国在留管理庁・文化庁「在留支援のためのやさしい日本語ガイドライン」(2020): one idea per
sentence, short sentences, no honorific/humble forms, no double negatives, hard words replaced or glossed.

Sentences over about 40 characters are split at clause boundaries (〜ますが、→〜ます。でも、 /
〜ので、→〜。ですから、 / 〜するため、→〜します。そのため、 / 〜ており、→〜ています。 / 〜であり、→〜です。);
hard words are replaced from the glossary (``kenshu.engine.japanese.glossary``); endings become
です・ます. Numbers, dates and amounts are not touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from kenshu.engine.japanese.clauses import clause_cuts
from kenshu.engine.japanese.glossary import simplify_words
from kenshu.engine.japanese.sentences import split_end, split_sentences
from kenshu.engine.japanese.style import convert_clauses, polite_ending
from kenshu.engine.text import tidy_spaces

PLAIN_SENTENCE_LENGTH = 40
_MIN_PIECE = 8


def split_long(sentence: str, limit: int = PLAIN_SENTENCE_LENGTH) -> list[str]:
    """Split a long sentence at the clause boundary nearest its middle, again until each part fits."""
    if len(sentence) <= limit:
        return [sentence]
    middle = len(sentence) / 2
    candidates = [cut for cut in clause_cuts(sentence)
                  if len(cut.left) >= _MIN_PIECE and len(cut.right) >= _MIN_PIECE]
    if not candidates:
        return [sentence]
    best = min(candidates, key=lambda cut: abs(len(cut.left) - middle))
    return split_long(best.left, limit) + split_long(best.right, limit)


@dataclass
class PlainResult:
    text: str
    replaced: list[str]
    unchanged: list[str]


def plain_japanese(text: str, sentence_limit: int = PLAIN_SENTENCE_LENGTH) -> PlainResult:
    """やさしい日本語: glossary words, です・ます endings, short sentences, one per line."""
    replaced: list[str] = []
    explained: set[str] = set()
    unchanged: list[str] = []
    lines: list[str] = []
    for sentence in split_sentences(tidy_spaces(text)):
        simple = simplify_words(sentence, replaced, explained)
        body, end = split_end(simple)
        polite = polite_ending(convert_clauses(body, polite_ending, True))
        if polite is None:
            unchanged.append(sentence)
            polite = body
        lines.extend(split_long(polite + end, sentence_limit))
    return PlainResult("\n".join(lines), replaced, unchanged)

