"""Self-check on plausible wrong answers of every core assignment: 0 points, and no expected value printed.

A wrong answer is made from each question's own form check: another letter of the options, a number off
by one, one ID too few... so that every hidden judgement runs and fails.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from kenshu.grading import form
from tests.support.grading_kit import ROOT, make_kit

CORE = sorted(p for p in (ROOT / "solutions").glob("*/*.ipynb") if p.stem == p.parent.name)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _form_call(test_source: str, name: str, right: str) -> tuple[str, list]:
    """The form check a test cell makes: run its visible part with the form checks recording their arguments."""
    from unittest import mock

    seen: list[tuple[str, list]] = []
    kinds = ("choice", "choices", "number", "ids", "text")
    def recorder(kind: str):
        return lambda value, *args, **kwargs: seen.append((kind, list(args)))

    recorders = {kind: recorder(kind) for kind in kinds}
    with mock.patch.multiple(form, **recorders):
        exec(compile(HIDDEN.sub("", test_source), "<visible checks>", "exec"), {name: right})  # noqa: S102
    assert seen, "no form check"
    return seen[0]


def wrong_value(kind: str, args: list, right: str) -> str:
    if kind == "choice":
        return next(option for option in args[0] if option != form.clean(right).upper())
    if kind == "choices":
        chosen = {item.upper() for item in form.read_items(right)}
        others = [option for option in args[0] if option not in chosen]
        return "、".join(sorted(chosen)[1:] + others[:1]) if len(chosen) > 1 or not others else others[0]
    if kind == "number":
        return str(int(form.read_number(right)) + 1)
    if kind == "ids":
        chosen = [form.canonical_id(item, args[0]) for item in form.read_items(right)]
        others = [known for known in args[0] if known not in chosen]
        return "、".join(chosen[1:] + others[:1]) if len(chosen) > 1 or not others else others[0]
    return "わかりません"


def wrong_submission(path: Path) -> tuple[nbformat.NotebookNode, list[str]]:
    """The released notebook with a wrong answer of the right form in every answer cell, and the right answers."""
    solved = nbformat.read(path, as_version=4)
    released = nbformat.read(ROOT / "exercises" / path.parent.name / path.name, as_version=4)
    tests = {_meta(c)["grade_id"]: c.source for c in solved.cells if _meta(c).get("grade")}
    rights, wrongs = [], {}
    for cell in solved.cells:
        if not _meta(cell).get("solution"):
            continue
        [assignment] = ast.parse(SOLUTION.search(cell.source).group(1)).body
        name, right = assignment.targets[0].id, assignment.value.value
        kind, args = _form_call(tests[_meta(cell)["grade_id"].removesuffix("_answer")], name, right)
        rights.append(right)
        wrongs[_meta(cell)["grade_id"]] = f'{name} = "{wrong_value(kind, args, right)}"'
    for cell in released.cells:
        if _meta(cell).get("grade_id") in wrongs:
            cell.source = wrongs[_meta(cell)["grade_id"]]
    return released, rights


def shown(value: str) -> list[re.Pattern]:
    """How an expected value could appear in a message: quoted, or alone as a token."""
    text = form.clean(value)
    quoted = [re.compile(re.escape(f"{open_}{text}{close}")) for open_, close in (('"', '"'), ("「", "」"), ("'", "'"))]
    return quoted + [re.compile(rf"期待[:：]\s*{re.escape(text)}"), re.compile(r"正解は")]


@pytest.mark.parametrize("path", CORE, ids=[p.parent.name for p in CORE])
def test_wrong_answers_score_zero_and_no_expected_value_is_printed(path, tmp_path):
    from kenshu.grading.selfcheck import run_selfcheck

    kit = make_kit(tmp_path / "kit")
    notebook, rights = wrong_submission(path)
    target = kit / "exercises" / path.parent.name / path.name
    nbformat.write(notebook, target)
    report = run_selfcheck(path=target)
    assert report.hidden_tests_used
    out = report.render()
    assert report.score == 0, out
    assert all("まだ正解ではありません" in r.message for r in report.results), out
    for right in rights:
        for pattern in shown(right):
            assert not pattern.search(out), f"{path.parent.name}: {pattern.pattern} in\n{out}"
