"""The grading pipeline with real nbgrader: solutions/ → exercises/ → autograde → scores."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kenshu.grading.expect import expect_equal, expect_true, expect_type
from tests.support.grading_kit import exercise_differences, make_kit

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "demo"
MAX_SCORE = 4.0


def _env(**extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KENSHU_")}
    environ["PYTHONIOENCODING"] = "utf-8"
    environ.update(extra)
    return environ


def _run(args: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=_env(**extra), capture_output=True,
                          text=True, encoding="utf-8", timeout=180)


def _make_kit(target: Path) -> Path:
    return make_kit(target, with_exercises=False)


@pytest.fixture(scope="module")
def graded_kit(tmp_path_factory):
    """A copy of the kit whose exercises/ was rebuilt with ``kenshu exercises build`` (scores: tests/grading/)."""
    kit = _make_kit(tmp_path_factory.mktemp("kit"))
    build = _run(["-m", "kenshu", "exercises", "build"], cwd=kit)  # no venv on PATH: kenshu finds alembic itself
    assert build.returncode == 0, build.stdout + build.stderr
    return kit


# (a) exercises/ は solutions/ から生成したものと一致している（使用中のキットでも: tests/test_kit_in_use.py）

def test_the_committed_exercises_match_a_fresh_build(graded_kit):
    assert exercise_differences(graded_kit / "exercises", ROOT / "exercises") == []


def test_the_released_notebook_has_no_solutions_or_hidden_tests(tmp_path):
    kit = make_kit(tmp_path / "kit", practice=True)
    text = (kit / "exercises" / "practice" / "practice.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "judge_"):
        assert marker not in text
    notebook = nbformat.reads(text, as_version=4)
    [answer] = [c for c in notebook.cells if c.metadata["nbgrader"].get("grade_id") == "q1_answer"]
    assert answer.source.strip().splitlines()[-1] == 'answer_q1 = ""'  # the blank answer, quotes in place
    assert 'answer_q1 = "B"' not in answer.source.splitlines()
    advanced = nbformat.read(kit / "exercises" / "practice" / "practice_advanced.ipynb", as_version=4)
    [function] = [c for c in advanced.cells if c.metadata["nbgrader"].get("grade_id") == "h1_answer"]
    compile(function.source, "h1_answer", "exec")  # still valid Python once the solution is gone
    assert "return len" not in function.source
    tests = [c for c in notebook.cells if c.metadata["nbgrader"].get("grade")]
    assert tests and all(c.metadata.get("editable") is False and c.metadata.get("deletable") is False for c in tests)


# (c) 壊れたノートブックは日本語のメッセージで止まる

def test_a_broken_notebook_stops_the_build_in_japanese(tmp_path):
    kit = _make_kit(tmp_path / "kit")
    broken = kit / "solutions" / "broken"
    broken.mkdir()
    (broken / "broken.ipynb").write_text('{"cells": [,\n}', encoding="utf-8")
    done = _run(["-m", "kenshu", "exercises", "build"], cwd=kit)
    assert done.returncode == 1
    assert "solutions/broken/broken.ipynb はノートブックとして読めません" in done.stderr
    assert "1 行目" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (kit / "exercises" / "demo").exists()  # nothing is half-built


def test_an_unknown_assignment_is_named_in_japanese(tmp_path):
    kit = _make_kit(tmp_path / "kit")
    done = _run(["-m", "kenshu", "exercises", "build", "--assignment", "nope"], cwd=kit)
    assert done.returncode == 1
    assert "課題「nope」が solutions/ にありません" in done.stderr and "demo" in done.stderr
    assert "Traceback" not in done.stderr


# kenshu.grading.expect

def test_expect_equal_passes_and_explains_a_difference():
    expect_equal(5, 5, what="文字数")
    with pytest.raises(AssertionError) as caught:
        expect_equal(6, 5, what="文字数", hint="半角スペースは数えません")
    assert str(caught.value) == "（文字数）が違います。期待: 5／実際: 6。ヒント: 半角スペースは数えません"
    with pytest.raises(AssertionError, match=r"^（答え）が違います。期待: 'B'／実際: 'A'。$"):
        expect_equal("A", "B", what="答え")


def test_expect_equal_shortens_long_values():
    with pytest.raises(AssertionError) as caught:
        expect_equal("あ" * 500, "", what="文章")
    assert len(str(caught.value)) < 200 and "…" in str(caught.value)


def test_expect_type_names_the_kinds_in_japanese():
    expect_type("B", str, what="answer_q1")
    expect_type(3, (int, float), what="点数")
    with pytest.raises(AssertionError, match="期待: 文字列.*実際: 整数（1）"):
        expect_type(1, str, what="answer_q1")
    with pytest.raises(AssertionError, match="実際: True か False"):
        expect_type(True, int, what="件数")  # bool is not accepted as a number


def test_expect_true_states_the_rule():
    expect_true(1 < 2, what="1 は 2 より小さい")
    with pytest.raises(AssertionError) as caught:
        expect_true("", what="答えが空でない", hint="\"\" の中に書きます")
    assert str(caught.value) == "（答えが空でない）を満たしていません。ヒント: \"\" の中に書きます"
