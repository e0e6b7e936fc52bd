"""Grading through a pre-warmed process (``kenshu class grade``'s jobs): the same results as spawned processes,
with nothing carried from the grader, the warm process or another submission into learner code."""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from kenshu.grading import warm
from kenshu.grading.isolated import GradingCell, run_isolated
from tests.support.grading_kit import ROOT

pytestmark = pytest.mark.skipif(not warm.available(), reason="warm grading forks: Linux only")


@pytest.fixture
def warm_grading():
    warm.use_warm_processes()
    yield warm.current()
    warm.stop()


def _cells(*cells: tuple[str, str]) -> list[GradingCell]:
    return [GradingCell(i, kind, source, f"t{i}" if kind == "test" else None) for i, (kind, source) in enumerate(cells)]


def _printed(answer, index: int = 0) -> str:
    return "".join(o.get("text", "") for o in answer.cells[index].outputs)


def _notebook_cells(path) -> list[GradingCell]:
    notebook = nbformat.read(path, as_version=4)
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        kind = "test" if meta.get("grade") and not meta.get("solution") else "learner"
        cells.append(GradingCell(index, kind, cell.source, meta.get("grade_id")))
    return cells


@pytest.mark.parametrize("notebook", ["solutions/lesson01/lesson01.ipynb", "exercises/lesson01/lesson01.ipynb"])
def test_a_warm_process_grades_exactly_as_a_spawned_one(notebook, monkeypatch):
    monkeypatch.setenv("KENSHU_DATASETS", str(ROOT / "datasets"))
    cells = _notebook_cells(ROOT / notebook)
    spawned = run_isolated(cells, files=ROOT / "solutions" / "lesson01")
    warm.use_warm_processes()
    try:
        first = run_isolated(cells, files=ROOT / "solutions" / "lesson01")
        second = run_isolated(cells, files=ROOT / "solutions" / "lesson01")
    finally:
        warm.stop()
    assert first.to_json() == spawned.to_json() == second.to_json()
    passed = [r.passed for r in spawned.cells.values() if r.passed is not None]
    assert passed and (all(passed) if "solutions" in notebook else not any(passed))


def test_every_submission_gets_its_own_fresh_learner_process(warm_grading):
    source = "import os\nprint(os.getpid())\nseen = globals().get('left_behind', 'none')\nleft_behind = 'x'\nprint(seen)"
    answers = [run_isolated(_cells(("learner", source))) for _ in range(3)]
    pids = [_printed(a).split()[0] for a in answers]
    assert len(set(pids)) == 3
    assert str(warm_grading.process.pid) not in pids
    assert all(_printed(a).split()[1] == "none" for a in answers)


def test_learner_code_inherits_no_descriptor_and_none_of_the_graders_variables(warm_grading, monkeypatch):
    # the warm process keeps the environment it started with: start it after setting the variable
    warm.stop()
    monkeypatch.setenv("KENSHU_TEST_SECRET", "do-not-leak")
    warm.use_warm_processes()
    probe = ("import os, json\n"
             "print(json.dumps({'fds': sorted(int(x) for x in os.listdir('/proc/self/fd')),"
             " 'env': sorted(os.environ), 'home': os.environ.get('HOME'), 'cwd': os.getcwd()}))")
    answer = run_isolated(_cells(("learner", probe)))
    seen = json.loads(_printed(answer))
    assert "KENSHU_TEST_SECRET" not in seen["env"]
    assert seen["home"] == seen["cwd"]
    # stdin, stdout, stderr (all /dev/null), the two channels to the test process, and the listing itself
    assert len(seen["fds"]) <= 6, seen["fds"]


MARK = "HIDDEN_MARK_7F3A"
# the mark is put together at run time, and only longer strings count: the learner's own copy is not a find
SCAN = """
import gc
mark = "".join(["HIDDEN", "_MARK_", "7F3A"])
def _items(obj):
    if isinstance(obj, dict):
        return list(obj.keys()) + list(obj.values())
    if isinstance(obj, (list, tuple, set, frozenset)):
        return list(obj)
    return list(vars(obj).values()) if hasattr(obj, "__dict__") else []
found = any(isinstance(x, str) and mark in x and x != mark for o in gc.get_objects() for x in _items(o))
print(found)
"""


def test_the_scan_finds_the_mark_where_it_is():
    answer = run_isolated(_cells(("learner", f"kept = ['assert True  # {MARK} here']\n" + SCAN)))
    assert _printed(answer).strip() == "True"


def test_learner_code_cannot_find_the_tests_of_its_own_or_an_earlier_submission(warm_grading):
    earlier = run_isolated(_cells(("learner", "answer = 1"), ("test", f"assert answer == 1  # {MARK}")))
    assert earlier.cells[1].passed
    answer = run_isolated(_cells(("learner", SCAN), ("test", f"assert True  # {MARK} of this submission")))
    assert _printed(answer).strip() == "False"


def test_after_the_warm_process_dies_the_next_submission_is_still_graded(warm_grading):
    assert run_isolated(_cells(("learner", "a = 2"), ("test", "assert a == 2"))).cells[1].passed
    warm_grading.process.kill()
    warm_grading.process.wait()
    assert run_isolated(_cells(("learner", "a = 3"), ("test", "assert a == 3"))).cells[1].passed


def test_a_learner_that_kills_its_process_is_reported_and_the_next_submission_is_fine(warm_grading):
    answer = run_isolated(_cells(("learner", "answer_q1 = 'B'"), ("learner", "import os\nos._exit(1)"),
                                 ("test", "assert answer_q1 == 'B'")))
    assert answer.cells[2].passed
    assert [f.code for f in answer.flags] == ["process_exit"]
    assert run_isolated(_cells(("learner", "b = 1"), ("test", "assert b == 1"))).cells[1].passed


def test_without_a_warm_process_grading_spawns_as_before():
    assert warm.current() is None
    answer = run_isolated(_cells(("learner", "import os\nprint(os.getppid())")))
    assert _printed(answer).strip() != str(os.getpid())  # the test process is its parent, not this one
