"""Cheating submissions through stock ``nbgrader autograde`` with the kit's configuration.

Each submission starts from the released (blank) core notebook of the test assignment ``practice``
(tests/support/assignments/) and tries one technique.  None may
score more than the blank, each must be flagged for the trainer with a reason, none may stop the
batch, and an honest learner graded after all of them still gets full marks.
"""

from __future__ import annotations

import copy
import sqlite3

import nbformat
import pytest

from tests.support.grading_kit import (
    flags,
    grade_id,
    make_kit,
    nbgrader,
    notebook_scores,
    released,
    run,
    solution,
    submit,
)

ASSIGNMENT = "practice"
FULL = 3.0


def _with_cell(source: str):
    def change(notebook, kit):
        notebook.cells.insert(0, nbformat.v4.new_code_cell(source.replace("{kit}", str(kit))))
    return change


def _answers(q1: str, q2: str):
    def change(notebook, kit):
        for cell in notebook.cells:
            if grade_id(cell) == "q1_answer":
                cell.source = q1
            elif grade_id(cell) == "q2_answer":
                cell.source = q2
    return change


def _edit_test(notebook, kit):
    for cell in notebook.cells:
        if grade_id(cell) == "q1":
            cell.source = "pass"


def _unmark_test(notebook, kit):
    for cell in notebook.cells:
        if grade_id(cell) == "q1":
            del cell.metadata["nbgrader"]
            cell.metadata.pop("editable", None)
            cell.metadata.pop("deletable", None)


def _delete_test(notebook, kit):
    notebook.cells = [c for c in notebook.cells if grade_id(c) not in ("q1", "q2")]


def _add_graded_cell(notebook, kit):
    notebook.cells.append(nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": False, "grade_id": "bonus", "points": 10, "schema_version": 3}}))


WRONG = 'answer_q1 = "A"\nanswer_q2 = "100"\n'

# student → (how the blank notebook is changed, flag codes expected)
CHEATS = {
    "added_cell": (_add_graded_cell, {"added_graded_cell"}),
    "builtins": (_with_cell("import builtins\nbuiltins.AssertionError = Warning\nbuiltins.isinstance = lambda *a: True\n"
                            + WRONG), {"builtins"}),
    "patched_helpers": (_with_cell("import kenshu.grading.form as f\n"
                                   "f.choice = f.judge_choice = f.number = f.judge_number = lambda *a, **k: None\n"
                                   "import kenshu.grading.expect as e\n"
                                   "e.expect_equal = e.expect_true = e.expect_type = lambda *a, **k: None\n" + WRONG),
                        {"patched_helpers"}),
    "shadowed_names": (_with_cell("def choice(*a, **k):\n    pass\ndef judge_choice(*a, **k):\n    pass\n"
                                  "def number(*a, **k):\n    pass\ndef judge_number(*a, **k):\n    pass\n" + WRONG),
                       {"shadowed_name"}),
    "input_transformer": (_with_cell('get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])'),
                          {"input_transformer"}),
    "event_hook": (_with_cell('get_ipython().events.register("post_run_cell", lambda result: None)'), {"event_hook"}),
    "exception_handler": (_with_cell("get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"),
                          {"exception_handler"}),
    "showtraceback": (_with_cell("get_ipython().showtraceback = lambda *a, **k: None"), {"showtraceback"}),
    "sys_exit": (_with_cell("import sys\nsys.exit(0)"), {"sys_exit"}),
    "os_exit": (_with_cell("import os\nos._exit(0)"), {"process_exit"}),
    "always_equal": (_answers("class Yes:\n    def __eq__(self, other):\n        return True\n"
                              "    __hash__ = object.__hash__\n\nanswer_q1 = Yes()",
                              "answer_q2 = Yes()"), {"custom_eq"}),
    "edited_test": (_edit_test, {"edited_test"}),
    "unmarked_test": (_unmark_test, {"unmarked_test"}),
    "deleted_tests": (_delete_test, {"deleted_test"}),
    "reads_solutions": (_with_cell('text = open(r"{kit}/solutions/practice/practice.ipynb", encoding="utf-8").read()\n'
                                   'answer_q1 = "B" if \'answer_q1 = \\\\"B\\\\"\' in text else "C"'), {"refused"}),
    "reads_other_learner": (_with_cell('import glob\nfound = glob.glob(r"{kit}/grader/submitted/*/practice/*.ipynb")\n'
                                       'text = open(r"{kit}/grader/submitted/zz_honest/practice/practice.ipynb").read()'),
                            {"refused"}),
    "writes_gradebook": (_with_cell('import sqlite3\ndb = sqlite3.connect(r"{kit}/grader/gradebook.db")\n'
                                    'db.execute("update grade set manual_score = 100")\ndb.commit()'), {"refused"}),
    "runs_programs": (_with_cell('import subprocess\nsubprocess.run(["cat", r"{kit}/solutions/practice/practice.ipynb"])'),
                      {"refused"}),
    "kills_the_grader": (_with_cell("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"), {"refused"}),
    "endless_loop": (_with_cell("while True:\n    pass"), {"timeout"}),
    "memory_bomb": (_with_cell("blocks = []\nwhile True:\n    blocks.append(bytes(50_000_000))"), {"memory"}),
    "huge_output": (_with_cell('for _ in range(300):\n    print("あ" * 10_000)'), {"huge_output"}),
}


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    kit = make_kit(tmp_path_factory.mktemp("cheating"), practice=True)
    nbgrader(kit, "generate_assignment", ASSIGNMENT, "--force")
    blank = released(ASSIGNMENT, root=kit)
    submit(kit, "blank", ASSIGNMENT, blank)
    for student, (change, _) in CHEATS.items():
        notebook = copy.deepcopy(blank)
        change(notebook, kit)
        submit(kit, student, ASSIGNMENT, notebook)
    submit(kit, "zz_honest", ASSIGNMENT, solution(ASSIGNMENT, root=kit))  # graded last, after every cheat
    done = nbgrader(kit, "autograde", ASSIGNMENT, "--SandboxedExecute.cell_timeout=5",
                    "--SandboxedExecute.memory_mb=1536")
    (kit / "autograde.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    return kit


@pytest.mark.parametrize("student", list(CHEATS))
def test_a_cheat_scores_no_more_than_the_blank_and_is_flagged(kit, student):
    got = notebook_scores(kit, ASSIGNMENT)
    assert got[student][0] <= got["blank"][0] == 0
    codes = {f["code"] for f in flags(kit, student, ASSIGNMENT)}
    assert CHEATS[student][1] <= codes, f"{student}: flagged {codes}"
    assert all(f["reason"] for f in flags(kit, student, ASSIGNMENT))


def test_no_cheat_stops_the_batch_and_the_honest_learner_after_them_scores_full(kit):
    got = notebook_scores(kit, ASSIGNMENT)
    assert set(CHEATS) | {"blank", "zz_honest"} <= set(got)
    assert got["zz_honest"] == (FULL, FULL)
    assert flags(kit, "zz_honest", ASSIGNMENT) == [] and flags(kit, "blank", ASSIGNMENT) == []


def test_the_gradebook_and_the_solutions_are_untouched(kit):
    with sqlite3.connect(kit / "grader" / "gradebook.db") as db:
        assert db.execute("select count(*) from grade where manual_score is not null").fetchone()[0] == 0
    from tests.support.grading_kit import FIXTURES

    assert (kit / "solutions" / ASSIGNMENT / "practice.ipynb").read_bytes() == \
        (FIXTURES / ASSIGNMENT / "practice.ipynb").read_bytes()


def test_a_flood_of_output_is_cut_in_the_graded_notebook(kit):
    path = kit / "grader" / "autograded" / "huge_output" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.stat().st_size < 500_000


def test_flags_are_logged_and_listed_for_the_trainer(kit, tmp_path):
    assert "要確認（os_exit / practice / practice" in (kit / "autograde.log").read_text(encoding="utf-8")
    csv_path = tmp_path / "report.csv"
    done = run(["-m", "kenshu", "exercises", "report", ASSIGNMENT, "--csv", str(csv_path)], cwd=kit)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(CHEATS) + 2} 人、要確認 {len(CHEATS)} 人" in done.stdout
    assert "zz_honest: 基本 3 / 3 点　発展 0 / 3 点  －" in done.stdout
    assert "確認（テスト）のセルを書き換えた（edited_test）" in done.stdout
    import pandas as pd

    table = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert set(CHEATS) <= set(table["student"]) and "reason" in table.columns


def test_feedback_keeps_the_messages_but_not_the_hidden_tests(kit):
    nbgrader(kit, "generate_feedback", ASSIGNMENT)
    html = (kit / "grader" / "feedback" / "builtins" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    hidden = solution(ASSIGNMENT, root=kit).cells
    hidden_lines = [line.strip() for c in hidden if grade_id(c) == "q2"
                    for line in c.source.splitlines() if line.strip().startswith("judge_")]
    assert hidden_lines and not any(line in html for line in hidden_lines)
    assert "BEGIN HIDDEN TESTS" not in html and "非公開のテストは表示しません" in html
    assert "まだ答えが書かれていません" in html  # the failure message still explains what was wrong
