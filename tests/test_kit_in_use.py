"""A kit a trainer has used still passes its own checks.

After a day of teaching the kit holds what JupyterLab, Python and nbgrader wrote: ``.ipynb_checkpoints/``
beside every notebook opened (with whatever was typed in it), ``__pycache__/``, Word files from lesson 12,
and nbgrader's submissions, grading, feedback and gradebook in ``grader/``. None of it is part of the kit
(``kenshu.kitfiles``): the checks below must see the kit exactly as before, and git must not see it at all.
"""

from __future__ import annotations

import shutil
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

import nbformat
import pytest

from kenshu.kitfiles import GRADER_WORK, kit_files
from tests.support.grading_kit import ROOT, exercise_differences, make_kit, run
from tests.test_notebook_imports import notebooks

ASSIGNMENT = "lesson01"


def _typed_in(path: Path) -> bytes:
    """The notebook with an answer typed and an import that does not exist: a checkpoint of work in progress."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('from kenshu.no_such_module import nothing\nanswer_q1 = "A"'))
    return nbformat.writes(notebook).encode("utf-8")


def leftovers(kit: Path) -> dict[str, bytes]:
    """What a day of teaching leaves in a kit, by path relative to the kit."""
    lesson = kit / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    work = _typed_in(lesson)
    return {
        f"exercises/{ASSIGNMENT}/.ipynb_checkpoints/{ASSIGNMENT}-checkpoint.ipynb": work,
        f"exercises/{ASSIGNMENT}/__pycache__/helper.cpython-311.pyc": b"\0",
        f"exercises/{ASSIGNMENT}/.virtual_documents/{ASSIGNMENT}.ipynb": work,
        f"solutions/{ASSIGNMENT}/.ipynb_checkpoints/{ASSIGNMENT}-checkpoint.ipynb": work,
        "course/.ipynb_checkpoints/00_orientation-checkpoint.ipynb": work,
        "course/__pycache__/helper.cpython-311.pyc": b"\0",
        "course/ガイドライン/若葉市_生成AI利用ガイドライン.docx": b"PK\x03\x04",
        "course/ガイドライン/~$葉市_生成AI利用ガイドライン.docx": b"lock",
        "course/.DS_Store": b"\0",
        f"grader/submitted/山田花子/{ASSIGNMENT}/{ASSIGNMENT}.ipynb": work,
        f"grader/autograded/山田花子/{ASSIGNMENT}/{ASSIGNMENT}.ipynb": work,
        f"grader/feedback/山田花子/{ASSIGNMENT}/{ASSIGNMENT}.html": b"<html></html>",
        f"grader/release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb": work,
        "grader/gradebook.db": b"SQLite format 3\0",
        "grader/grades.csv": "\ufeffassignment,student_id\n".encode(),
        "grader/.nbgrader.log": b"[AutogradeApp | INFO]\n",
        "grader/roster.csv": "受講者ID,氏名,所属課\n1001,山本 花子,総務課\n".encode(),
        "研修結果.xlsx": b"PK\x03\x04",
        "修了証/1001_山本花子.docx": b"PK\x03\x04",
    }


def litter(kit: Path) -> list[str]:
    made = leftovers(kit)
    for name, content in made.items():
        path = kit / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # the build's own gradebook stays
            path.write_bytes(content)
    return sorted(made)


@pytest.fixture(scope="module")
def used(tmp_path_factory):
    """(a kit built from solutions/, then used; its exercises/ as built, before use)."""
    kit = make_kit(tmp_path_factory.mktemp("used") / "kit", with_exercises=False)
    build = run(["-m", "kenshu", "exercises", "build", "--assignment", ASSIGNMENT], cwd=kit)
    assert build.returncode == 0, build.stdout + build.stderr
    as_built = shutil.copytree(kit / "exercises", tmp_path_factory.mktemp("as-built") / "exercises")
    litter(kit)
    return kit, as_built


def test_the_leftovers_are_really_there(used):
    kit, _ = used
    assert all((kit / name).is_file() for name in leftovers(kit))


def test_the_exercises_still_match_the_build_and_a_real_difference_still_shows(used):
    kit, as_built = used
    assert exercise_differences(as_built, kit / "exercises") == []
    stray = kit / "exercises" / ASSIGNMENT / "メモ.txt"
    stray.write_text("受講者のメモ", encoding="utf-8")
    try:
        [difference] = exercise_differences(as_built, kit / "exercises")
        assert "メモ.txt" in difference
    finally:
        stray.unlink()


def test_the_notebook_checks_see_the_kits_notebooks_only(used):
    kit, _ = used
    found = {path.relative_to(kit).as_posix() for path in notebooks(kit)}
    assert f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb" in found and "course/00_orientation.ipynb" in found
    assert not [name for name in found if ".ipynb_checkpoints" in name or ".virtual_documents" in name]


def test_a_copy_of_a_used_kit_for_the_grading_tests_leaves_the_leftovers_behind(used, tmp_path):
    kit, _ = used
    copy = make_kit(tmp_path / "copy", source=kit)
    for folder in ("exercises", "solutions"):
        assert kit_files(copy / folder) == kit_files(kit / folder)
        every = {p.relative_to(copy / folder).as_posix() for p in (copy / folder).rglob("*") if p.is_file()}
        assert every == set(kit_files(copy / folder)), every - set(kit_files(copy / folder))


def test_rebuilding_a_used_kit_is_not_stopped_by_leftovers(used, tmp_path):
    kit, _ = used
    copy = shutil.copytree(kit, tmp_path / "kit")
    done = run(["-m", "kenshu", "exercises", "build", "--assignment", ASSIGNMENT], cwd=copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "作り直すと" not in done.stderr


# ---------------------------------------------------------------------------- .gitignore

def _ignore_patterns() -> list[str]:
    lines = [line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()]
    patterns = [line for line in lines if line and not line.startswith("#")]
    assert not [p for p in patterns if p.startswith("!")], "this matcher does not handle negation"
    return patterns


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether git ignores ``path`` (a file, relative to the kit) under these patterns (no ``!`` lines).

    As git does: a pattern with a slash before its end is anchored at the top, otherwise it matches any
    part of the path; a trailing slash matches folders only; ``*`` never crosses a slash.
    """
    parts = PurePosixPath(path).parts
    for pattern in patterns:
        folder_only = pattern.endswith("/")
        body = pattern.strip("/")
        segments = body.split("/")
        anchored = "/" in body or pattern.startswith("/")
        last = len(parts) - 1 if folder_only else len(parts)  # a folder pattern cannot match the file itself
        for end in range(1, last + 1):
            if anchored:
                hit = end == len(segments) and all(fnmatch(p, s) for p, s in zip(parts[:end], segments, strict=True))
            else:
                hit = fnmatch(parts[end - 1], body)
            if hit:
                return True
    return False


KIT_FILES = ("course/00_orientation.ipynb", "course/12_own_guideline.ipynb", f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
             f"solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", "grader/nbgrader_config.py", "grader/README.md",
             "kenshu/kitfiles.py", "run.py", "datasets/accounting/manual.md", "docs/workshop.md")


@pytest.mark.parametrize("name", sorted(leftovers(ROOT)))
def test_git_ignores_what_a_used_kit_gathers(name):
    assert ignored(name, _ignore_patterns()), f".gitignore does not cover {name}"


@pytest.mark.parametrize("work", GRADER_WORK)
def test_git_ignores_all_of_nbgraders_work_in_grader(work):
    name = f"grader/{work.replace('*', 'autograde')}"
    assert ignored(name, _ignore_patterns()) or ignored(f"{name}/x/y.ipynb", _ignore_patterns())


@pytest.mark.parametrize("name", KIT_FILES)
def test_git_still_sees_the_kits_own_files(name):
    assert not ignored(name, _ignore_patterns()), f".gitignore hides {name}"


def test_the_matcher_reads_patterns_as_git_does():
    assert ignored("a/b/__pycache__/x.pyc", ["__pycache__/"]) and not ignored("a/__pycache__", ["__pycache__/"])
    assert ignored("grader/x.log", ["grader/*.log"]) and not ignored("grader/sub/x.log", ["grader/*.log"])
    assert not ignored("solutions/grader/x.log", ["grader/*.log"])
    assert ignored("course/ガイドライン/a.docx", ["course/ガイドライン/"]) and not ignored("ガイドライン/a.docx", ["course/ガイドライン/"])
