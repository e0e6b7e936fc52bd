"""Lesson 13 (活用事例集): the shipped catalogue and what the lesson and its assignment say about it.

The lesson's cells are run here as they stand in the notebook (the widget cell aside), so that what its text
states (32 cases, 22 that may go to openai, the practice engine's letter frame without the memo's facts, the merge
that adds AOB-001 and keeps KS-019) is kept. The assignment's hidden answers are read from the solution notebook
and checked against the catalogue and the sending rule.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from kenshu.cases import load_catalogue, merge, shipped_folder
from kenshu.cases.catalogue import allowed_backends, problems
from kenshu.errors import KenshuError
from kenshu.lessons.case_runner import send_case

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "course" / "13_case_catalogue.ipynb"
ASSIGNMENT = ROOT / "solutions" / "lesson13" / "lesson13.ipynb"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
LETTERS = {"A": "offline", "B": "compatible", "C": "openai", "D": "azure"}   # question 3's options


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def lesson_cells() -> list[str]:
    return [cell.source for cell in nbformat.read(LESSON, as_version=4).cells if cell.cell_type == "code"]


def run_until(marker: str) -> dict:
    """Run the lesson's code cells in order (not the widget), up to and including the first that holds ``marker``."""
    namespace: dict = {}
    for source in lesson_cells():
        if "case_picker()" not in source:
            exec(compile(source, str(LESSON), "exec"), namespace)  # noqa: S102
        if marker in source:
            return namespace
    raise AssertionError(f"no lesson cell holds {marker!r}")


def lesson_markdown() -> str:
    return "\n".join(c.source for c in nbformat.read(LESSON, as_version=4).cells if c.cell_type == "markdown")


# ---------------------------------------------------------------- the counts the lesson states

def test_the_catalogue_has_the_counts_the_lesson_gives(catalogue):
    table = catalogue.frame()
    assert len(catalogue) == 32
    counts = table["分類"].value_counts().to_dict()
    assert counts == {"文書作成": 5, "表計算・ローコード": 4, "翻訳・やさしい日本語": 4, "問合せ・引継ぎ": 4,
                      "企画・アイデア": 3, "要約": 3, "会議": 3, "メール": 3, "広報": 3}
    to_openai = table[table["接続先"].str.contains("openai")]
    assert len(to_openai) == 22
    assert set(zip(to_openai["機密性"], to_openai["個人情報"], strict=True)) == {(1, "なし")}
    rest = table.drop(to_openai.index)
    assert len(rest) == 10 and set(rest["機密性"]) == {2} and (rest["個人情報"] == "あり").sum() == 6
    assert 3 not in set(table["機密性"])
    assert all(case.data["effect"]["basis"].startswith("想定（若葉市の例）") for case in catalogue)
    assert list(table[table["分類"] == "会議"]["id"]) == ["KS-012", "KS-013", "KS-014"]


def test_the_cases_the_text_describes_say_what_it_says(catalogue):
    minutes = catalogue.get("KS-012")
    assert (minutes.confidentiality, minutes.personal_data, minutes.backends) == (2, True, ["offline", "compatible"])
    assert len(minutes.checks) == 3 and minutes.data["effect"]["minutes_before"] == 90
    assert minutes.data["effect"]["minutes_after"] == 30
    assert "市の方針を決めることはAIに任せない" in catalogue.get("KS-002").data["context"]["purpose"]
    greeting = catalogue.get("KS-001")
    assert "メモにない" in greeting.data["failure_modes"][0] and "思い出話" in greeting.data["failure_modes"][0]
    inquiry = catalogue.get("KS-029")
    assert (inquiry.confidentiality, inquiry.personal_data) == (2, True) and inquiry.category == "問合せ・引継ぎ"
    assert "問合せ" in inquiry.title and "要配慮個人情報" in inquiry.data["data"]["notes"]
    faq = catalogue.get("KS-030")
    assert faq.confidentiality == 1 and "機密性2・個人情報ありとして扱い" in faq.data["data"]["notes"]
    decision = catalogue.get("KS-003")
    assert len(decision.checks) == 3 and "金額" in decision.checks[0] and "根拠" in decision.checks[1]
    scenes = {"KS-026": "窓口", "KS-027": "掲示", "KS-028": "メール"}
    for ident, scene in scenes.items():
        assert catalogue.get(ident).category == "翻訳・やさしい日本語" and scene in catalogue.get(ident).title


def test_the_reported_top_uses_each_have_a_case(catalogue):
    namespace = run_until("reported = ")
    words = ["挨拶", "会議録", "企画書", "メール", "議会答弁", "マクロ"]
    for ident, word in zip(namespace["reported"], words, strict=True):
        assert word in catalogue.get(ident).title, ident


def test_the_rule_the_lesson_prints_is_the_gates(catalogue):
    assert allowed_backends(1, True) == allowed_backends(2, False) == allowed_backends(2, True) == ["offline", "compatible"]
    assert allowed_backends(3, False) == ["offline"]
    for case in catalogue:
        assert set(case.backends) <= set(allowed_backends(case.confidentiality, case.personal_data)), case.id


# ---------------------------------------------------------------- the practice engine

def test_the_practice_engine_returns_a_letter_frame_without_the_memos_facts():
    namespace = run_until("fact in reply")
    reply = namespace["reply"]
    assert "拝啓" in reply and "敬具" in reply and "初秋の候" in reply and "さて、市長にあたり" in reply
    assert not any(fact in reply for fact in ["第30回", "42団体", "高校生"])
    assert all(fact in namespace["request"] for fact in ["第30回", "42団体", "高校生", "約900字", "9月"])


def test_most_cases_get_the_prompt_checklist_on_the_practice_engine(catalogue):
    import kenshu

    replies = [kenshu.ask(case.fill(), confidentiality=case.confidentiality) for case in catalogue]
    assert sum("チェックリストの 6 項目中" in reply for reply in replies) > len(catalogue) // 2


def test_the_widgets_send_is_the_letter_frame_and_a_wrong_backend_is_refused(catalogue):
    reply = send_case(catalogue.get("KS-001"), {})
    assert reply.startswith("市長のごあいさつ（案）") and "敬具" in reply
    with pytest.raises(KenshuError, match="送らない事例です"):
        send_case(catalogue.get("KS-012"), {}, backend="openai", ask=lambda *a, **k: "x")


# ---------------------------------------------------------------- exchange

def test_the_excel_export_has_one_row_per_case_and_eighteen_columns():
    sheet = run_until("export_xlsx(")["sheet"]
    assert sheet.shape == (32, 18)


def test_the_lessons_merge_adds_one_keeps_the_conflict_and_leaves_the_kit_alone():
    before = {p.name: p.read_bytes() for p in shipped_folder().glob("*.toml")}
    namespace = run_until("work.cleanup()")
    report = namespace["report"]
    assert report.added == ["AOB-001"] and report.identical == []
    assert report.conflicts == {"KS-019": ["prompt.placeholders", "example.input"]}
    after = namespace["after"]
    assert len(after) == 33 and after.get("KS-019").placeholders[0]["example"] == "広報わかば 2月号"
    assert after.get("AOB-001").data["provenance"]["source"] == "青葉町 総務課"
    assert not Path(namespace["work"].name).exists()
    assert {p.name: p.read_bytes() for p in shipped_folder().glob("*.toml")} == before


def test_a_case_with_openai_for_personal_data_is_stopped_with_a_message(capsys):
    run_until("load_case(draft)")
    shown = capsys.readouterr().out
    assert "openai は、機密性2で個人情報を含む情報を受け取れません" in shown


def test_a_case_with_a_single_check_fails_the_check_as_the_closing_question_says(catalogue):
    data = dict(catalogue.get("KS-019").data, checks=["語調がやさしいか読み直す"])
    assert any("確かめること（checks） には 2 個以上" in p for p in problems(data))


# ---------------------------------------------------------------- the assignment

def assignment_cells():
    return nbformat.read(ASSIGNMENT, as_version=4).cells


def by_id(grade_id: str):
    return next(c for c in assignment_cells() if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def solution(question: str) -> str:
    tree = ast.parse(SOLUTION.search(by_id(f"{question}_answer").source).group(1))
    return tree.body[0].value.value


def expected(question: str):
    tree = ast.parse(HIDDEN.search(by_id(question).source).group(1))
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "").startswith("judge_"))
    return ast.literal_eval(call.args[1])


def test_question_one_shows_real_cases_and_names_the_one_that_fits(catalogue):
    text = by_id("q1_question").source
    for ident in ["KS-021", "KS-022", "KS-023", "KS-024", "KS-025", "KS-026", "KS-027", "KS-028"]:
        assert f"| {ident} | {catalogue.get(ident).title} |" in text
    assert expected("q1a") == ["KS-028"] and solution("q1a") == "KS-028"
    mail = catalogue.get("KS-028")
    assert "個別に送るメール" in mail.data["context"]["purpose"] and "原文と訳を並べ" in mail.data["context"]["purpose"]
    assert not any("メール" in catalogue.get(i).title for i in ["KS-025", "KS-026", "KS-027"])
    assert expected("q1b") == ["KS-022"] and solution("q1b") == "KS-022"
    macro = catalogue.get("KS-022")
    assert "マクロ" in macro.title and "貼り付ける作業" in macro.data["context"]["purpose"]
    assert not any("マクロ" in catalogue.get(i).title for i in ["KS-021", "KS-023", "KS-024"])


def test_the_settings_for_the_residents_letter_follow_the_case_and_the_rule(catalogue):
    letter = catalogue.get("KS-032")   # 住民からの要望・苦情への回答文の下書き（公園緑地課）
    task = by_id("q2_question").source
    assert letter.data["context"]["department"] in task and "要望" in letter.title and "近所の人" in task
    assert (letter.confidentiality, letter.personal_data) == (2, True)
    assert expected("q2") == letter.confidentiality and solution("q2") == "2"
    chosen = [LETTERS[letter_] for letter_ in expected("q3")]
    assert chosen == allowed_backends(letter.confidentiality, letter.personal_data) == letter.backends
    assert set(solution("q3").replace("、", "")) == set(expected("q3"))
    assert expected("q4") == solution("q4") == "B"
    options = dict(re.findall(r"- \*\*([A-D])\*\* (.+)", by_id("q4_question").source))
    assert "記号に置き換え" in options["B"] and "目で確かめ" in options["B"]
    assert "そのまま貼って" in options["C"]


def test_question_five_lacks_the_checks_on_amounts_dates_and_basis():
    text = by_id("q5_question").source
    listed = re.search(r"\| 確かめること \| (.+) \|", text).group(1).split("<br>")
    listed = [item.lstrip("・") for item in listed]
    assert not any(word in item for item in listed for word in ("金額", "補助額", "期間", "要綱", "根拠"))
    assert "20万円" in text and "申請の期間" in text
    options = dict(re.findall(r"- \*\*([A-E])\*\* (.+)", text))
    assert set(expected("q5")) == {"A", "B"} and set(solution("q5").replace("、", "")) == {"A", "B"}
    assert "補助額" in options["A"] and "期間" in options["A"] and "交付要綱" in options["B"]
    assert options["C"] == listed[0] + "。" and options["E"] == listed[1] + "。"
    assert "生成AI" in options["D"]


def build_aoba(ours: Path, theirs: Path) -> None:
    """Question 6: the kit's catalogue, and six cases from 青葉町 (three new, one the same, two clashing)."""
    shipped = shipped_folder()
    ours.mkdir()
    theirs.mkdir()
    for file in shipped.glob("*.toml"):
        shutil.copy(file, ours / file.name)
    for new, source in (("AOB-001", "KS-013"), ("AOB-002", "KS-016"), ("AOB-003", "KS-017")):
        text = (shipped / f"{source}.toml").read_text(encoding="utf-8")
        (theirs / f"{new}.toml").write_text(text.replace(f'id = "{source}"', f'id = "{new}"'), encoding="utf-8")
    shutil.copy(shipped / "KS-004.toml", theirs / "KS-004.toml")
    text = (shipped / "KS-012.toml").read_text(encoding="utf-8")
    (theirs / "KS-012.toml").write_text(text.replace('title = "会議録の要約（決定事項と宿題）"', 'title = "会議録の要約（青葉町版）"'),
                                       encoding="utf-8")
    text = (shipped / "KS-019.toml").read_text(encoding="utf-8")
    (theirs / "KS-019.toml").write_text(text.replace("広報わかば", "広報あおば"), encoding="utf-8")


def test_question_six_shows_the_report_of_a_real_merge(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    build_aoba(ours, theirs)
    report = merge(theirs, ours)
    text = by_id("q6_question").source
    shown = re.search(r"```\n(.*?)\n```", text, re.S).group(1)
    assert shown == "\n".join(report.lines())
    assert len(list(theirs.glob("*.toml"))) == 6 and "6 件" in text and "32 件" in text
    assert len(load_catalogue(ours)) - 32 == len(report.added) == expected("q6a") == int(solution("q6a"))
    assert len(report.conflicts) == expected("q6b") == int(solution("q6b"))


def test_the_hints_point_at_headings_of_the_lesson():
    headings = {line[3:].strip() for line in lesson_markdown().splitlines() if line.startswith("## ")}
    for cell in assignment_cells():
        for hidden in HIDDEN.findall(cell.source):
            for section in re.findall(r"レッスン 13 の「(.+?)」", hidden):
                assert section in headings, section
