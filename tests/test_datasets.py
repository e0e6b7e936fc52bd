"""The fictional city's datasets: every file loads, schemas and counts hold, ids resolve, no personal data."""

import re

import pandas as pd
import pytest

from kenshu import datasets
from kenshu.safety import find_pii


def test_accounting_manual_has_forty_sections_with_unique_stable_ids():
    sections = datasets.accounting_manual()
    ids = [s.id for s in sections]
    assert len(sections) >= 40
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"ACC-\d{2}[a-z]?", i) for i in ids)
    assert all(s.body and s.category for s in sections)


def test_the_revision_keeps_the_superseded_rule_beside_the_amended_one():
    sections = {s.id: s for s in datasets.accounting_manual()}
    amended = [s for s in sections.values() if re.fullmatch(r"ACC-\d{2}[a-z]", s.id)]
    assert amended, "no amended section (ACC-NNa)"
    for section in amended:
        old = sections[section.id[:-1]]
        assert section.current and section.effective
        assert not old.current and section.id in old.status


def test_faq_has_a_hundred_questions_whose_citations_all_resolve():
    faq = datasets.accounting_faq()
    known = {s.id for s in datasets.accounting_manual()}
    assert len(faq) >= 100 and faq["id"].is_unique
    cited = {i for ids in faq["section_ids"] for i in ids}
    assert cited <= known, cited - known
    unanswerable = faq[~faq["answerable"]]
    assert len(unanswerable) >= 10
    assert all(not ids for ids in unanswerable["section_ids"])
    assert all(ids for ids in faq[faq["answerable"]]["section_ids"])


def test_inquiries_peak_around_the_april_rotations():
    frame = datasets.inquiries()
    known = {s.id for s in datasets.accounting_manual()}
    assert len(frame) >= 300 and frame["id"].is_unique
    assert set(frame["resolved_section"].dropna()) <= known
    april_may = frame["date"].dt.month.isin([4, 5]).mean()
    assert april_may >= 0.25
    by_month = frame["date"].dt.month.value_counts()
    assert by_month.idxmax() == 4
    assert set(frame["category"]) <= set(datasets.accounting_faq()["category"])


def test_public_comments_carry_gold_topic_and_stance():
    frame = datasets.public_comments()
    assert len(frame) >= 200 and frame["id"].is_unique
    assert frame["topic"].notna().all() and frame["stance"].notna().all()
    lengths = frame["text"].str.len()
    assert lengths.min() < 40 and lengths.max() > 500


def test_minutes_have_reference_summaries_and_action_lists():
    records = datasets.minutes()
    assert len(records) >= 3
    for record in records:
        assert len(record.text) >= 5000
        assert 200 <= len(record.summary) <= 800
        assert len(record.actions) >= 5
        assert set(record.actions["kind"]) <= {"決定事項", "宿題"}


def test_notices_and_translation_scenes():
    tasks = datasets.drafting_tasks()
    assert len(tasks) >= 20 and tasks["id"].is_unique
    for scene in datasets.SCENES:
        assert "場面ごとの注意" in datasets.translation_scene(scene)
    with pytest.raises(datasets.DatasetError):
        datasets.translation_scene("novel")


def test_handover_decisions_contradict_each_other_in_recorded_pairs():
    frame = datasets.handover_decisions()
    assert len(frame) >= 20 and frame["id"].is_unique
    ids = set(frame["id"])
    pairs = {(row.id, other) for row in frame.itertuples() for other in row.conflicts_with}
    assert len(pairs) >= 4
    assert all(other in ids and (other, ident) in pairs for ident, other in pairs)
    assert datasets.handover_notes() and datasets.handover_guidelines()


def test_every_adoption_figure_names_its_source():
    for frame in (datasets.adoption_figures(), datasets.adoption_cases()):
        assert frame["source"].notna().all() and (frame["source"].str.len() > 0).all()
        assert frame["status"].notna().all()


def _texts():
    """Every free text in the datasets outside datasets/pii/, with where it came from."""
    yield "manual", "\n".join(s.body for s in datasets.accounting_manual())
    for name, frame, columns in [("faq", datasets.accounting_faq(), ["question", "answer"]),
                                 ("inquiries", datasets.inquiries(), ["text"]),
                                 ("public_comments", datasets.public_comments(), ["text"]),
                                 ("drafting_tasks", datasets.drafting_tasks(), ["facts"])]:
        for column in columns:
            yield name, "\n".join(frame[column].dropna())
    for record in datasets.minutes():
        yield f"minutes/{record.id}", record.text + "\n" + record.summary
    for scene in datasets.SCENES:
        yield f"scene_{scene}", datasets.translation_scene(scene)
    yield "handover", datasets.handover_notes() + "\n" + datasets.handover_guidelines()


def test_no_personal_data_outside_the_pii_set_except_declared_fictional_values():
    declared = pd.read_csv(datasets.folder() / "fictional_values.csv", dtype=str)
    allowed = set(zip(declared["kind"], declared["value"], strict=True))
    found = [(where, span.kind, span.text) for where, text in _texts() for span in find_pii(text)
             if (span.kind, span.text) not in allowed and (span.kind, span.text.replace("　", " ")) not in allowed]
    assert not found, found[:20]


def test_a_missing_file_is_a_japanese_message(monkeypatch, tmp_path):
    monkeypatch.setenv("KENSHU_DATASETS", str(tmp_path))
    with pytest.raises(datasets.DatasetError, match="見つかりません"):
        datasets.inquiries()


def test_a_broken_csv_is_a_japanese_message(monkeypatch, tmp_path):
    (tmp_path / "inquiries.csv").write_bytes(b"id,date\n1,\"2025-04-01\n\xff\xfe")
    monkeypatch.setenv("KENSHU_DATASETS", str(tmp_path))
    with pytest.raises(datasets.DatasetError, match="形式が正しくありません"):
        datasets.inquiries()
