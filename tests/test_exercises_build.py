"""``kenshu exercises build`` never wipes a learner's answers saved in exercises/ without being told to."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from kenshu.cli.exercises import build_exercises, learner_changes
from tests.support.grading_kit import grade_id, make_kit, run

ASSIGNMENT = "practice"


@pytest.fixture
def kit(tmp_path):
    """A kit whose exercises/practice/ was just built (the other assignments are not built: only practice is)."""
    return make_kit(tmp_path / "kit", with_exercises=False, practice=True)


def build(kit: Path, *args: str):
    return run(["-m", "kenshu", "exercises", "build", "--assignment", ASSIGNMENT, *args], cwd=kit)


def answer(path: Path, text: str) -> None:
    """Type an answer into the first answer cell and save, as a learner does in JupyterLab."""
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution"))
    cell.source = cell.source.replace('answer_q1 = ""', f'answer_q1 = "{text}"')
    nbformat.write(notebook, path)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_saved_answers_and_extra_files_stop_the_build_and_nothing_changes(kit):
    folder = kit / "exercises" / ASSIGNMENT
    answer(folder / f"{ASSIGNMENT}.ipynb", "B")
    (folder / "メモ.txt").write_text("受講者のメモ", encoding="utf-8")
    (folder / f"{ASSIGNMENT}-Copy1.ipynb").write_bytes((folder / f"{ASSIGNMENT}.ipynb").read_bytes())
    before, gradebook = files(folder), (kit / "grader" / "gradebook.db").read_bytes()
    done = build(kit)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb（配ったときから書き換えられています）" in done.stderr
    assert f"exercises/{ASSIGNMENT}/メモ.txt（作り直しでは作られないファイルです）" in done.stderr
    assert f"exercises/{ASSIGNMENT}/{ASSIGNMENT}-Copy1.ipynb" in done.stderr
    assert f"{ASSIGNMENT}_advanced.ipynb" not in done.stderr  # untouched: not listed
    assert "--force" in done.stderr and "exercises/ の外" in done.stderr and "何も変更していません" in done.stderr
    assert "Traceback" not in done.stderr
    assert files(folder) == before
    assert (kit / "grader" / "gradebook.db").read_bytes() == gradebook


def test_force_rebuilds_over_the_learners_changes(kit, monkeypatch):
    folder = kit / "exercises" / ASSIGNMENT
    answer(folder / f"{ASSIGNMENT}.ipynb", "B")
    (folder / "メモ.txt").write_text("受講者のメモ", encoding="utf-8")
    monkeypatch.chdir(kit)
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    assert build_exercises(assignment=ASSIGNMENT) == 1
    assert build_exercises(assignment=ASSIGNMENT, force=True) == 0
    assert not (folder / "メモ.txt").exists()
    assert 'answer_q1 = "B"' not in (folder / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")


def test_leftovers_run_cells_and_an_updated_solution_do_not_stop_the_build(kit):
    folder = kit / "exercises" / ASSIGNMENT
    released = folder / f"{ASSIGNMENT}.ipynb"
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / f"{ASSIGNMENT}-checkpoint.ipynb").write_bytes(released.read_bytes())
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    notebook = nbformat.read(released, as_version=4)  # run without typing anything: outputs only
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="問1: 書き方は OK です\n")]
            cell.execution_count = 1
    nbformat.write(notebook, released)
    source = kit / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"  # the trainer rewords a question
    solution = nbformat.read(source, as_version=4)
    question = next(c for c in solution.cells if grade_id(c) == "q1_question")
    question.source += "\n\n（言い回しを直しました）"
    nbformat.write(solution, source)
    done = build(kit)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "（言い回しを直しました）" in released.read_text(encoding="utf-8")


def test_a_cell_the_learner_added_counts_as_work(kit, tmp_path):
    folder = kit / "exercises" / ASSIGNMENT
    fresh = shutil.copytree(folder, tmp_path / "fresh")  # what the build wrote
    assert learner_changes(folder, fresh) == []
    notebook = nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("自分用のメモ"))
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    assert learner_changes(folder, fresh) == [(f"{ASSIGNMENT}.ipynb", "配ったときから書き換えられています")]
