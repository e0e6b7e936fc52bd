"""A throwaway copy of the kit's grading folders, and stock nbgrader run in it, for grading tests."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def assignments() -> list[str]:
    from kenshu.cli.exercises import find_assignments

    return find_assignments(ROOT / "solutions")


def make_kit(target: Path) -> Path:
    """course/00 (marks the kit), grader config, solutions/ and the committed exercises/ (datasets stay put)."""
    (target / "course").mkdir(parents=True)
    shutil.copy(ROOT / "course" / "00_orientation.ipynb", target / "course")
    (target / "grader").mkdir()
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", target / "grader")
    shutil.copytree(ROOT / "solutions", target / "solutions")
    shutil.copytree(ROOT / "exercises", target / "exercises")
    return target


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENSHU_")}
    env["PYTHONIOENCODING"] = "utf-8"
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")  # nbgrader calls alembic
    env["KENSHU_DATASETS"] = str(ROOT / "datasets")
    env.update(extra)
    return env


def run(args: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=environment(), capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


def nbgrader(kit: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = run(["-m", "nbgrader", *args], cwd=kit / "grader")
    assert done.returncode == 0, f"nbgrader {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def released(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)


def solution(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def partial(assignment: str) -> nbformat.NotebookNode:
    """The solution with its first answer cell put back to the released stub: some questions right, one not."""
    notebook = copy.deepcopy(solution(assignment))
    stubs = {grade_id(c): c.source for c in released(assignment).cells}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            cell.source = stubs[grade_id(cell)]
            break
    return notebook


def submit(kit: Path, student: str, assignment: str, notebook: nbformat.NotebookNode) -> None:
    folder = kit / "grader" / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")


def scores(kit: Path, assignment: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{kit / 'grader' / 'gradebook.db'}", course_id="kenshu") as gradebook:
        found = gradebook.find_assignment(assignment)
        return {s.student.id: (s.score, s.max_score) for s in found.submissions}


def flags(kit: Path, student: str, assignment: str) -> list[dict]:
    path = kit / "grader" / "autograded" / student / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4).metadata.get("kenshu_grading", {}).get("flags", [])
