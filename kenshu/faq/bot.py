"""The accounting inquiry bot: find the manual's sections for a question, answer from them with citations,
or say the manual does not cover it.

1. ``ManualIndex`` ranks the sections. When the manual hardly covers the question (``Coverage``), the bot
   answers 「手引きに定めがありません」 with the contact section, and nothing is sent.
2. Versions: a section that was replaced (状態: 廃止) is not cited for a question about now; a question about
   a date before the new version's 施行日 gets the old one; with no date, both are given with their 施行日.
3. The question and the chosen sections go through ``kenshu.ask`` (the gate and the audit log apply) with the
   instruction to answer only from them and cite ``[ACC-xx]``. A real model writes the answer, and its own
   「手引きに定めがありません」 is a refusal. The practice engine (in-process or behind ``kenshu serve``) answers
   with the sections' sentences; where it finds none, the bot shows the sections' best sentences itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kenshu.engine.tasks.answer import NOT_FOUND as ENGINE_NOT_FOUND
from kenshu.faq.dates import side_of
from kenshu.faq.index import Coverage, Hit, ManualIndex
from kenshu.faq.manual import Manual, Section, load_manual

DEFAULT_MANUAL = "accounting/manual.md"  # in the kit's datasets/
NOT_COVERED = "手引きに定めがありません。"
CONTACT_ID = "ACC-44"
SECTIONS_SENT = 3
# tuned on datasets/accounting/faq.csv (kenshu faq --evaluate): refuse below this word score, or below the
# second one when most of the question's nouns are words the manual never uses
MIN_WORD_SCORE = 0.21
NOVEL_SHARE = 0.55
MIN_WORD_SCORE_WHEN_NOVEL = 0.28
EXCERPT_NOTE = ("練習エンジンは答えの文を書けないため、質問の言葉を多く含む手引きの文を選んで示しました。"
                "答えになっているかは、節の本文で確かめてください。")
_NOTHING_FOUND = re.compile(r"手引きに定めがありません|記述が見つかりませんでした|答えられません|記載がありません")  # a model's refusal
_INSTRUCTION = (
    "次の「手引きの節」だけを根拠に、会計課の問い合わせ担当として質問に答えてください。\n"
    "答えの文ごとに、根拠の節の番号を [ACC-01] の形で付けてください。\n"
    f"手引きの節に答えがないときは、推測せずに「{NOT_COVERED}」とだけ答えてください。\n"
    "廃止された節は、その改正の施行日より前の事務について聞かれたときだけ使い、施行日を添えてください。"
)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Section, ...]   # the sections the answer cites, in its order
    refused: bool                    # 「手引きに定めがありません」
    sent: tuple[Section, ...] = ()   # the sections given to the model
    coverage: Coverage | None = None
    notes: tuple[str, ...] = field(default=())

    def cited_ids(self) -> list[str]:
        return [s.id for s in self.citations]


def configured_manual() -> Path:
    """The manual the settings name (``faq_manual``, ``KENSHU_FAQ_MANUAL``), else the kit's accounting manual."""
    from kenshu import datasets
    from kenshu.settings import path_setting, resolve

    return path_setting(resolve(), "faq_manual") or datasets.folder() / DEFAULT_MANUAL


def refuses(coverage: Coverage) -> bool:
    """Whether the manual covers the question too little to answer it."""
    if coverage.word_score < MIN_WORD_SCORE:
        return True
    return coverage.novelty >= NOVEL_SHARE and coverage.word_score < MIN_WORD_SCORE_WHEN_NOVEL


class FaqBot:
    """``FaqBot()`` answers from the kit's manual; ``FaqBot("手引き.docx")`` from a municipality's own."""

    def __init__(self, manual: Manual | str | Path | None = None, *, today: date | None = None,
                 ask: Callable[..., str] | None = None, meaning: bool | None = None) -> None:
        self.manual = manual if isinstance(manual, Manual) else load_manual(manual or configured_manual())
        # the meaning channel (kenshu[dense]) when asked for, else as the setting faq_dense says
        if meaning is None:
            from kenshu.settings import resolve

            meaning = resolve().faq_dense
        self.index = ManualIndex(self.manual, meaning=meaning)
        self.today = today
        self._ask = ask

    # -- which sections

    def versions_for(self, question: str, hits: list[Hit]) -> tuple[list[Section], list[str]]:
        """The sections to give for ``hits``, each replaced by the version in force for the question's date."""
        chosen: list[Section] = []
        notes: list[str] = []
        for hit in hits:
            family = self._family(hit.section)
            if len(family) == 1:
                chosen.append(hit.section)
                continue
            newest = family[-1]
            side = side_of(newest.effective_date, question, self.today) if newest.effective_date else "unknown"
            if side == "before":
                in_force = [s for s in family if s.effective and s.effective < newest.effective][-1:]
                chosen += in_force
                notes.append(f"質問の日付は {newest.id} の施行日（{newest.effective}）より前なので、"
                             f"そのときの {in_force[0].id} を示します。" if in_force else "")
            elif side == "after":
                chosen.append(newest)
            else:
                chosen += [newest, *reversed(family[:-1])]
                notes.append(f"{newest.id} は {newest.effective} に改正されました。契約などの日付によって"
                             f"使う基準が変わるため、改正前の {', '.join(s.id for s in family[:-1])} も示します。")
        return list(dict.fromkeys(chosen)), [n for n in dict.fromkeys(notes) if n]

    def _family(self, section: Section) -> list[Section]:
        """The section's versions, oldest first."""
        first = section
        while True:
            older = self.manual.predecessors(first)
            if not older:
                break
            first = older[0]
        family = [first]
        while (newer := self.manual.successor(family[-1])) and newer not in family:
            family.append(newer)
        return family

    # -- answering

    def prompt(self, question: str, sections: list[Section]) -> str:
        context = "\n\n".join(f"## {s.id} {s.title}（施行日 {s.effective or '不明'}・{s.status}）\n{s.body}"
                              for s in sections)
        return f"{_INSTRUCTION}\n\n質問: {question}\n\n---\n{context}"

    def refusal(self, question: str, coverage: Coverage | None, sent: tuple[Section, ...] = ()) -> Answer:
        contact = self._contact()
        text = NOT_COVERED + (f"\n担当課か、会計課の問い合わせ先（[{contact.id}]）に確認してください。" if contact else "")
        return Answer(question, text, (contact,) if contact else (), True, sent, coverage)

    def _contact(self) -> Section | None:
        return next((s for s in self.manual.sections if s.id == CONTACT_ID), None)

    def answer(self, question: str, *, confidentiality: int = 1, **options: object) -> Answer:
        """Answer ``question`` from the manual; raises ``KenshuError`` (Japanese) when the backend fails."""
        question = question.strip()
        coverage = self.index.coverage(question)
        if not question or refuses(coverage):
            return self.refusal(question, coverage)
        sections, notes = self.versions_for(question, self.index.search(question, SECTIONS_SENT))
        send = self._ask
        if send is None:
            import kenshu

            send = kenshu.ask
        reply = send(self.prompt(question, sections), confidentiality=confidentiality, **options)
        if reply.strip().startswith(ENGINE_NOT_FOUND):
            # the practice engine (here or behind `kenshu serve`) only matches characters: show the sections'
            # best sentences instead of its 「見つかりませんでした」
            excerpts = self.index.best_sentences(question, sections)
            reply = "\n".join(f"{_sentence(text)}[{section.id}]" for section, text in excerpts)
            notes.append(EXCERPT_NOTE)
        elif _NOTHING_FOUND.search(reply) and not self._cited(reply):
            return self.refusal(question, coverage, tuple(sections))  # a real model's own check
        cited = self._cited(reply) or sections[:1]
        return Answer(question, reply.strip(), tuple(cited), False, tuple(sections), coverage, tuple(notes))

    def _cited(self, reply: str) -> list[Section]:
        """The sections the reply cites (「[ACC-12]」「（出典: ACC-12、ACC-39）」), else every ID it mentions."""
        ids = {s.id: s for s in self.manual.sections}
        pattern = r"[A-Z]{2,6}-\d{1,3}[a-z]?"
        marked = re.findall(rf"\[({pattern})\]", reply) + [
            i for sources in re.findall(r"出典[:：]\s*([^）)\n]+)", reply) for i in re.findall(pattern, sources)]
        found = marked or re.findall(pattern, reply)  # IDs inside a cited sentence are cross-references
        return [ids[i] for i in dict.fromkeys(found) if i in ids]


def _sentence(text: str) -> str:
    return text if text.endswith(("。", "．", ".", "）", ")")) or "\n" in text else f"{text}。"
