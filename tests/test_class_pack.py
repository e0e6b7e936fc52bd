"""``kenshu class pack``: a learner's bundle without answers, and self-check inside it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kenshu.cli import main
from kenshu.cli.class_pack import PackError, pack

ROOT = Path(__file__).resolve().parent.parent


def make_kit(root: Path) -> Path:
    files = {
        "course/00_orientation.ipynb": "{}", "exercises/demo/demo.ipynb": "{}", "exercises/lesson01/lesson01.ipynb": "{}",
        "solutions/demo/demo.ipynb": "{}", "grader/gradebook.db": "x", "grader/submitted/s1/demo/demo.ipynb": "{}",
        "kenshu.toml": 'api_key = "sk-secret"', "course/kenshu.toml": 'api_key = "sk-secret"',
        "kenshu/__init__.py": "", "kenshu/__pycache__/x.cpython-311.pyc": "", "tests/test_x.py": "",
        "exercises/demo/.ipynb_checkpoints/demo-checkpoint.ipynb": "{}", "datasets/inquiries.csv": "a\n",
        "run.py": "", "README.md": "", ".venv/bin/python": "", "kenshu.egg-info/PKG-INFO": "",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def names_in(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        return {name.split("/", 1)[1] for name in archive.namelist()}


def test_a_bundle_leaves_out_answers_grades_settings_and_machine_files(tmp_path):
    kit = make_kit(tmp_path / "kit")
    names = names_in(pack(output=tmp_path / "bundle.zip", folder=kit))
    assert names == {"course/00_orientation.ipynb", "exercises/demo/demo.ipynb", "exercises/lesson01/lesson01.ipynb",
                     "kenshu/__init__.py", "datasets/inquiries.csv", "run.py", "README.md"}


def test_a_bundle_of_chosen_assignments_holds_only_their_exercises(tmp_path):
    kit = make_kit(tmp_path / "kit")
    names = names_in(pack(["demo"], output=tmp_path / "demo.zip", folder=kit))
    assert "exercises/demo/demo.ipynb" in names and "exercises/lesson01/lesson01.ipynb" not in names


def test_an_unknown_assignment_is_named_with_the_ones_that_exist(tmp_path):
    kit = make_kit(tmp_path / "kit")
    with pytest.raises(PackError) as caught:
        pack(["lesson99"], output=tmp_path / "x.zip", folder=kit)
    assert "lesson99" in caught.value.what and "demo" in caught.value.todo
    assert not (tmp_path / "x.zip").exists()


def test_self_check_in_a_bundle_uses_the_visible_tests_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["class", "pack", "demo", "--out", str(tmp_path / "bundle.zip")]) == 0
    assert "solutions/" in capsys.readouterr().out
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        archive.extractall(tmp_path / "unpacked")
    [bundle] = (tmp_path / "unpacked").iterdir()
    assert not (bundle / "solutions").exists() and not (bundle / "grader").exists()
    from kenshu.grading.selfcheck import VISIBLE_ONLY_NOTE, run_selfcheck

    notebook = bundle / "exercises" / "demo" / "demo.ipynb"
    monkeypatch.chdir(notebook.parent)
    report = run_selfcheck(path=notebook)
    assert not report.hidden_tests_used
    assert VISIBLE_ONLY_NOTE in report.render()
