"""Every lesson runs to the end without an error, whatever the model answers.

The server on 127.0.0.1 answers like a real model, with none of the practice engine's habits
(``tests.support.any_model``). A lesson cell that only works with the engine's answers (parsing them,
counting on their shape) shows up here as an error output, which a learner on a real backend would meet as a
traceback.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from tests.support.any_model import another_model
from tests.support.grading_kit import ROOT

LESSONS = sorted((ROOT / "course").glob("*.ipynb"))


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    kit = tmp_path_factory.mktemp("kit")
    shutil.copytree(ROOT / "course", kit / "course", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "exercises" / "demo", kit / "exercises" / "demo")  # lesson 00 opens it
    return kit


@pytest.mark.parametrize("lesson", LESSONS, ids=[path.stem for path in LESSONS])
def test_the_lesson_runs_without_an_error_whatever_the_model_answers(lesson, kit, monkeypatch):
    path = kit / "course" / lesson.name
    notebook = nbformat.read(path, as_version=4)
    with another_model(monkeypatch, kit / "audit.sqlite3"):
        NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [f"cell {number}: {output['ename']}: {output['evalue'][:300]}"
              for number, cell in enumerate(notebook.cells) if cell.cell_type == "code"
              for output in cell.outputs if output.get("output_type") == "error"]
    assert errors == [], "\n".join(errors)
