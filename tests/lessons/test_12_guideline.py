"""Lesson 12 (自団体の利用ガイドライン): what the lesson and its assignment say about the kit's guideline.

The lesson states facts about the default guideline (nine articles, four services in 第3条, which clause
answers which situation, which choices change the 送信ルール). The assignment's hidden answers are read from
its notebook and checked against ``articles(DEFAULT_CHOICES)`` and the gate, so a change in the guideline
that would make an answer wrong breaks a test here.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import fields, replace
from pathlib import Path

import nbformat
import pytest
from docx import Document

from kenshu.gate import decide, load_policy
from kenshu.gate.decide import ALLOWED, BLOCKED, MASKED
from kenshu.guideline import DEFAULT_CHOICES, Choices, articles, policy_from, policy_toml, write_docx
from kenshu.guideline.choices import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "course" / "12_own_guideline.ipynb"
ASSIGNMENT = ROOT / "solutions" / "lesson12" / "lesson12.ipynb"

HEADINGS = ["目的", "定義", "利用できるサービス", "入力してはならない情報", "利用者の責務", "承認", "記録", "研修", "見直し",
            "附則"]
NO_CLOUD = Choices(services=("compatible",))
# one changed value per choice, as the lesson's table 「選択を変えると、何が変わるか」 lists them
CHANGED = {
    "municipality": "青葉町",
    "services": ("compatible",),
    "gateway_max_confidentiality": 1,
    "gateway_personal_data": "block",
    "approver": "総務部長",
    "logging": False,
    "log_retention_years": 5,
    "training_required": False,
    "review_months": 6,
}
# the assignment's question 5: letter -> choice
Q5_LETTERS = {"A": "municipality", "B": "services", "C": "gateway_max_confidentiality", "D": "gateway_personal_data",
              "E": "approver", "F": "log_retention_years", "G": "review_months"}
# the assignment's question 7 and 8, as texts the gate can judge: letter -> (機密性, text)
Q7_TEXTS = {
    "A": (2, "課内で検討中の来年度の事業案を、3行に要約してください。"),
    "B": (1, "若葉市民まつりのお知らせを、やさしい日本語に直してください。"),
    "C": (1, "表彰された 青木 花子 さんの記事を、広報紙向けに整えてください。"),
}
PASSWORD_TEXT = "研修用 PC のパスワードの決め方を相談します。いまのパスワードは Wakaba2026! です。"
NAMED_RECORD = "問い合わせの記録: 佐藤一郎様から、ごみの収集日について電話がありました。要点を整理してください。"


def article(number: int, choices: Choices = DEFAULT_CHOICES):
    return next(a for a in articles(choices) if a.number == number)


def text_of(item) -> str:
    parts = [*item.paragraphs, *(i for group in item.items.values() for i in group), *(c for row in item.table for c in row)]
    return "\n".join(parts)


def holding(word: str, choices: Choices = DEFAULT_CHOICES) -> list[int]:
    return [a.number for a in articles(choices) if word in text_of(a)]


def changed_articles(choices: Choices) -> set[int]:
    return {a.number for a, b in zip(articles(DEFAULT_CHOICES), articles(choices), strict=True) if a != b}


# ---------------------------------------------------------------- the assignment's answers

def _cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def hidden_expectations() -> dict[str, object]:
    """grade_id -> the expected value each hidden judge_* call is given."""
    found = {}
    for cell in _cells(ASSIGNMENT):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S)
        if not hidden:
            continue
        for node in ast.walk(ast.parse(hidden.group(1))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("judge_"):
                found[grade_id] = ast.literal_eval(node.args[1])
    return found


def hidden_hints() -> list[str]:
    hints = []
    for cell in _cells(ASSIGNMENT):
        hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S)
        if hidden:
            hints += [ast.literal_eval(k.value) for node in ast.walk(ast.parse(hidden.group(1)))
                      if isinstance(node, ast.Call) for k in node.keywords if k.arg == "hint"]
    return hints


def solutions() -> dict[str, str]:
    return dict(re.findall(r'### BEGIN SOLUTION\nanswer_(q\d+) = "(.*)"\n### END SOLUTION',
                           "\n".join(c.source for c in _cells(ASSIGNMENT) if c.cell_type == "code")))


def letters(text: str) -> set[str]:
    return set(re.findall(r"[A-Z]", text))


def test_the_solutions_are_what_the_hidden_tests_expect():
    expected = hidden_expectations()
    given = solutions()
    assert set(expected) == set(given) == {f"q{n}" for n in range(1, 9)}
    for grade_id, value in expected.items():
        if isinstance(value, int):
            assert float(given[grade_id]) == value, grade_id
        else:
            assert letters(given[grade_id]) == set(value), grade_id


@pytest.mark.parametrize(("grade_id", "heading", "words", "unique"), [
    ("q1", "利用者の責務", ["事実", "数値", "日付", "自ら確かめる"], "数値"),
    ("q2", "承認", ["第3条の表に掲げるもの以外の生成AI", "情報政策課長の承認", "4つの観点"], "4つの観点"),
    ("q3", "記録", ["利用記録は1年間保存"], "年間保存"),
    ("q4", "見直し", ["国のガイドライン", "速やかに見直す"], "国のガイドライン"),
])
def test_each_clause_answer_names_the_article_about_its_situation(grade_id, heading, words, unique):
    number = hidden_expectations()[grade_id]
    named = article(number)
    assert named.heading == heading
    assert all(word in text_of(named) for word in words), grade_id
    assert holding(unique) == [number], unique  # no other article answers the situation


def test_question_three_has_the_distractor_the_lesson_shows_with_find():
    assert holding("保存") == [5, 7]
    assert "保存期間" in text_of(article(5)) and "利用規約" in text_of(article(5))


def test_question_five_letters_are_exactly_the_choices_that_change_the_enforced_rules():
    default = policy_from(DEFAULT_CHOICES).rules
    changing = {letter for letter, name in Q5_LETTERS.items()
                if policy_from(replace(DEFAULT_CHOICES, **{name: CHANGED[name]})).rules != default}
    assert changing == set(hidden_expectations()["q5"]) == {"B", "C", "D"}


def test_question_six_unchecking_openai_keeps_its_table_with_allowed_false():
    choices = Choices(services=("compatible", "azure"))
    data = tomllib.loads(policy_toml(choices))
    assert data["openai"] == {"allowed": False, "max_confidentiality": 1, "personal_data": "block"}
    assert "allowed" not in data["azure"] and "allowed" not in data["compatible"]
    policy = policy_from(choices)
    assert not policy.rules["openai"].allowed and policy.inherited == ()
    assert decide(policy, "openai", 1, [Q7_TEXTS["B"][1]]).action == BLOCKED
    assert hidden_expectations()["q6"] == "C"


def test_question_seven_only_the_public_notice_may_go_to_openai_as_it_is():
    policy = policy_from(DEFAULT_CHOICES)
    actions = {letter: decide(policy, "openai", level, [text]).action for letter, (level, text) in Q7_TEXTS.items()}
    assert actions == {"A": BLOCKED, "B": ALLOWED, "C": BLOCKED}
    # D: the guideline forbids passwords everywhere, though the gate cannot see one (as the lesson says)
    assert any("パスワード" in item for item in article(4).items[0])
    assert decide(policy, "openai", 1, [PASSWORD_TEXT]).action == ALLOWED
    assert set(hidden_expectations()["q7"]) == {"B"}


def test_question_eight_a_named_record_goes_to_the_gateway_masked_and_nowhere_outside():
    policy = policy_from(DEFAULT_CHOICES)
    assert decide(policy, "compatible", 2, [NAMED_RECORD]).action == MASKED
    assert decide(policy, "openai", 2, [NAMED_RECORD]).action == BLOCKED
    assert "庁内の生成AIには、機密性3の情報及び個人情報（氏名などを記号に置き換えたものを除く。）" in article(4).items[0]
    assert hidden_expectations()["q8"] == "D"


def lesson_headings() -> set[str]:
    return {line.lstrip("#").strip() for cell in _cells(LESSON) if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("#")}


def test_every_hint_points_at_a_heading_of_lesson_12():
    headings = lesson_headings()
    hints = hidden_hints()
    assert len(hints) == 8
    for hint in hints:
        assert hint.startswith("レッスン 12 の「"), hint
        named = re.findall(r"「([^「」]+)」", hint)
        sections = [name for name in named if name in headings]
        assert sections, hint
        assert sections[0][0].isdigit(), hint  # the first names a numbered section


# ---------------------------------------------------------------- what the lesson says about the guideline

def test_the_default_guideline_has_nine_articles_and_the_supplementary_provision():
    guideline = articles(DEFAULT_CHOICES)
    assert [a.heading for a in guideline] == HEADINGS
    assert [a.number for a in guideline] == [*range(1, 10), 0]


def test_article_three_lists_four_services_and_two_without_cloud_services():
    default = article(3)
    assert default.table[0] == ("サービス", "入力できる情報", "個人情報") and len(default.table) == 5
    assert [row[0] for row in default.table[1:]] == list(SERVICE_NAMES.values())
    without = article(3, NO_CLOUD)
    assert [row[0] for row in without.table[1:]] == [SERVICE_NAMES["offline"], SERVICE_NAMES["compatible"]]
    assert f"（{SERVICE_NAMES['openai']}、{SERVICE_NAMES['azure']}を含む。）" in without.paragraphs[1]


def test_article_four_has_three_items_and_loses_the_cloud_one_without_cloud_services():
    items = article(4).items[0]
    assert len(items) == 3 and items[0] == "約款型外部サービスには、個人情報及び機密性2以上の情報"
    assert "所属長に相談" in article(4).paragraphs[1]
    without = article(4, NO_CLOUD).items[0]
    assert len(without) == 2 and not any("約款型外部サービス" in item for item in without)


def test_the_word_file_starts_with_its_title_and_ends_with_the_sources(tmp_path):
    document = Document(str(write_docx(DEFAULT_CHOICES, tmp_path / "若葉市_生成AI利用ガイドライン.docx")))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "若葉市生成AI利用ガイドライン"
    assert len(document.tables) == 1 and len(document.tables[0].rows) == 5
    sources = paragraphs[paragraphs.index("参考にした資料") + 1:]
    assert any("申合せ" in s for s in sources) and any("東京都" in s for s in sources)
    assert "第3条と第4条" in sources[-1]


def test_no_cloud_choices_add_allowed_false_and_keep_the_other_values():
    rules = policy_toml(NO_CLOUD)
    shown = rules[rules.index("# OpenAI"):]
    assert shown.count("allowed = false") == 2 and shown.count("max_confidentiality = 1") == 2
    data = tomllib.loads(rules)
    assert data["compatible"] == {"max_confidentiality": 2, "personal_data": "mask"}


def test_the_gate_refuses_a_service_the_guideline_does_not_use_and_the_default_sends_it():
    request = "若葉市民まつりのお知らせを、やさしい日本語に直してください。"
    refused = decide(policy_from(NO_CLOUD), "openai", 1, [request])
    assert refused.action == BLOCKED and refused.label == "送信不可"
    assert "使わないことになっている" in refused.what and "使える接続先（offline / compatible）" in refused.todo
    assert decide(policy_from(DEFAULT_CHOICES), "openai", 1, [request]).label == "送信可"
    assert policy_from(DEFAULT_CHOICES).rules == load_policy().rules


@pytest.mark.parametrize(("name", "articles_changed"), [
    ("municipality", {1, 2, 8}),
    ("services", {3, 4}),
    ("gateway_max_confidentiality", {3, 4}),
    ("gateway_personal_data", {3, 4}),
    ("approver", {6, 7}),
    ("logging", {7}),
    ("log_retention_years", {7}),
    ("training_required", {8}),
    ("review_months", {9}),
])
def test_each_choice_changes_the_articles_the_lessons_table_names(name, articles_changed):
    assert changed_articles(replace(DEFAULT_CHOICES, **{name: CHANGED[name]})) == articles_changed


def test_only_three_choices_change_the_enforced_rules_and_the_name_changes_only_the_name():
    default = policy_from(DEFAULT_CHOICES)
    changing = {name for name, value in CHANGED.items()
                if policy_from(replace(DEFAULT_CHOICES, **{name: value})).rules != default.rules}
    assert changing == {"services", "gateway_max_confidentiality", "gateway_personal_data"}
    renamed = policy_from(replace(DEFAULT_CHOICES, municipality="青葉町"))
    assert renamed.name == "青葉町 生成AI利用ガイドライン" and renamed.rules == default.rules
    assert {f.name for f in fields(Choices)} - set(CHANGED) == {"effective"}
    assert changed_articles(replace(DEFAULT_CHOICES, effective="2027-04-01")) == {0}


@pytest.mark.parametrize("choices", [DEFAULT_CHOICES, NO_CLOUD, Choices(gateway_max_confidentiality=1),
                                     Choices(services=("openai",), gateway_personal_data="block")])
def test_services_under_standard_terms_stay_at_confidentiality_one_without_personal_data(choices):
    for backend in ("openai", "azure"):
        rule = policy_from(choices).rules[backend]
        assert (rule.max_confidentiality, rule.personal_data) == (1, "block")


def test_the_situation_table_names_each_article_by_its_real_heading():
    [section] = [cell.source for cell in _cells(LESSON) if cell.source.startswith("## 5.")]
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| 場面")]
    assert len(rows) == 10
    headings = {a.number: a.heading for a in articles(DEFAULT_CHOICES)}
    for situation, clauses, _ in rows:
        cited = re.findall(r"第(\d)条（([^）]+)）", clauses)
        assert cited and "、".join(f"第{n}条（{h}）" for n, h in cited) == clauses, situation
        assert all(headings[int(number)] == heading for number, heading in cited), situation
    wanted = {"住民の氏名を入れたい": "第4条", "出力の数字や日付を確かめる": "第5条", "記録の保存期間を知りたい": "第7条",
              "表にない新しいサービスを使いたい": "第6条", "国のガイドラインや、サービスの利用規約が変わった": "第9条"}
    for situation, clause in wanted.items():
        [row] = [r for r in rows if r[0] == situation]
        assert row[1].startswith(clause), situation


def test_the_widget_cell_ignores_its_output_and_the_lesson_announces_the_assignments_points():
    cells = _cells(LESSON)
    [widget] = [c for c in cells if c.cell_type == "code" and "guideline_builder()" in c.source]
    assert "nbval-ignore-output" in widget.metadata.get("tags", [])
    assert any("`exercises/lesson12/lesson12.ipynb`（約 20 分、10 点）" in c.source for c in cells)
    points = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in _cells(ASSIGNMENT))
    assert points == 10
