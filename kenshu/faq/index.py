"""Ranking a manual's sections for a question: BM25 (``bm25s``) over two channels, fused by reciprocal rank.

One indexed unit per section (its heading twice, then its text). The word channel ranks on Sudachi
content words, the bigram channel on character pairs; reciprocal-rank fusion (k = 60) adds 1/(k + rank)
from each. With ``meaning=True`` (the setting ``faq_dense``) a third channel ranks by sentence vectors
(``kenshu.faq.meaning``) and is fused the same way. Two signals say how well the manual covers the
question at all (``Coverage``): the best word score as a share of what the question's words could score,
and the share of the question's nouns that the manual never uses.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import bm25s
import numpy as np

from kenshu.engine.japanese.sentences import BULLET, split_sentences
from kenshu.faq.manual import Manual, Section
from kenshu.faq.meaning import MeaningChannel
from kenshu.faq.words import bigrams, content_words, topic_nouns

RRF_K = 60


@dataclass(frozen=True)
class Hit:
    section: Section
    score: float          # fused
    word_rank: int        # 1 = first in the word channel
    bigram_rank: int
    meaning_rank: int = 0  # 0: the meaning channel is off


@dataclass(frozen=True)
class Coverage:
    word_score: float     # best word-channel score / the question's total idf (0 … about 1)
    novelty: float        # share of the question's nouns that the manual never uses


def _unit(section: Section) -> str:
    return f"{section.title}\n{section.title}\n{section.body}"


class ManualIndex:
    def __init__(self, manual: Manual, *, meaning: bool = False) -> None:
        self.manual = manual
        units = [_unit(s) for s in manual.sections]
        self._meaning = MeaningChannel(units) if meaning else None
        word_lists = [content_words(u) for u in units]
        self._words = bm25s.BM25()
        self._words.index(word_lists, show_progress=False)
        self._bigrams = bm25s.BM25()
        self._bigrams.index([bigrams(u) for u in units], show_progress=False)
        self._frequency = Counter(w for words in word_lists for w in set(words))
        self._vocabulary = set(self._frequency)
        self._text = unicodedata.normalize("NFKC", "\n".join(units))

    @property
    def meaning(self) -> bool:
        """Whether the meaning channel is fused in."""
        return self._meaning is not None

    def _idf(self, word: str) -> float:
        return math.log((len(self.manual.sections) + 1) / (self._frequency.get(word, 0) + 0.5))

    def _scores(self, question: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        words = content_words(question)
        return (self._words.get_scores(words) if words else np.zeros(len(self.manual.sections)),
                self._bigrams.get_scores(bigrams(question)), words)

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """The ``k`` best sections, fused rank first."""
        words, pairs, _ = self._scores(question)
        word_rank = _ranks(words)
        bigram_rank = _ranks(pairs)
        fused = 1.0 / (RRF_K + word_rank) + 1.0 / (RRF_K + bigram_rank)
        meaning_rank = np.zeros(len(fused))
        if self._meaning is not None:
            meaning_rank = _ranks(self._meaning.scores(question))
            fused += 1.0 / (RRF_K + meaning_rank)
        order = np.argsort(-fused, kind="stable")[:k]
        return [Hit(self.manual.sections[i], float(fused[i]), int(word_rank[i]), int(bigram_rank[i]),
                    int(meaning_rank[i])) for i in order]

    def coverage(self, question: str) -> Coverage:
        words, _, terms = self._scores(question)
        possible = sum(self._idf(w) for w in set(terms)) or 1.0
        nouns = topic_nouns(question)
        unknown = [s for s, n in nouns if n not in self._vocabulary and s not in self._text]
        return Coverage(float(words.max()) / possible if len(words) else 0.0,
                        len(unknown) / len(nouns) if nouns else 0.0)


    def best_sentences(self, question: str, sections: list[Section], count: int = 2) -> list[tuple[Section, str]]:
        """The ``count`` sentences of ``sections`` that hold most of the question's words (idf-weighted), in order."""
        terms = set(content_words(question))
        scored = []
        for rank, section in enumerate(sections):
            for position, sentence in enumerate(_sentences(section.body)):
                weight = sum(self._idf(w) for w in terms & set(content_words(sentence)))
                if weight > 0:
                    scored.append((weight - 0.01 * rank, rank, position, section, sentence))
        best = sorted(scored, key=lambda item: -item[0])[:count]
        return [(section, sentence) for _, _, _, section, sentence in sorted(best, key=lambda item: item[1:3])]


_LEAD_IN = re.compile(r"次の(?:とおり|点|額|者|場合|もの|いずれか|各号)")


def _sentences(text: str) -> list[str]:
    """The section's sentences; one that leads into a list (「…次のとおり引き上げた。」) carries its list items."""
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines):
        for sentence in split_sentences(BULLET.sub("", line)):
            if sentence.strip():
                found.append(sentence.strip())
        if found and _LEAD_IN.search(found[-1]) and not BULLET.match(line):
            items = []
            for following in lines[number + 1:]:
                if not BULLET.match(following):
                    break
                items.append(BULLET.sub("", following).strip())
            if items:
                found[-1] = found[-1] + "\n" + "\n".join(f"・{item}" for item in items[:6])
    return found


def _ranks(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(scores), dtype=float)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return ranks
