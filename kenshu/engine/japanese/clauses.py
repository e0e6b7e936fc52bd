"""Clause boundaries where one sentence can become two whole sentences (〜ますが、→〜ます。でも、).

Used to shorten sentences for やさしい日本語 and to cut a sentence that does not fit a length limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kenshu.engine.japanese.sentences import split_end, top_level
from kenshu.engine.japanese.style import polite_ending

# (pattern, what the left clause gets, how the next sentence starts)
_BOUNDARIES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"(?:けれども|けれど|が)、"), "", "でも、"),
    (re.compile(r"(?:ので|から)、"), "", "ですから、"),
    (re.compile(r"ため、"), "", "そのため、"),
    (re.compile(r"(?<=[てで])おり、"), "いる", ""),
    (re.compile(r"(?<=[でが])あり、"), "ある", ""),
    # 〜書いてから、出してください → 〜書いてください。それから、出してください (requests only)
    (re.compile(r"(?<=[てで])から、"), "ください", "それから、"),
)
# a が、 after these opens a polite request; splitting there would read oddly
_PREFACES = ("おかけします", "恐れ入ります", "お手数です", "恐縮です", "申し訳ありません", "失礼します",
             "存じます", "残念です")
_CLAUSE_ENDS = ("ます", "ました", "ません", "です", "でした", "でしょう", "ください")
_PLAIN_ENDS = ("る", "た", "だ", "ない", "う")


@dataclass(frozen=True)
class ClauseCut:
    left: str  # the first sentence, ended with 。
    right: str  # the rest, starting with its connector


def clause_cuts(sentence: str, polite: bool = True) -> Iterator[ClauseCut]:
    """Every clause boundary where ``sentence`` can become two whole sentences."""
    body, end = split_end(sentence)
    top = top_level(body)
    for pattern, suffix, connector in _BOUNDARIES:
        for match in pattern.finditer(body):
            if not top[match.start()]:
                continue
            if suffix == "ください" and not (polite and body.endswith("ください")):
                continue
            left = body[:match.start()] + suffix
            if connector == "ですから、" and left.endswith("な"):
                left = left[:-1] + "だ"  # 必要なので → 必要だ → 必要です
            converted = polite_ending(left) if polite else left
            if not converted or not converted.endswith(_CLAUSE_ENDS if polite else _CLAUSE_ENDS + _PLAIN_ENDS):
                continue  # not a whole clause (9時から、 / 本市が、)
            if connector == "でも、" and converted.endswith(_PREFACES):
                continue
            rest = body[match.end():] + (end or "。")
            yield ClauseCut(converted + "。", (connector if polite else "") + rest)

