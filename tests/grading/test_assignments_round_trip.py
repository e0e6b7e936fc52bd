"""Every notebook of every assignment in solutions/, through stock nbgrader with the kit's configuration.

Per notebook (the core one and the optional 発展 one are scored separately): the solution scores full
marks, the released blank 0, a partly solved notebook in between, cheats no more than the blank, and the
learner's ``check()`` gives the same scores as the official grading.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from tests.support.grading_kit import (
    always_equal,
    assignments,
    flags,
    make_kit,
    nbgrader,
    notebook_scores,
    notebooks,
    partial,
    released,
    run,
    solution,
    submit,
    tampered,
)

ASSIGNMENTS = assignments()
NOTEBOOKS = [(assignment, name) for assignment in ASSIGNMENTS for name in notebooks(assignment)]
IDS = [name for _, name in NOTEBOOKS]
KINDS = ("full", "blank", "partial")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    kit = make_kit(tmp_path_factory.mktemp("roundtrip"))
    build = run(["-m", "kenshu", "exercises", "build"], cwd=kit)
    assert build.returncode == 0, build.stdout + build.stderr
    for assignment, name in NOTEBOOKS:
        for kind, notebook in (("full", solution(assignment, name)), ("blank", released(assignment, name)),
                               ("partial", partial(assignment, name))):
            submit(kit, kind, assignment, notebook, name)
        submit(kit, "cheat_equal", assignment, always_equal(assignment, name), name)
        submit(kit, "cheat_tamper", assignment, tampered(assignment, kit, name), name)
    for assignment in ASSIGNMENTS:
        nbgrader(kit, "autograde", assignment)
    nbgrader(kit, "export")
    return kit


def test_there_is_an_assignment_for_every_lesson_with_an_exercise():
    assert {"demo", "lesson01", "lesson02", "lesson03", "lesson04"} <= set(ASSIGNMENTS)


@pytest.mark.parametrize(("assignment", "name"), NOTEBOOKS, ids=IDS)
def test_solution_full_blank_zero_partial_in_between(graded, assignment, name):
    got = notebook_scores(graded, assignment, name)
    full, maximum = got["full"]
    assert maximum > 0 and full == maximum, f"{name}: the solution scored {full} of {maximum}"
    assert got["blank"][0] == 0, f"{name}: the blank scored {got['blank'][0]}"
    assert 0 < got["partial"][0] < maximum, f"{name}: the partial notebook scored {got['partial'][0]}"


def test_export_writes_every_score(graded):
    import pandas as pd

    table = pd.read_csv(graded / "grader" / "grades.csv")
    assert set(table["assignment"]) == set(ASSIGNMENTS)
    assert set(table["student_id"]) == {*KINDS, "cheat_equal", "cheat_tamper"}


@pytest.mark.parametrize(("assignment", "name"), NOTEBOOKS, ids=IDS)
def test_cheating_scores_no_more_than_the_blank_and_is_flagged(graded, assignment, name):
    got = notebook_scores(graded, assignment, name)
    assert got["cheat_equal"][0] <= got["blank"][0] and got["cheat_tamper"][0] <= got["blank"][0]
    assert "custom_eq" in {f["code"] for f in flags(graded, "cheat_equal", assignment, name)}
    codes = {f["code"] for f in flags(graded, "cheat_tamper", assignment, name)}
    assert {"edited_test", "input_transformer", "exception_handler", "builtins", "refused"} <= codes, codes


@pytest.mark.parametrize(("assignment", "name"), NOTEBOOKS, ids=IDS)
def test_honest_submissions_are_not_flagged(graded, assignment, name):
    for kind in KINDS:
        assert flags(graded, kind, assignment, name) == [], f"{name}/{kind}: {flags(graded, kind, assignment, name)}"


@pytest.mark.parametrize(("assignment", "name"), NOTEBOOKS, ids=IDS)
def test_the_self_check_agrees_with_the_official_score(graded, assignment, name, tmp_path):
    from kenshu.grading.selfcheck import run_selfcheck

    kit = make_kit(tmp_path / "kit")  # a learner's copy of the kit, with solutions/ (self-paced use)
    paths = {}
    for kind, notebook in (("full", solution(assignment, name)), ("blank", released(assignment, name)),
                           ("partial", partial(assignment, name))):
        paths[kind] = kit / "exercises" / assignment / f"{name}-{kind}.ipynb"  # a renamed copy still finds its tests
        nbformat.write(notebook, paths[kind])
    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = dict(zip(KINDS, pool.map(lambda kind: run_selfcheck(path=paths[kind]), KINDS), strict=True))
    official = notebook_scores(graded, assignment, name)
    for kind in KINDS:
        report = reports[kind]
        assert report.hidden_tests_used
        assert (report.score, report.max_score) == official[kind], f"{name}/{kind}"
