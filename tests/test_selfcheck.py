"""``kenshu.check()``: the learner's self-check, with a real kernel (nbclient) and the demo assignment."""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from kenshu.grading.selfcheck import HIDDEN_NOTE, VISIBLE_ONLY_NOTE, check, find_notebook, run_selfcheck

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "demo"
MAX_SCORE = 4.0

ANSWERS_FULL = {
    "q1_answer": 'answer_q1 = "B"',
    "q2_answer": 'def count_chars(text):\n'
                 '    return len(text.replace(" ", "").replace("\\u3000", "").replace("\\n", ""))',
}
# 問1 は正解、問2 は半角スペースしか除かない（見えている確認は通り、非公開の確認で落ちる）
ANSWERS_PARTIAL = {
    "q1_answer": 'answer_q1 = "B"',
    "q2_answer": 'def count_chars(text):\n    return len(text.replace(" ", ""))',
}
HIDDEN_SOURCE_MARKERS = ("BEGIN HIDDEN TESTS", "expect_equal(", "expect_true(", "count_chars(\"一行目",
                         "Traceback", "from kenshu.grading.expect")


def _released() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def _fill(answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released notebook with answer cells written in, as a learner would save it."""
    notebook = _released()
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def _kit(target: Path, *, with_solutions: bool = True) -> Path:
    (target / "course").mkdir(parents=True)
    (target / "course" / "00_orientation.ipynb").write_text(json.dumps(nbformat.v4.new_notebook()), encoding="utf-8")
    (target / "exercises").mkdir()
    shutil.copytree(ROOT / "exercises" / ASSIGNMENT, target / "exercises" / ASSIGNMENT)
    if with_solutions:
        (target / "solutions").mkdir()
        shutil.copytree(ROOT / "solutions" / ASSIGNMENT, target / "solutions" / ASSIGNMENT)
    return target


def _save(kit: Path, notebook: nbformat.NotebookNode) -> Path:
    path = kit / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook, path)
    return path


def _by_id(report) -> dict[str, tuple[float, bool | None, str]]:
    return {r.grade_id: (r.points, r.passed, r.message) for r in report.results}


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    return _kit(tmp_path_factory.mktemp("selfcheck"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Self-check of the full, blank and partial notebooks, each saved at the learner's path in its own kit."""
    notebooks = {"full": _fill(ANSWERS_FULL), "blank": _released(), "partial": _fill(ANSWERS_PARTIAL)}
    paths = {name: _save(_kit(tmp_path_factory.mktemp(name)), notebook) for name, notebook in notebooks.items()}
    with ThreadPoolExecutor(max_workers=3) as pool:  # each check runs in its own process and kernel
        futures = {name: pool.submit(run_selfcheck, path=path) for name, path in paths.items()}
        return {name: future.result() for name, future in futures.items()}


def test_the_solution_scores_full_marks(reports):
    report = reports["full"]
    assert report.hidden_tests_used
    assert (report.score, report.max_score) == (MAX_SCORE, MAX_SCORE)
    assert all(r.passed and not r.message for r in report.results)
    assert [r.grade_id for r in report.results] == ["q1_test", "q2_test_visible", "q2_test_hidden"]


def test_the_blank_notebook_scores_zero_in_japanese(reports):
    report = reports["blank"]
    assert report.score == 0 and report.max_score == MAX_SCORE
    assert all(r.passed is False for r in report.results)
    for r in report.results:
        assert "まだ答えが書かれていません" in r.message
    text = report.render()
    assert "合計: 0 / 4 点" in text and HIDDEN_NOTE in text
    for marker in HIDDEN_SOURCE_MARKERS:
        assert marker not in text


def test_a_partial_answer_scores_in_between_with_the_hidden_tests_message(reports):
    report = reports["partial"]
    assert report.score == 2.0
    results = _by_id(report)
    assert results["q1_test"][:2] == (1.0, True)  # only the hidden test knows "B" is right: it passed
    assert results["q2_test_visible"][:2] == (1.0, True)
    points, passed, message = results["q2_test_hidden"]
    assert (points, passed) == (0.0, False)
    assert message.startswith("（全角スペースを含む文章の文字数）が違います。期待: 5／実際: 6")
    for marker in HIDDEN_SOURCE_MARKERS:
        assert marker not in report.render()


def test_the_printed_report(kit, capsys):
    path = _save(kit, _fill(ANSWERS_PARTIAL))
    try:
        assert check("q2", path=path) is None
    finally:
        _save(kit, _released())
    out = capsys.readouterr().out
    assert "Ctrl+S" in out
    assert "✓ q2_test_visible: 1 / 1 点" in out
    assert "✗ q2_test_hidden: 0 / 2 点" in out and "全角スペースを含む文章の文字数" in out
    assert "q1_test" not in out  # only question 2
    assert "合計: 1 / 3 点" in out
    assert HIDDEN_NOTE in out
    for marker in HIDDEN_SOURCE_MARKERS:
        assert marker not in out


def test_an_edited_or_deleted_test_cell_does_not_count(tmp_path):
    kit = _kit(tmp_path)
    notebook = _fill({"q1_answer": 'answer_q1 = "A"'})  # wrong answer…
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_test":
            cell.source = "pass"  # …and the test cell emptied
    notebook.cells = [c for c in notebook.cells
                      if c.metadata.get("nbgrader", {}).get("grade_id") != "q2_test_visible"]  # …and one deleted
    notebook.cells.append(nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "solution": False, "grade_id": "my_test", "points": 10, "locked": False, "schema_version": 3}}))
    path = _save(kit, notebook)
    report = run_selfcheck(path=path)
    results = _by_id(report)
    assert set(results) == {"q1_test", "q2_test_visible", "q2_test_hidden"}  # restored, learner's own dropped
    assert results["q1_test"][:2] == (0.0, False) and "問1 の答え" in results["q1_test"][2]
    assert results["q2_test_visible"][:2] == (0.0, False)
    assert report.max_score == MAX_SCORE


def test_without_solutions_only_the_visible_tests_count(tmp_path):
    kit = _kit(tmp_path, with_solutions=False)
    path = _save(kit, _fill(ANSWERS_PARTIAL | {"q1_answer": 'answer_q1 = "A"'}))
    report = run_selfcheck(path=path)
    assert not report.hidden_tests_used
    results = _by_id(report)
    assert results["q1_test"][:2] == (1.0, True)  # "A" is well-formed; only the hidden test would fail it
    assert results["q2_test_visible"][:2] == (1.0, True)
    assert results["q2_test_hidden"][1] is None  # hidden-only cell: not scored here
    assert (report.score, report.max_score) == (2.0, 2.0)
    text = report.render()
    assert VISIBLE_ONLY_NOTE in text and "全角スペース" not in text


def test_without_solutions_an_edited_test_cell_still_fails(tmp_path):
    kit = _kit(tmp_path, with_solutions=False)
    notebook = _released()
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_test":
            cell.source = "pass"
    path = _save(kit, notebook)  # the released copy is the learner's own file: checksums catch the edit
    results = _by_id(run_selfcheck("q1", path=path))
    assert results["q1_test"][:2] == (0.0, False) and "書き換えられて" in results["q1_test"][2]


def test_an_endless_loop_ends_with_a_timeout_message(tmp_path):
    kit = _kit(tmp_path)
    path = _save(kit, _fill({"q1_answer": "while True:\n    pass", "q2_answer": ANSWERS_FULL["q2_answer"]}))
    report = run_selfcheck(path=path, cell_timeout=3, total_timeout=30)
    results = _by_id(report)
    assert results["q1_test"][:2] == (0.0, False) and "打ち切りました" in results["q1_test"][2]
    assert results["q2_test_visible"][1] and results["q2_test_hidden"][1]  # later questions still score
    assert report.score == 3.0


def test_a_syntax_error_does_not_stop_the_other_questions(tmp_path):
    kit = _kit(tmp_path)
    notebook = _fill({"q1_answer": 'answer_q1 = "B', "q2_answer": ANSWERS_FULL["q2_answer"]})
    # a check() cell in the notebook is skipped while self-checking (no self-check inside a self-check)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(f'from kenshu import check\ncheck(path="{ASSIGNMENT}.ipynb")'))
    path = _save(kit, notebook)
    report = run_selfcheck(path=path)
    results = _by_id(report)
    assert results["q1_test"][1] is False and "SyntaxError" in results["q1_test"][2]
    assert report.score == 3.0


def test_the_notebook_is_found_from_the_jupyter_session(kit, monkeypatch):
    path = kit / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    monkeypatch.chdir(path.parent)  # the kernel runs in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert find_notebook() == path.resolve()
    monkeypatch.setenv("JPY_SESSION_NAME", f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")  # relative to the server root
    assert find_notebook() == path.resolve()
    monkeypatch.delenv("JPY_SESSION_NAME")
    assert find_notebook(assignment=ASSIGNMENT) == path.resolve()


def test_check_inside_a_jupyter_kernel_grades_the_saved_notebook(tmp_path):
    """As in JupyterLab: the kernel gets JPY_SESSION_NAME (ipykernel's ``__session__``) and runs in the notebook's folder."""
    from nbclient import NotebookClient

    kit = _kit(tmp_path)
    learner = _fill(ANSWERS_PARTIAL)
    learner.cells.append(nbformat.v4.new_code_cell("from kenshu import check\nprint(__session__)\ncheck('q1')"))
    path = _save(kit, learner)
    client = NotebookClient(nbformat.read(path, as_version=4), timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    executed = client.execute(env={**os.environ, "JPY_SESSION_NAME": str(path)})
    outputs = executed.cells[-1].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    out = "".join(o.get("text", "") for o in outputs)
    assert str(path) in out and "✓ q1_test: 1 / 1 点" in out and "合計: 1 / 1 点" in out and HIDDEN_NOTE in out


def test_an_unknown_question_or_notebook_is_explained(kit, capsys, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(kit)
    check("q9", path=f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    out = capsys.readouterr().out
    assert "「q9」に当たる確認のセルがありません" in out and "q1_test" in out
    check()
    out = capsys.readouterr().out
    assert "どのノートブックを採点するのか分かりませんでした" in out and "Traceback" not in out


# a learner's own files beside the notebook, named like standard modules the grading imports
LEARNER_MODULES = {
    "ast.py": '# 練習用に作ったファイル\nprint("自分で作った ast.py です")\n',
    "json.py": 'data = {"課": "会計課", "件数": 3}\n',
}


@pytest.mark.parametrize("with_solutions", [True, False], ids=["hidden_tests", "visible_tests_only"])
def test_files_named_like_standard_modules_beside_the_notebook_do_not_break_check(tmp_path, monkeypatch, capsys,
                                                                                  with_solutions):
    kit = _kit(tmp_path, with_solutions=with_solutions)
    path = _save(kit, _fill(ANSWERS_FULL))
    for name, source in LEARNER_MODULES.items():
        (path.parent / name).write_text(source, encoding="utf-8")
    monkeypatch.chdir(path.parent)  # the learner's kernel runs in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    check()
    out = capsys.readouterr().out
    expected = "合計: 4 / 4 点" if with_solutions else "合計: 2 / 2 点"
    assert expected in out, out
    assert "⚠" not in out and "Traceback" not in out
