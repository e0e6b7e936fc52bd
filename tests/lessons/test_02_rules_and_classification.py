"""Lesson 02: the classification quiz (logic and clicks) and the lesson notebook's promises."""

from pathlib import Path

import nbformat
import pytest

from kenshu.lessons import classification_quiz
from kenshu.lessons.classification import DESTINATIONS, LEVELS, QUIZ_ITEMS, QuizItem, grade

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "course" / "02_rules_and_classification.ipynb"
ITEM = QuizItem("入札の予定価格を記した起案", 3, "offline", "秘密文書に相当します。")


def test_right_choices_are_graded_correct():
    feedback = grade(ITEM, 3, "offline")
    assert feedback.correct
    assert feedback.message.startswith("✓")
    assert "秘密文書" in feedback.message


def test_wrong_level_names_the_right_level_and_keeps_the_explanation():
    feedback = grade(ITEM, 2, "offline")
    assert not feedback.correct and not feedback.level_ok and feedback.destination_ok
    assert "機密性3" in feedback.message and "機密性2" in feedback.message
    assert "解説:" in feedback.message


def test_wrong_destination_alone_is_not_correct():
    feedback = grade(ITEM, 3, "internet")
    assert feedback.level_ok and not feedback.destination_ok and not feedback.correct
    assert DESTINATIONS["offline"] in feedback.message


@pytest.mark.parametrize("level, destination", [(None, "offline"), (3, None), (None, None)])
def test_missing_choice_asks_to_choose_and_is_not_counted(level, destination):
    feedback = grade(ITEM, level, destination)
    assert not feedback.complete and not feedback.correct
    assert "選んで" in feedback.message


def test_quiz_item_rejects_unknown_level_or_destination():
    with pytest.raises(ValueError):
        QuizItem("x", 4, "offline", "")
    with pytest.raises(ValueError):
        QuizItem("x", 1, "cloud", "")


def test_built_in_items_cover_every_level_and_destination():
    assert {item.level for item in QUIZ_ITEMS} == set(LEVELS)
    assert {item.destination for item in QUIZ_ITEMS} == set(DESTINATIONS)
    # a secret-class excerpt never goes beyond this PC
    assert all(item.destination == "offline" for item in QUIZ_ITEMS if item.level == 3)


def test_clicking_check_shows_feedback_and_counts_once():
    quiz = classification_quiz([ITEM, QUIZ_ITEMS[0]])
    quiz.inputs["level"].value, quiz.inputs["destination"].value = 3, "offline"
    quiz.buttons["check"].click()
    assert "正解です" in quiz.outputs["result"].value
    quiz.buttons["check"].click()
    assert "1 / 1" in quiz.outputs["counter"].value   # a second click does not count again


def test_next_moves_on_and_clears_the_choices():
    quiz = classification_quiz([ITEM, QUIZ_ITEMS[0]])
    level, destination = quiz.inputs["level"], quiz.inputs["destination"]
    level.value, destination.value = 1, "internet"
    quiz.buttons["check"].click()
    assert "✗" in quiz.outputs["result"].value
    quiz.buttons["next"].click()
    assert "問 2 / 2" in quiz.outputs["counter"].value
    assert level.value is None and destination.value is None and quiz.outputs["result"].value == ""
    assert "住民票" in quiz.outputs["excerpt"].value


def test_next_after_the_last_item_starts_again_and_keeps_the_score():
    quiz = classification_quiz([ITEM, QUIZ_ITEMS[0]])
    quiz.inputs["level"].value, quiz.inputs["destination"].value = 3, "offline"
    quiz.buttons["check"].click()
    quiz.buttons["next"].click()
    quiz.buttons["next"].click()
    assert "問 1 / 2" in quiz.outputs["counter"].value and "1 / 1" in quiz.outputs["counter"].value
    assert "入札の予定価格" in quiz.outputs["excerpt"].value


def test_excerpt_is_escaped():
    quiz = classification_quiz([QuizItem("<b>太字</b>", 1, "internet", "")])
    assert "&lt;b&gt;" in quiz.outputs["excerpt"].value


def test_check_without_choices_asks_to_choose():
    quiz = classification_quiz()
    quiz.buttons["check"].click()
    assert "選んで" in quiz.outputs["result"].value
    assert "0 / 0" in quiz.outputs["counter"].value


def test_lesson_notebook_leaves_no_file_beside_itself(tmp_path):
    """The policy and audit log the lesson writes go to a temporary folder it removes."""
    from nbclient import NotebookClient

    folder = tmp_path / "course"
    folder.mkdir()
    nb = nbformat.read(LESSON, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    assert sorted(p.name for p in folder.iterdir()) == []
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "一時フォルダーを削除しました" in outputs
    log_cell = next(c for c in nb.cells if c.cell_type == "code" and "kenshu.audit.frame" in c.source)
    shown = str(log_cell.outputs)
    assert "［個人番号" in shown and "123456789018" not in shown   # the log keeps no 個人番号
    assert "blocked" in shown and "masked" in shown


def test_lesson_notebook_has_goals_summary_and_check_question():
    nb = nbformat.read(LESSON, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("このレッスンの目標", "所要時間", "まとめ", "確認問題", "<details>"):
        assert heading in text
