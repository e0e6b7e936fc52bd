"""How well the bot finds sections and knows when to refuse, on a CSV of questions with known answers.

The CSV has the columns of ``datasets/accounting/faq.csv``: ``question``, ``section_ids`` (``;``-separated,
empty when the manual has no answer) and ``answerable`` (true/false). Only retrieval and the refusal rule are
measured (no model is asked), so the figures are the same on every backend.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kenshu.errors import ManualError
from kenshu.faq.bot import SECTIONS_SENT, FaqBot, refuses


@dataclass(frozen=True)
class Evaluation:
    answerable: int
    unanswerable: int
    hit1: float
    hit3: float
    refusal_recall: float      # unanswerable questions refused
    refusal_precision: float   # refusals that were right
    wrongly_refused: float     # answerable questions refused
    query_p50_ms: float

    def lines(self) -> list[str]:
        return [f"答えのある質問 {self.answerable} 問: hit@1 {self.hit1:.3f}、hit@3 {self.hit3:.3f}"
                "（正しい節が1番目・3番目までに入った割合）",
                f"手引きに定めのない質問 {self.unanswerable} 問: 断った割合（再現率） {self.refusal_recall:.3f}、"
                f"断った答えのうち正しかった割合（適合率） {self.refusal_precision:.3f}",
                f"答えのある質問を誤って断った割合 {self.wrongly_refused:.3f}",
                f"1問あたりの検索時間（中央値） {self.query_p50_ms:.2f} ms"]


def read_questions(path: str | Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype={"section_ids": "string"}, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise ManualError(f"質問のファイル {path} を読めませんでした（{exc}）。",
                          todo="UTF-8 の CSV で、question・section_ids・answerable の列があるか確かめてください。") from exc
    missing = {"question", "section_ids", "answerable"} - set(frame.columns)
    if missing:
        raise ManualError(f"質問のファイル {path} に列 {', '.join(sorted(missing))} がありません。",
                          todo="1行目を question,section_ids,answerable のように列名にしてください。")
    frame["answerable"] = frame["answerable"].astype(str).str.strip().str.lower().isin(["true", "1", "yes", "はい"])
    return frame


def evaluate(bot: FaqBot, questions: pd.DataFrame) -> Evaluation:
    hits1 = hits3 = 0
    refused_right = refused_wrong = 0
    times = []
    for question, ids, answerable in zip(questions["question"], questions["section_ids"], questions["answerable"],
                                         strict=True):
        start = time.perf_counter()
        refused = refuses(bot.index.coverage(question))
        sections, _ = bot.versions_for(question, bot.index.search(question, SECTIONS_SENT))
        times.append((time.perf_counter() - start) * 1000)
        if answerable:
            gold = {i.strip() for i in str(ids).split(";") if i.strip()}
            found = [s.id for s in sections[:3]]
            hits1 += bool(found) and found[0] in gold
            hits3 += bool(gold & set(found))
            refused_wrong += refused
        else:
            refused_right += refused
    answerable_count = int(questions["answerable"].sum())
    unanswerable_count = len(questions) - answerable_count
    refusals = refused_right + refused_wrong
    return Evaluation(answerable_count, unanswerable_count,
                      hits1 / answerable_count if answerable_count else 0.0,
                      hits3 / answerable_count if answerable_count else 0.0,
                      refused_right / unanswerable_count if unanswerable_count else 0.0,
                      refused_right / refusals if refusals else 0.0,
                      refused_wrong / answerable_count if answerable_count else 0.0,
                      statistics.median(times) if times else 0.0)
