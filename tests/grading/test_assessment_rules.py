"""The assessment rules of docs/authoring.md, checked on every assignment in solutions/.

A learner who has never programmed must reach the whole core score by typing values; visible checks
check the form only; hidden checks decide and never show the answer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
CORE = [p for p in NOTEBOOKS if p.stem == p.parent.name]
ADVANCED = [p for p in NOTEBOOKS if p.stem == f"{p.parent.name}_advanced"]
FORM_CHECKS = {"choice", "choices", "number", "ids", "text"}
JUDGES = {"judge_choice", "judge_choices", "judge_number", "judge_ids", "judge_text"}
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*\n?", re.S | re.M)
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.S | re.M)


def ids(paths):
    return [p.relative_to(ROOT / "solutions").as_posix() for p in paths]


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def code_cells(path: Path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def calls(source: str) -> set[str]:
    return {node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)}


def test_every_assignment_notebook_is_a_core_or_an_advanced_one():
    assert CORE and set(NOTEBOOKS) == set(CORE) | set(ADVANCED), ids(set(NOTEBOOKS) - set(CORE) - set(ADVANCED))
    assert {p.parent.name for p in ADVANCED} <= {p.parent.name for p in CORE}


@pytest.mark.parametrize("path", CORE, ids=ids(CORE))
def test_core_solutions_are_literals_only_and_the_cell_holds_the_blank_answer(path):
    for cell in code_cells(path):
        if not nbgrader(cell).get("solution"):
            continue
        regions = SOLUTION.findall(cell.source)
        assert len(regions) == 1, f"{nbgrader(cell)['grade_id']}: one solution region"
        outside = SOLUTION.sub("", cell.source)
        blanks = ast.parse(outside).body
        answers = ast.parse(regions[0]).body
        for node in blanks:
            assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value == "", \
                f"{nbgrader(cell)['grade_id']}: outside the solution only comments and answer_… = \"\""
        for node in answers:
            assert isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name), \
                f"{nbgrader(cell)['grade_id']}: the solution is one assignment per line"
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str), \
                f"{nbgrader(cell)['grade_id']}: the solution is a literal text (numbers too, in quotes)"
        names = [n.targets[0].id for n in blanks]
        assert len(names) == 1 and names == [n.targets[0].id for n in answers], \
            f"{nbgrader(cell)['grade_id']}: one answer variable per cell, blank outside and solved inside"
        assert names[0].startswith("answer_")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_graded_cell_has_hidden_tests(path):
    for cell in code_cells(path):
        if nbgrader(cell).get("grade"):
            assert HIDDEN.search(cell.source), f"{nbgrader(cell)['grade_id']}: a graded cell without hidden tests"


@pytest.mark.parametrize("path", CORE, ids=ids(CORE))
def test_core_checks_show_the_form_and_hide_the_judgement(path):
    for cell in code_cells(path):
        if not nbgrader(cell).get("grade"):
            continue
        hidden = "\n".join(HIDDEN.findall(cell.source))
        visible = HIDDEN.sub("", cell.source)
        assert calls(visible) & FORM_CHECKS, f"{nbgrader(cell)['grade_id']}: the visible part checks the form"
        assert not calls(visible) & JUDGES, f"{nbgrader(cell)['grade_id']}: no judgement in the visible part"
        assert calls(hidden) & JUDGES, f"{nbgrader(cell)['grade_id']}: the hidden part judges"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_hidden_tests_never_use_a_check_that_prints_the_expected_value(path):
    for cell in code_cells(path):
        for hidden in HIDDEN.findall(cell.source):
            assert "expect_equal" not in calls(hidden), f"{nbgrader(cell)['grade_id']}: expect_equal in hidden tests"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_grade_ids_name_the_questions_as_learners_see_them(path):
    pattern = r"q\d+[a-z]?" if path in CORE else r"h\d+[a-z]?"
    for cell in code_cells(path):
        meta = nbgrader(cell)
        if meta.get("grade"):
            assert re.fullmatch(pattern, meta["grade_id"]), meta["grade_id"]
        elif meta.get("solution"):
            assert re.fullmatch(pattern + r"_answer", meta["grade_id"]), meta["grade_id"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_an_exercise_starts_by_preparing_the_kernel_and_ends_with_the_self_check(path):
    cells = code_cells(path)
    assert cells[0].source.strip().splitlines()[-1].strip() == "import kenshu.exercise"
    assert "check()" in cells[-1].source and "from kenshu import check" in cells[-1].source
    for cell in (cells[0], cells[-1]):
        assert nbgrader(cell).get("locked") and not nbgrader(cell).get("grade") and not nbgrader(cell).get("solution")


LEARNER_NOTEBOOKS = sorted([*(ROOT / "course").glob("*.ipynb"), *(ROOT / "exercises").glob("*/*.ipynb"), *NOTEBOOKS])


@pytest.mark.parametrize("path", LEARNER_NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in LEARNER_NOTEBOOKS])
def test_test_markers_are_cell_tags_not_visible_lines(path):
    for cell in code_cells(path):
        assert not re.search(r"^\s*#\s*NBVAL", cell.source, re.M), cell.source.splitlines()[0]


STATED = re.compile(r"exercises/(\w+)/(\w+)\.ipynb`（約 \d+ 分、(\d+) 点）")
LESSONS = sorted((ROOT / "course").glob("*.ipynb"))


def points(path: Path) -> float:
    return sum(nbgrader(cell).get("points", 0) for cell in nbformat.read(path, as_version=4).cells)


def test_the_points_a_lesson_announces_are_the_points_its_assignment_gives():
    stated = [(lesson.name, *found.groups()) for lesson in LESSONS
              for cell in nbformat.read(lesson, as_version=4).cells if cell.cell_type == "markdown"
              for found in STATED.finditer(cell.source)]
    assert len(stated) >= 5
    wrong = [(lesson, name, int(total), points(ROOT / "solutions" / folder / f"{name}.ipynb"))
             for lesson, folder, name, total in stated
             if points(ROOT / "solutions" / folder / f"{name}.ipynb") != int(total)]
    assert not wrong, wrong
