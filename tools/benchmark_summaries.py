"""Summaries of the three meeting records against their reference summaries, and action-item recall.

    .venv/bin/python tools/benchmark_summaries.py

ROUGE-1 / ROUGE-L F1 (``rouge-score``, words cut by Sudachi, punctuation left out) of the offline
engine's summary against ``datasets/minutes/<id>.summary.md``, next to two baselines on the same
record: lead-3 (the first three sentences of the remarks, speaker labels removed) and a greedy
extractive oracle (sentences of the record added one at a time while ROUGE-1 F1 rises, up to the
reference's length). The engine is asked "…{N}字以内で要約してください" with N = the reference's
length; the mean over twelve natural phrasings is printed too.

Action items: recall of ``<id>.actions.csv`` by the engine's table, text, owner and due each one
point per reference item (text: Dice overlap of two-character pieces ≥ 0.4; owner: every
department of the reference named; due: equal ISO date, or both empty).

Targets (exit 0 when met, 1 otherwise): on every record the engine's ROUGE-1 and ROUGE-L are above
lead-3 and at least 60% of the oracle's, and action-item recall ≥ 0.8.
"""

from __future__ import annotations

import sys
from functools import cache

from rouge_score import rouge_scorer
from sudachipy import Dictionary, SplitMode

import kenshu
from kenshu.datasets import minutes
from kenshu.engine.japanese.length import reader_length
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.notes import body_of
from kenshu.engine.tasks.summarise import action_items, action_recall, match_actions, minutes_sentences, remarks
from kenshu.lessons.minutes_check import reference_items

PHRASINGS = (
    "この会議録を要約してください",
    "決定事項と宿題がわかるように3点の箇条書きで要約してください",
    "以下の会議録を300字以内でまとめてください",
    "会議の要点を教えてください",
    "この会議の概要を5行で書いてください",
    "会議録を短くしてください",
    "この会議で決まったことを箇条書きでまとめてください",
    "会議録をかいつまんで説明してください",
    "課長に報告するので、会議の要点を400字以内でまとめてください",
    "決定事項を中心に要約してください",
    "欠席した職員向けに、会議の内容を5点の箇条書きで要約してください",
    "会議録を200字以内で要約してください",
)
RECALL_TARGET, ORACLE_SHARE = 0.8, 0.6


class SudachiTokenizer:
    def __init__(self) -> None:
        self._tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)

    def tokenize(self, text: str) -> list[str]:
        return [m.surface() for m in self._tokenizer.tokenize(text) if m.part_of_speech()[0] not in ("補助記号", "空白")]


@cache
def scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(["rouge1", "rougeL"], tokenizer=SudachiTokenizer())


def rouge(reference: str, summary: str) -> tuple[float, float]:
    scores = scorer().score(reference, summary)
    return scores["rouge1"].fmeasure, scores["rougeL"].fmeasure


def reference_body(summary: str) -> str:
    return "\n".join(line for line in summary.splitlines() if line.strip() and not line.startswith("#"))


def lead3(text: str) -> str:
    sentences = [s for _, remark in remarks(text) for s in split_sentences(remark)]
    return "".join(sentences[:3])


def oracle(text: str, reference: str, budget: int) -> str:
    pool = list(dict.fromkeys(s for _, s in minutes_sentences(text)))
    chosen: list[str] = []
    best = 0.0
    while True:
        trials = [(rouge(reference, "".join([*chosen, s]))[0], s) for s in pool
                  if s not in chosen and reader_length("".join([*chosen, s])) <= budget]
        if not trials:
            break
        score, sentence = max(trials)
        if score <= best:
            break
        best, chosen = score, [*chosen, sentence]
    return "".join(sorted(chosen, key=text.index))


def main() -> int:
    ok = True
    print(f"{'record':22} {'':8} {'R-1':>6} {'R-L':>6}")
    for record in minutes():
        reference = reference_body(record.summary)
        budget = reader_length(reference)
        engine = body_of(kenshu.ask(f"この会議録を{budget}字以内で要約してください\n\n{record.text}"))
        rows = {"engine": rouge(reference, engine), "lead-3": rouge(reference, lead3(record.text)),
                "oracle": rouge(reference, oracle(record.text, reference, budget))}
        phrased = [rouge(reference, body_of(kenshu.ask(f"{p}\n\n{record.text}"))) for p in PHRASINGS]
        rows["12 asks"] = (sum(r for r, _ in phrased) / len(phrased), sum(r for _, r in phrased) / len(phrased))
        for name, (r1, rl) in rows.items():
            print(f"{record.id:22} {name:8} {r1:6.3f} {rl:6.3f}")
        recall = action_recall(match_actions(reference_items(record), action_items(record.text)))
        print(f"{record.id:22} {'actions':8} recall {recall:.3f} ({len(reference_items(record))} reference items)")
        engine_r, lead_r, oracle_r = rows["engine"], rows["lead-3"], rows["oracle"]
        met = all(engine_r[i] > lead_r[i] and engine_r[i] >= ORACLE_SHARE * oracle_r[i] for i in (0, 1))
        ok = ok and met and recall >= RECALL_TARGET
    print("targets met" if ok else "targets not met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
