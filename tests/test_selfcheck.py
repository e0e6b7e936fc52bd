"""``kenshu.check()``: the learner's self-check, with a real kernel (nbclient) and the test assignment ``practice``.

``practice`` (tests/support/assignments/) has a core notebook (問1 a letter, 問2 a number: 3 points) and an
発展 notebook (発展1 a function: 3 points), in the kit's assignment format.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from kenshu.grading.selfcheck import HIDDEN_NOTE, VISIBLE_ONLY_NOTE, check, find_notebook, run_selfcheck
from tests.support.grading_kit import make_kit

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "practice"
ADVANCED = "practice_advanced"
MAX_SCORE = 3.0

ANSWERS_FULL = {"q1_answer": 'answer_q1 = "B"', "q2_answer": 'answer_q2 = "80"'}
# 問1 は正解、問2 は形は正しいが違う数（見えている確認は通り、非公開の確認で落ちる）
ANSWERS_PARTIAL = {"q1_answer": 'answer_q1 = "B"', "q2_answer": 'answer_q2 = "100"'}
FUNCTION_FULL = ('def count_chars(text):\n'
                 '    return len(text.replace(" ", "").replace("\\u3000", "").replace("\\n", ""))')
FUNCTION_PARTIAL = 'def count_chars(text):\n    return len(text.replace(" ", ""))'
HIDDEN_SOURCE_MARKERS = ("BEGIN HIDDEN TESTS", "judge_", "expect_true(", "一行目", "Traceback", "from kenshu.grading",
                         '"B"', "80")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A kit whose exercises/ holds the released practice notebooks."""
    return make_kit(tmp_path_factory.mktemp("built"), practice=True)


def _released(built: Path, name: str = ASSIGNMENT) -> nbformat.NotebookNode:
    return nbformat.read(built / "exercises" / ASSIGNMENT / f"{name}.ipynb", as_version=4)


def _fill(built: Path, answers: dict[str, str], name: str = ASSIGNMENT) -> nbformat.NotebookNode:
    """The released notebook with answer cells written in, as a learner would save it."""
    notebook = _released(built, name)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def _kit(built: Path, target: Path, *, with_solutions: bool = True) -> Path:
    (target / "course").mkdir(parents=True)
    (target / "course" / "00_orientation.ipynb").write_text(json.dumps(nbformat.v4.new_notebook()), encoding="utf-8")
    (target / "exercises").mkdir()
    shutil.copytree(built / "exercises" / ASSIGNMENT, target / "exercises" / ASSIGNMENT)
    if with_solutions:
        (target / "solutions").mkdir()
        shutil.copytree(built / "solutions" / ASSIGNMENT, target / "solutions" / ASSIGNMENT)
    return target


def _save(kit: Path, notebook: nbformat.NotebookNode, name: str = ASSIGNMENT) -> Path:
    path = kit / "exercises" / ASSIGNMENT / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def _by_id(report) -> dict[str, tuple[float, bool | None, str]]:
    return {r.grade_id: (r.points, r.passed, r.message) for r in report.results}


@pytest.fixture(scope="module")
def kit(built, tmp_path_factory) -> Path:
    return _kit(built, tmp_path_factory.mktemp("selfcheck"))


@pytest.fixture(scope="module")
def reports(built, tmp_path_factory):
    """Self-check of the full, blank and partial notebooks, each saved at the learner's path in its own kit."""
    notebooks = {"full": _fill(built, ANSWERS_FULL), "blank": _released(built), "partial": _fill(built, ANSWERS_PARTIAL)}
    paths = {name: _save(_kit(built, tmp_path_factory.mktemp(name)), notebook) for name, notebook in notebooks.items()}
    with ThreadPoolExecutor(max_workers=3) as pool:  # each check runs in its own process and kernel
        futures = {name: pool.submit(run_selfcheck, path=path) for name, path in paths.items()}
        return {name: future.result() for name, future in futures.items()}


def test_the_solution_scores_full_marks(reports):
    report = reports["full"]
    assert report.hidden_tests_used
    assert (report.score, report.max_score) == (MAX_SCORE, MAX_SCORE)
    assert all(r.passed and not r.message for r in report.results)
    assert [r.label for r in report.results] == ["問1", "問2"]


def test_the_blank_notebook_scores_zero_in_japanese(reports):
    report = reports["blank"]
    assert report.score == 0 and report.max_score == MAX_SCORE
    assert all(r.passed is False for r in report.results)
    for r in report.results:
        assert "まだ答えが書かれていません" in r.message
    text = report.render()
    assert "合計: 0 / 3 点" in text and HIDDEN_NOTE in text
    for marker in HIDDEN_SOURCE_MARKERS:
        assert marker not in text


def test_a_wrong_answer_of_the_right_form_scores_zero_and_the_answer_stays_hidden(reports):
    report = reports["partial"]
    assert report.score == 1.0
    results = _by_id(report)
    assert results["q1"][:2] == (1.0, True)
    points, passed, message = results["q2"]
    assert (points, passed) == (0.0, False)
    assert message == "問2: まだ正解ではありません。説明の「2」を読み直しましょう。"
    for marker in HIDDEN_SOURCE_MARKERS:
        assert marker not in report.render()


def test_the_printed_report_names_questions_as_learners_see_them(kit, built, capsys):
    path = _save(kit, _fill(built, ANSWERS_PARTIAL))
    try:
        assert check("問2", path=path) is None
    finally:
        _save(kit, _released(built))
    out = capsys.readouterr().out
    assert "Ctrl+S" in out
    assert "✗ 問2: 0 / 2 点" in out and "説明の「2」を読み直しましょう" in out
    assert "問1" not in out  # only question 2
    assert "合計: 0 / 2 点" in out and HIDDEN_NOTE in out
    for marker in HIDDEN_SOURCE_MARKERS:
        assert marker not in out


@pytest.mark.parametrize(("typed", "words"), [
    ("answer_q1 = B", ['"B"', "囲まれていません"]),
    ("answer_q1 = “B”", ["全角"]),
    ('answer_q1 = "B', ["閉じる"]),
    ("# 消してしまった", ["answer_q1 がまだありません"]),
])
def test_a_typing_mistake_is_named_as_the_real_problem(built, tmp_path, typed, words):
    kit = _kit(built, tmp_path)
    report = run_selfcheck(path=_save(kit, _fill(built, {**ANSWERS_FULL, "q1_answer": typed})))
    points, passed, message = _by_id(report)["q1"]
    assert passed is False and all(word in message for word in words), message
    assert "NameError" not in message and "SyntaxError" not in message
    assert _by_id(report)["q2"][:2] == (2.0, True)  # the other question still scores


def test_an_edited_or_deleted_test_cell_does_not_count(built, tmp_path):
    kit = _kit(built, tmp_path)
    notebook = _fill(built, {"q1_answer": 'answer_q1 = "A"', "q2_answer": 'answer_q2 = "80"'})  # 問1 wrong…
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1":
            cell.source = "pass"  # …and its test cell emptied
    notebook.cells = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q2"]  # …one deleted
    notebook.cells.append(nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "solution": False, "grade_id": "my_test", "points": 10, "locked": False, "schema_version": 3}}))
    report = run_selfcheck(path=_save(kit, notebook))
    results = _by_id(report)
    assert set(results) == {"q1", "q2"}  # restored, the learner's own dropped
    assert results["q1"][:2] == (0.0, False) and "まだ正解ではありません" in results["q1"][2]
    assert results["q2"][:2] == (2.0, True)
    assert report.max_score == MAX_SCORE


def test_without_solutions_only_the_form_is_checked_and_no_points_are_given(built, tmp_path):
    kit = _kit(built, tmp_path, with_solutions=False)
    path = _save(kit, _fill(built, {"q1_answer": 'answer_q1 = "A"', "q2_answer": 'answer_q2 = "八十"'}))
    report = run_selfcheck(path=path)
    assert not report.hidden_tests_used and (report.score, report.max_score) == (0.0, 0.0)
    results = _by_id(report)
    assert results["q1"][1] is None  # "A" is well-formed: right or wrong is decided at grading
    assert results["q2"][1] is False and "数として読めません" in results["q2"][2]
    text = report.render()
    assert VISIBLE_ONLY_NOTE in text and "書き方の確認: 2 問中 1 問 OK" in text
    assert "－ 問1: 書き方は OK です" in text and "点数は講師の採点で決まります" in text


def test_without_solutions_an_edited_test_cell_still_fails(built, tmp_path):
    kit = _kit(built, tmp_path, with_solutions=False)
    notebook = _released(built)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1":
            cell.source = "pass"
    path = _save(kit, notebook)  # the released copy is the learner's own file: checksums catch the edit
    results = _by_id(run_selfcheck("問1", path=path))
    assert results["q1"][1] is False and "書き換えられて" in results["q1"][2]


def test_the_advanced_notebook_is_graded_on_its_own(built, tmp_path):
    kit = _kit(built, tmp_path)
    full = run_selfcheck(path=_save(kit, _fill(built, {"h1_answer": FUNCTION_FULL}, ADVANCED), ADVANCED))
    assert [r.label for r in full.results] == ["発展1"] and (full.score, full.max_score) == (3.0, 3.0)
    copy = _save(kit, _fill(built, {"h1_answer": FUNCTION_PARTIAL}, ADVANCED), f"{ADVANCED}-Copy1")
    partial = run_selfcheck(path=copy)  # a renamed copy still finds its own tests, not the core notebook's
    assert (partial.score, partial.max_score) == (0.0, 3.0)
    assert "全角スペースを含む文章の文字数" in partial.results[0].message


def test_an_endless_loop_ends_with_a_timeout_message(built, tmp_path):
    kit = _kit(built, tmp_path)
    path = _save(kit, _fill(built, {"h1_answer": "def count_chars(text):\n    while True:\n        pass"}, ADVANCED),
                 ADVANCED)
    report = run_selfcheck(path=path, cell_timeout=3, total_timeout=30)
    [result] = report.results
    assert result.passed is False and "打ち切りました" in result.message


def test_a_check_cell_inside_the_notebook_does_not_run_while_self_checking(built, tmp_path):
    kit = _kit(built, tmp_path)
    path = _save(kit, _fill(built, ANSWERS_FULL))  # the released notebook ends with a check() cell
    report = run_selfcheck(path=path)
    assert report.score == MAX_SCORE


def test_the_notebook_is_found_from_the_jupyter_session(kit, monkeypatch):
    path = kit / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    monkeypatch.chdir(path.parent)  # the kernel runs in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert find_notebook() == path.resolve()
    monkeypatch.setenv("JPY_SESSION_NAME", f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")  # relative to the server root
    assert find_notebook() == path.resolve()
    monkeypatch.delenv("JPY_SESSION_NAME")
    assert find_notebook(assignment=ASSIGNMENT) == path.resolve()


def test_check_inside_a_jupyter_kernel_grades_the_saved_notebook(built, tmp_path):
    """As in JupyterLab: the kernel gets JPY_SESSION_NAME (ipykernel's ``__session__``) and runs in the notebook's folder."""
    from nbclient import NotebookClient

    kit = _kit(built, tmp_path)
    learner = _fill(built, ANSWERS_PARTIAL)
    learner.cells.append(nbformat.v4.new_code_cell("from kenshu import check\nprint(__session__)\ncheck('問1')"))
    path = _save(kit, learner)
    client = NotebookClient(nbformat.read(path, as_version=4), timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    executed = client.execute(env={**os.environ, "JPY_SESSION_NAME": str(path)})
    outputs = executed.cells[-1].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    out = "".join(o.get("text", "") for o in outputs)
    assert str(path) in out and "✓ 問1: 1 / 1 点" in out and "合計: 1 / 1 点" in out and HIDDEN_NOTE in out


def test_an_unknown_question_or_notebook_is_explained(kit, capsys, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(kit)
    check("問9", path=f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    out = capsys.readouterr().out
    assert "「問9」に当たる問がありません" in out and "問1、問2" in out
    check()
    out = capsys.readouterr().out
    assert "どのノートブックを採点するのか分かりませんでした" in out and "Traceback" not in out


# a learner's own files beside the notebook, named like standard modules the grading imports
LEARNER_MODULES = {
    "ast.py": '# 練習用に作ったファイル\nprint("自分で作った ast.py です")\n',
    "json.py": 'data = {"課": "会計課", "件数": 3}\n',
}


@pytest.mark.parametrize("with_solutions", [True, False], ids=["hidden_tests", "visible_tests_only"])
def test_files_named_like_standard_modules_beside_the_notebook_do_not_break_check(built, tmp_path, monkeypatch, capsys,
                                                                                  with_solutions):
    kit = _kit(built, tmp_path, with_solutions=with_solutions)
    path = _save(kit, _fill(built, ANSWERS_FULL))
    for name, source in LEARNER_MODULES.items():
        (path.parent / name).write_text(source, encoding="utf-8")
    monkeypatch.chdir(path.parent)  # the learner's kernel runs in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    check()
    out = capsys.readouterr().out
    expected = "合計: 3 / 3 点" if with_solutions else "書き方の確認: 2 問中 2 問 OK"
    assert expected in out, out
    assert "⚠" not in out and "Traceback" not in out
