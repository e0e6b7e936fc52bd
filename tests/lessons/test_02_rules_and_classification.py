"""Lesson 02: the classification quiz (logic and clicks) and the lesson notebook's promises."""

from pathlib import Path

import nbformat
import pytest

from kenshu.gate import BLOCKED, decide, load_policy
from kenshu.gate.policy import BACKEND_ORDER
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
    feedback = grade(ITEM, 3, "openai")
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
    with pytest.raises(ValueError):
        QuizItem("x", 1, "lgwan", "")   # destinations are named by the kit's backends


def test_built_in_items_cover_every_level_and_destination():
    assert {item.level for item in QUIZ_ITEMS} == set(LEVELS)
    assert {item.destination for item in QUIZ_ITEMS} == set(DESTINATIONS)
    # a secret-class excerpt never goes beyond this PC
    assert all(item.destination == "offline" for item in QUIZ_ITEMS if item.level == 3)


def test_destinations_are_the_kits_backend_names_and_say_azure_is_like_openai():
    assert list(DESTINATIONS) == [b for b in BACKEND_ORDER if b != "azure"]
    for backend, label in DESTINATIONS.items():
        assert label.startswith(backend + "（")
    assert "azure" in DESTINATIONS["openai"]


@pytest.mark.parametrize("item", QUIZ_ITEMS, ids=lambda item: item.excerpt[:12])
def test_each_answer_is_the_widest_backend_the_default_policy_lets_the_excerpt_through(item):
    """The quiz teaches the kit's one rule: openai gets no personal data and nothing above 機密性1."""
    policy = load_policy()
    passes = [b for b in DESTINATIONS if decide(policy, b, item.level, item.excerpt).action != BLOCKED]
    assert passes and passes[-1] == item.destination
    assert decide(policy, "azure", item.level, item.excerpt).action == decide(policy, "openai", item.level,
                                                                                 item.excerpt).action


def test_a_published_text_with_a_name_goes_no_further_than_compatible():
    published = next(item for item in QUIZ_ITEMS if item.level == 1 and item.destination == "compatible")
    feedback = grade(published, 1, "openai")
    assert not feedback.correct and "個人情報" in feedback.message and "目で確かめ" in feedback.message


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
    level.value, destination.value = 1, "openai"
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
    quiz = classification_quiz([QuizItem("<b>太字</b>", 1, "openai", "")])
    assert "&lt;b&gt;" in quiz.outputs["excerpt"].value


def test_check_without_choices_asks_to_choose():
    quiz = classification_quiz()
    quiz.buttons["check"].click()
    assert "選んで" in quiz.outputs["result"].value
    assert "0 / 0" in quiz.outputs["counter"].value


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The lesson run top to bottom in a kernel, in an empty folder named like the kit's course/."""
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("lesson02") / "course"
    folder.mkdir()
    nb = nbformat.read(LESSON, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return folder, nb


def _output(nb, needle: str) -> str:
    cell = next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)
    return "".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def test_lesson_notebook_leaves_no_file_beside_itself(executed):
    """The policy and audit log the lesson writes go to a temporary folder it removes."""
    folder, nb = executed
    assert sorted(p.name for p in folder.iterdir()) == []
    assert "一時フォルダーを削除しました" in _output(nb, "shutil.rmtree")
    shown = _output(nb, "kenshu.audit.frame")
    assert "［個人番号" in shown and "123456789018" not in shown   # the log keeps no 個人番号
    assert "blocked" in shown and "masked" in shown


def test_lesson_shows_openai_receiving_no_personal_data_and_nothing_above_level_1(executed):
    _, nb = executed
    summary = _output(nb, "policy.rule(backend).summary()")
    assert "openai     … 機密性1まで、個人情報は送らない" in summary
    assert "azure      … 機密性1まで、個人情報は送らない" in summary
    table = _output(nb, "pd.DataFrame(table)")
    award = next(line for line in table.splitlines() if "受賞者" in line).split()
    assert award[-4:] == ["送信可", "マスクして送信", "送信不可", "送信不可"]   # offline, compatible, openai, azure
    assert "目で確かめて" in _output(nb, 'decide(policy, "openai", 1, award)')
    assert _output(nb, "reviewed = ").rstrip().endswith("送信可")          # masked and reviewed: it may go
    assert _output(nb, "article = ").startswith("送信不可")               # the check question


def test_lesson_answer_to_the_check_question_matches_what_the_gate_does(executed):
    _, nb = executed
    answer = next(c.source for c in nb.cells if c.cell_type == "markdown" and "<details>" in c.source)
    shown = _output(nb, "article = ").split(" …")[0]
    assert f"**{shown}** です" in answer


def test_lesson_names_destinations_by_the_kits_backend_words_only():
    nb = nbformat.read(LESSON, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "lgwan" not in text and "internet" not in text      # LGWAN (the network) is written in capitals
    rule = next(c.source for c in nb.cells if c.cell_type == "markdown" and "この研修のルール" in c.source)
    for backend in ("`offline`", "`compatible`", "`openai`", "`azure`"):
        assert backend in rule


def test_lesson_cells_carry_no_visible_test_markers():
    nb = nbformat.read(LESSON, as_version=4)
    assert not any("NBVAL" in c.source.upper() for c in nb.cells)
    quiz = next(c for c in nb.cells if c.cell_type == "code" and "classification_quiz()" in c.source)
    assert quiz.metadata.get("tags") == ["nbval-ignore-output"]


def test_lesson_notebook_has_goals_summary_and_check_question():
    nb = nbformat.read(LESSON, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("このレッスンの目標", "所要時間", "まとめ", "確認問題", "<details>"):
        assert heading in text
