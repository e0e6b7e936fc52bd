"""A throwaway copy of the kit's grading folders, and stock nbgrader run in it, for grading tests."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from kenshu.kitfiles import LEFTOVER_PATTERNS, kit_files

ROOT = Path(__file__).resolve().parents[2]
# assignments made for the grading tests, independent of the lessons' content
FIXTURES = Path(__file__).resolve().parent / "assignments"


def assignments() -> list[str]:
    from kenshu.cli.exercises import find_assignments

    return find_assignments(ROOT / "solutions")


def make_kit(target: Path, *, with_exercises: bool = True, practice: bool = False, source: Path = ROOT) -> Path:
    """course/00 (marks the kit), grader config, solutions/ and exercises/ (datasets stay put).

    Without ``with_exercises`` the exercises/ folder holds only its README, ready for a fresh build.
    With ``practice`` the test assignment ``practice`` (a core and an 発展 notebook) is added and built.
    What a kit in use gathers (``.ipynb_checkpoints/``, ``__pycache__/``: kenshu.kitfiles) is not copied.
    """
    leftovers = shutil.ignore_patterns(*LEFTOVER_PATTERNS)
    (target / "course").mkdir(parents=True)
    shutil.copy(source / "course" / "00_orientation.ipynb", target / "course")
    (target / "grader").mkdir()
    shutil.copy(source / "grader" / "nbgrader_config.py", target / "grader")
    shutil.copytree(source / "solutions", target / "solutions", ignore=leftovers)
    if with_exercises:
        shutil.copytree(source / "exercises", target / "exercises", ignore=leftovers)
    else:
        (target / "exercises").mkdir()
        shutil.copy(source / "exercises" / "README.md", target / "exercises")
    if practice:
        shutil.copytree(FIXTURES / "practice", target / "solutions" / "practice")
        done = run(["-m", "kenshu", "exercises", "build", "--assignment", "practice"], cwd=target)
        assert done.returncode == 0, done.stdout + done.stderr
    return target


def exercise_differences(fresh: Path, committed: Path) -> list[str]:
    """How ``committed`` (an exercises/ folder) differs from ``fresh`` (a new build), in Japanese; [] when alike.

    Files are compared as the kit's files (kenshu.kitfiles: without checkpoints and caches), notebooks by
    their cells' type, source and metadata (nbgrader's checksums are stable from run to run).
    """
    import json

    def cells(path: Path) -> list[dict]:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        return [{k: cell.get(k) for k in ("cell_type", "source", "metadata")} for cell in notebook["cells"]]

    found, built = [], kit_files(fresh)
    if built != kit_files(committed):
        extra = sorted(set(kit_files(committed)) - set(built))
        missing = sorted(set(built) - set(kit_files(committed)))
        found.append(f"exercises/ のファイル構成が solutions/ と合っていません（余分: {extra}、不足: {missing}）。"
                     "`kenshu exercises build` を実行してください。")
    for name in built:
        twin = committed / name
        if name.endswith(".ipynb") and twin.is_file() and cells(fresh / name) != cells(twin):
            found.append(f"{twin} が古いままです。`kenshu exercises build` を実行してください。")
    return found


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


def notebooks(assignment: str, root: Path = ROOT) -> list[str]:
    """The notebooks of an assignment: the core one first, then the 発展 one if there is one."""
    names = sorted(p.stem for p in (root / "solutions" / assignment).glob("*.ipynb"))
    return sorted(names, key=lambda name: name != assignment)


def released(assignment: str, notebook: str | None = None, root: Path = ROOT) -> nbformat.NotebookNode:
    return nbformat.read(root / "exercises" / assignment / f"{notebook or assignment}.ipynb", as_version=4)


def solution(assignment: str, notebook: str | None = None, root: Path = ROOT) -> nbformat.NotebookNode:
    return nbformat.read(root / "solutions" / assignment / f"{notebook or assignment}.ipynb", as_version=4)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def partial(assignment: str, notebook: str | None = None, root: Path = ROOT) -> nbformat.NotebookNode:
    """The solution with its first answer cell put back to the released stub: some questions right, one not."""
    solved = copy.deepcopy(solution(assignment, notebook, root))
    stubs = {grade_id(c): c.source for c in released(assignment, notebook, root).cells}
    for cell in solved.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            cell.source = stubs[grade_id(cell)]
            break
    return solved


def submit(kit: Path, student: str, assignment: str, notebook: nbformat.NotebookNode, name: str | None = None) -> None:
    folder = kit / "grader" / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{name or assignment}.ipynb")


def scores(kit: Path, assignment: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{kit / 'grader' / 'gradebook.db'}", course_id="kenshu") as gradebook:
        found = gradebook.find_assignment(assignment)
        return {s.student.id: (s.score, s.max_score) for s in found.submissions}


def notebook_scores(kit: Path, assignment: str, notebook: str | None = None) -> dict[str, tuple[float, float]]:
    """Student -> (score, max score) of one notebook of the assignment (default: the core one)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{kit / 'grader' / 'gradebook.db'}", course_id="kenshu") as gradebook:
        found = gradebook.find_assignment(assignment)
        return {s.student.id: next((n.score, n.max_score) for n in s.notebooks if n.name == (notebook or assignment))
                for s in found.submissions}


def flags(kit: Path, student: str, assignment: str, notebook: str | None = None) -> list[dict]:
    path = kit / "grader" / "autograded" / student / assignment / f"{notebook or assignment}.ipynb"
    return nbformat.read(path, as_version=4).metadata.get("kenshu_grading", {}).get("flags", [])


ALWAYS_EQUAL = ("class _Yes:\n    def __eq__(self, other):\n        return True\n    __ne__ = lambda self, other: False\n"
                "    __hash__ = object.__hash__\n    __len__ = lambda self: 1\n")


def answer_names(assignment: str, notebook: str | None = None, root: Path = ROOT) -> tuple[set[str], set[str]]:
    """(values, functions) the solution's answer cells define."""
    import ast

    values, functions = set(), set()
    for cell in solution(assignment, notebook, root).cells:
        if not (cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef):
                functions.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                values |= {t.id for t in targets if isinstance(t, ast.Name)}
    return values, functions


def always_equal(assignment: str, notebook_name: str | None = None, root: Path = ROOT) -> nbformat.NotebookNode:
    """The blank notebook where, after each answer cell, every answer is an object equal to anything."""
    notebook = copy.deepcopy(released(assignment, notebook_name, root))
    values, functions = answer_names(assignment, notebook_name, root)
    lines = [ALWAYS_EQUAL] + [f"{name} = _Yes()" for name in sorted(values)]
    lines += [f"def {name}(*args, **kwargs):\n    return _Yes()" for name in sorted(functions)]
    cheat = "\n".join(lines)
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(cheat))
    notebook.cells = cells
    return notebook


def tampered(assignment: str, kit: Path, notebook_name: str | None = None, root: Path = ROOT) -> nbformat.NotebookNode:
    """The blank notebook with every test cell emptied and the usual tricks on IPython and builtins."""
    notebook = copy.deepcopy(released(assignment, notebook_name, root))
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            cell.source = "pass"
    notebook.cells.insert(0, nbformat.v4.new_code_cell(
        "import builtins\nip = get_ipython()\n"
        "ip.input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"
        "ip.set_custom_exc((BaseException,), lambda *a, **k: None)\n"
        "builtins.AssertionError = Warning\n"
        f"secret = open(r'{kit}/solutions/{assignment}/{assignment}.ipynb').read()"))
    return notebook
