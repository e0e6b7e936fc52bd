"""Lesson 10 (引継ぎと審査基準): the hand-over data and what the lesson and its assignment say about it.

The lesson's pandas cells are run here as they stand in the notebook, so that the counts its text gives
(8 contradicting pairs, D10 the only refusal under the limit, 7 pairs when 「消印」 becomes 「郵便」) are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kenshu import datasets
from kenshu.safety import mask

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "course" / "10_handover_and_review_criteria.ipynb"
ASSIGNMENT = ROOT / "solutions" / "lesson10" / "lesson10.ipynb"

PAIRS = {("D03", "D18"), ("D05", "D12"), ("D05", "D26"), ("D06", "D20"),
         ("D08", "D15"), ("D10", "D21"), ("D10", "D25"), ("D16", "D23")}


def marked_pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return {tuple(sorted((row.id, other))) for row in frame.itertuples() for other in row.conflicts_with}


def lesson_cells() -> list[str]:
    return [cell.source for cell in nbformat.read(LESSON, as_version=4).cells if cell.cell_type == "code"]


def run_until(marker: str, replace: tuple[str, str] | None = None) -> dict:
    """Run the lesson's code cells in order, up to and including the first that holds ``marker``."""
    namespace: dict = {}
    for source in lesson_cells():
        if replace and "situations = {" in source:
            source = source.replace(*replace)
        exec(compile(source, str(LESSON), "exec"), namespace)  # noqa: S102
        if marker in source:
            return namespace
    raise AssertionError(f"no lesson cell holds {marker!r}")


# ---------------------------------------------------------------- the data

def test_the_decisions_hold_exactly_eight_contradicting_pairs_marked_on_both_sides():
    frame = datasets.handover_decisions()
    assert len(frame) == 28 and frame["id"].is_unique
    assert marked_pairs(frame) == PAIRS
    pairs = {(row.id, other) for row in frame.itertuples() for other in row.conflicts_with}
    assert all((other, ident) in pairs for ident, other in pairs)
    for first, second in PAIRS:
        decided = frame.set_index("id").loc[[first, second], "decision"]
        assert decided.nunique() == 2, (first, second)


def test_the_guidelines_give_no_grace_days_and_a_fourteen_day_correction():
    text = datasets.handover_guidelines()
    article6 = text[text.index("## 第6条"):text.index("## 第7条")]
    assert "市に到達しなかった" in article6 and "やむを得ない事情" in article6
    assert re.findall(r"(?<![月\d])\d+\s*日", article6) == []   # only dates (6月1日, 11月30日), no number of days
    assert "14日以内" in text[text.index("## 第8条"):]
    notes = datasets.handover_notes()
    assert "3日くらいまで" in notes and notes.count("\n### (") == 6


# ---------------------------------------------------------------- the lesson's pandas cells

def test_the_lesson_finds_the_eight_marked_pairs_with_pandas():
    namespace = run_until("marked = ")
    found = namespace["found"]
    assert len(found) == 8 and namespace["marked"] == PAIRS
    assert set(zip(found["決定1"], found["決定2"], strict=True)) == PAIRS
    assert found["状況"].nunique() == 6


def test_the_written_limit_shows_d10_as_the_only_refusal_at_or_under_it():
    decisions = run_until("about_income = ")["decisions"]
    about_income = decisions[decisions["reason"].str.contains("限度額")]
    assert list(about_income["id"]) == ["D04", "D10", "D17", "D21", "D25"]
    under_but_refused = about_income[about_income["限度額以下"] & (about_income["decision"] == "不交付")]
    assert list(under_but_refused["id"]) == ["D10"]


def test_the_counts_by_reviewer_are_those_the_text_gives():
    frame = datasets.handover_decisions()
    counts = pd.crosstab(frame["reviewer"], frame["decision"])
    assert counts.loc["佐倉"].to_dict() == {"不交付": 2, "交付": 7, "減額交付": 0}
    assert counts.loc["大西"].to_dict() == {"不交付": 3, "交付": 6, "減額交付": 0}
    assert counts.loc["木下"].to_dict() == {"不交付": 5, "交付": 4, "減額交付": 1}


def test_trying_the_word_yuubin_drops_d12_and_leaves_seven_pairs():
    namespace = run_until("marked = ", replace=('"消印"', '"郵便"'))
    found = namespace["found"]
    assert len(found) == 7
    assert ("D05", "D12") not in set(zip(found["決定1"], found["決定2"], strict=True))


def test_the_names_masked_before_sending_are_the_seven_the_text_counts():
    notes = datasets.handover_notes()
    masked = mask(notes[notes.index("### (1)"):notes.index("## 3.")])
    assert [span.text for span in masked.spans].count("木下") == 4
    assert [span.text for span in masked.spans].count("大西") == 3
    assert len(masked.spans) == 7 and "佐倉" not in masked.text
    assert "木下" not in masked.text and "大西" not in masked.text


def test_the_practice_engine_only_picks_one_sentence_per_practice():
    import kenshu

    request = run_until("print(kenshu.ask(request")["request"]
    answer = kenshu.ask(request, confidentiality=1)
    rows = [line for line in answer.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == 6
    assert all(line.endswith("| （記載なし） | （記載なし） |") for line in rows)
    for row, reference in zip(rows, ["D26", "D18", "D20", "D15", "D10", "同意書"], strict=True):
        assert reference in row


def test_the_bot_over_the_checklist_cites_its_items_and_refuses_what_it_lacks():
    from kenshu.faq import FaqBot

    path = run_until('path.write_text(')["path"]
    bot = FaqBot(path)
    assert [s.id for s in bot.manual.sections] == [f"HO-0{n}" for n in range(1, 7)]
    expected = {
        "12月2日に届いた申請は受け付けてよいですか": ["HO-02"],
        "通帳の写しがないときはどうしますか": ["HO-03"],
        "再転入した人の居住期間は通算しますか": ["HO-05"],
    }
    for question, cited in expected.items():
        answer = bot.answer(question)
        assert not answer.refused and answer.cited_ids() == cited, (question, answer.text)
    assert bot.answer("児童手当の振込日はいつですか").refused


# ---------------------------------------------------------------- the assignment's material

def _assignment_markdown(grade_id: str) -> str:
    cells = nbformat.read(ASSIGNMENT, as_version=4).cells
    return next(c.source for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_question_one_shows_real_decisions_with_one_contradicting_pair_among_them():
    frame = datasets.handover_decisions().set_index("id")
    rows = [line.split("|")[1:-1] for line in _assignment_markdown("q1_question").splitlines()
            if re.match(r"\| D\d\d ", line)]
    shown = [cell.strip() for cell in next(zip(*rows, strict=True))]
    assert shown == ["D03", "D05", "D14", "D18", "D22", "D28"]
    for ident, reviewer, applicant, complete, late, decision, reason in ([c.strip() for c in r] for r in rows):
        row = frame.loc[ident]
        assert (row.reviewer, row.applicant_type, row.documents_complete, f"{row.late_days}日", row.decision) == \
               (reviewer, applicant, complete, late, decision)
        assert row.reason.startswith(reason)
    among = {pair for pair in PAIRS if set(pair) <= set(shown)}
    assert among == {("D03", "D18")}


@pytest.mark.parametrize("practice", ["(4) 再転入の人の居住期間"])
def test_question_three_leaves_out_a_practice_of_the_note(practice):
    assert practice in datasets.handover_notes()
    draft = _assignment_markdown("q3_question")
    assert "再転入" not in draft.split("引継書の「2」に書かれた慣行のうち")[0]
