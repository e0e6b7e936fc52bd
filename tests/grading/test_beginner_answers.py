"""Beginner mistakes in answer cells: named in Japanese, in a real kernel, without stopping 「すべてのセルを実行」."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from kenshu.grading import answers, form


@pytest.mark.parametrize(("source", "words"), [
    ("answer_q1 = B", ['"B"', "囲まれていません"]),
    ("answer_q1 = A, C", ['"A, C"']),
    ("answer_q1 = “B”", ["全角"]),
    ("answer_q1 = ＂B＂", ["全角"]),
    ("answer_q1 = 「B」", ["「 」ではなく"]),
    ("answer_q1 = \"B", ["閉じる"]),
    ("answer_q1 ＝ \"B\"", ["全角の「＝」"]),
    ("\u3000answer_q1 = \"B\"", ["全角のスペース"]),
    ("answer_q1 = \"B\"\u3000", ["全角のスペース"]),
    ("# 問1\nanswer_q1 =", ["右側が空"]),
])
def test_each_beginner_mistake_is_named_with_what_to_type(source, words):
    [problem] = answers.problems(source)
    assert all(word in problem.message for word in words), problem.message


@pytest.mark.parametrize("source", ['answer_q1 = "B"', 'answer_q1 = ""', "answer_q2 = 80",
                                    '# 答え\nanswer_q1 = "全角\u3000スペースは答えの中なら可"', "x = 1"])
def test_a_well_formed_answer_cell_has_no_problem(source):
    assert answers.problems(source) == []


def test_the_answer_names_of_a_broken_cell_are_still_read():
    assert answers.answer_names('answer_q1 = “B”\n answer_q2 = ""') == ["answer_q1", "answer_q2"]


# ---------------------------------------------------------------- reading and judging values

@pytest.mark.parametrize(("typed", "items"), [("A, C", ["A", "C"]), ("a、c", ["a", "c"]), ("ＡＣ", ["A", "C"]),
                                            (" A ・ C ", ["A", "C"]), ("「B」", ["B"]), ("", [])])
def test_several_answers_are_read_whatever_the_separator(typed, items):
    assert form.read_items(typed) == items


def test_numbers_are_read_with_full_width_digits_commas_and_the_unit():
    assert form.read_number("８０") == 80 and form.read_number("1,200") == 1200
    assert form.read_number("80万円", unit="万円") == 80 and form.read_number(80) == 80
    assert form.read_number("八十") is None and form.read_number(True) is None


def test_ids_are_read_as_the_known_ids():
    assert form.canonical_id("d3", ["D01", "D03"]) == "D03" and form.canonical_id("3", ["D03"]) == "D03"


def test_a_wrong_answer_of_the_right_form_passes_the_form_check_and_fails_the_judge():
    form.choice("c", "ABC", name="answer_q1", question="問1")
    with pytest.raises(form.NotYetCorrect) as caught:
        form.judge_choice("c", "B", question="問1", hint="レッスン 02 の 3 を読み直しましょう。")
    assert str(caught.value) == "問1: まだ正解ではありません。レッスン 02 の 3 を読み直しましょう。"


@pytest.mark.parametrize(("check", "value"), [
    (lambda v: form.choice(v, "ABC", name="answer_q1", question="問1"), ""),
    (lambda v: form.choice(v, "ABC", name="answer_q1", question="問1"), "D"),
    (lambda v: form.choice(v, "ABC", name="answer_q1", question="問1"), "A, B"),
    (lambda v: form.choices(v, "ABCDEF", name="answer_q1", question="問1"), "A, G"),
    (lambda v: form.choices(v, "ABCDEF", name="answer_q1", question="問1"), "A, A"),
    (lambda v: form.number(v, name="answer_q2", question="問2"), "八十"),
    (lambda v: form.ids(v, ["D01", "D02"], name="answer_q3", question="問3"), "D07"),
    (lambda v: form.text(v, name="answer_q4", question="問4", max_chars=5), "とても長い答えです"),
])
def test_a_wrong_form_is_refused_with_a_japanese_message(check, value):
    with pytest.raises(form.FormProblem) as caught:
        check(value)
    assert str(caught.value).startswith("問")


@pytest.mark.parametrize(("judge", "right", "wrong"), [
    (lambda v: form.judge_choices(v, "ACE", question="問1", hint=""), "E、A、C", "A、C"),
    (lambda v: form.judge_number(v, 80, question="問2", hint="", unit="万円"), "80万円", "100"),
    (lambda v: form.judge_ids(v, ["D03", "D07"], question="問3", hint=""), "d7, 3", "D03"),
    (lambda v: form.judge_text(v, question="問4", hint="", all_of=[["日付", "日時"], ["場所"]]),
     "日時と場所が違う", "日付が違う"),
])
def test_judges_accept_the_right_answer_in_any_spelling_and_refuse_a_wrong_one(judge, right, wrong):
    judge(right)
    with pytest.raises(form.NotYetCorrect):
        judge(wrong)
    with pytest.raises(form.NotYetCorrect, match="まだ答えが書かれていません"):
        judge("")


# ---------------------------------------------------------------- in a real kernel

CELLS = [
    "import kenshu.exercise",
    "answer_q1 = B",
    'from kenshu.grading.form import choice\nchoice(answer_q1, "ABC", name="answer_q1", question="問1")',
    "answer_q2 = “B”",
    'answer_q3 = "b"',
    'from kenshu.grading.form import choice\nchoice(answer_q3, "ABC", name="answer_q3", question="問3")',
    'from kenshu.grading.form import choice\nchoice(answer_q3, "AC", name="answer_q3", question="問3")',
    'print("最後のセルまで実行されました")',
]


def test_run_all_goes_to_the_end_and_each_mistake_is_a_japanese_box(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()   # raises on any error output
    texts = ["".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)
             for cell in notebook.cells]
    assert all(o.output_type != "error" for cell in notebook.cells for o in cell.outputs)
    assert "課題の準備ができました" in texts[0]
    assert "囲まれていません" in texts[1] and "まだ実行されていません" in texts[1]
    assert "answer_q1 がまだありません" in texts[2]
    assert "全角" in texts[3]
    assert texts[4] == ""
    assert "書き方は OK" in texts[5]
    assert "選択肢にありません" in texts[6]
    assert "最後のセルまで実行されました" in texts[7]
    assert "Traceback" not in "".join(texts) and "NameError" not in "".join(texts)


def test_a_choice_is_one_whole_option_not_part_of_the_option_string():
    with pytest.raises(form.FormProblem):
        form.choice("12", "123", name="answer_q1", question="問1")
    form.choice("2", "123", name="answer_q1", question="問1")


def test_a_choice_may_be_a_word():
    form.choice(" Compatible ", ["offline", "compatible", "openai"], name="answer_q1", question="問1")
    form.judge_choice("compatible", "compatible", question="問1", hint="")
    with pytest.raises(form.FormProblem, match="選択肢にありません"):
        form.choice("lgwan", ["offline", "compatible", "openai"], name="answer_q1", question="問1")


def test_a_question_not_answered_yet_is_a_quiet_note_and_a_wrong_form_a_red_box():
    from unittest import mock

    from kenshu.grading.notebook_hook import Box, show_failed

    shown = []
    with mock.patch("kenshu.grading.notebook_hook._display", shown.append):
        show_failed(form.FormProblem("問1: まだ答えが書かれていません。answer_q1 = \"\" の間に書きます。"))
        show_failed(form.FormProblem("問1: 「D」は選択肢にありません。"))
    assert [box.tone for box in shown] == ["todo", "fix"]
    assert all(isinstance(box, Box) and box.lines[0].startswith("問1") for box in shown)


def test_a_format_message_gives_no_example_that_could_be_the_answer():
    """The example of how to write two answers is a shape (○、○), never two of the options themselves."""
    with pytest.raises(form.FormProblem) as caught:
        form.choices("A、Z", "ABCD", name="answer_q1", question="問1")
    assert '"A、D"' not in str(caught.value) and '"○、○"' in str(caught.value)
    with pytest.raises(form.FormProblem) as caught:
        form.ids("KS-099", ["KS-025", "KS-026", "KS-027", "KS-028"], name="answer_q1a", question="問1a")
    assert "KS-025、KS-028" not in str(caught.value) and "KS-025〜KS-028" in str(caught.value)
