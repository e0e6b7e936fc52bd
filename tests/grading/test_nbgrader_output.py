"""What stock nbgrader shows and writes with the kit's configuration (grader/nbgrader_config.py).

- ``nbgrader autograde`` does not warn "Attribute 'checksum' … has changed!" for honest learners: the
  learner's copy of a test cell lacks its hidden tests by design (jupyter/nbgrader#1961). A test cell the
  learner did change still warns, beside the kit's 要確認.
- ``nbgrader export`` writes grades.csv in UTF-8 with a BOM, so Excel reads Japanese IDs and names.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from tests.support.grading_kit import grade_id, make_kit, nbgrader, solution, submit

ASSIGNMENT = "practice"
CHECKSUM_WARNING = "Attribute 'checksum' for cell"
HONEST, TAMPERING = "山田花子", "佐藤_改変"


def _hidden_test_cells(notebook) -> list[str]:
    return [grade_id(c) for c in notebook.cells if "BEGIN HIDDEN TESTS" in c.source]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The practice assignment graded for an honest learner and one who edited a test cell; logs by learner."""
    kit = make_kit(tmp_path_factory.mktemp("output") / "kit", practice=True)
    nbgrader(kit, "db", "student", "add", HONEST, "--last-name=山田, 花子", "--first-name=花子")
    for name in (ASSIGNMENT, f"{ASSIGNMENT}_advanced"):
        submit(kit, HONEST, ASSIGNMENT, solution(ASSIGNMENT, name, root=kit), name)
        tampered = copy.deepcopy(solution(ASSIGNMENT, name, root=kit))
        for cell in tampered.cells:
            if grade_id(cell) == "q1":
                cell.source = "pass  # 確認を消しました"
        submit(kit, TAMPERING, ASSIGNMENT, tampered, name)
    logs = {}
    for student in (HONEST, TAMPERING):
        done = nbgrader(kit, "autograde", ASSIGNMENT, f"--student={student}")
        logs[student] = done.stdout + done.stderr
    nbgrader(kit, "export")
    return kit, logs


def test_the_practice_assignment_has_hidden_tests_to_warn_about(graded):
    kit, _ = graded
    assert _hidden_test_cells(solution(ASSIGNMENT, root=kit)) == ["q1", "q2"]


def test_an_honest_learner_gets_no_checksum_warning_and_no_review_flag(graded):
    _, logs = graded
    assert CHECKSUM_WARNING not in logs[HONEST], logs[HONEST]
    assert "要確認" not in logs[HONEST]


def test_a_changed_test_cell_still_warns_and_is_flagged(graded):
    _, logs = graded
    warnings = [line for line in logs[TAMPERING].splitlines() if CHECKSUM_WARNING in line]
    assert len(warnings) == 1 and f"{CHECKSUM_WARNING} q1 " in warnings[0], warnings  # q2 is as released
    assert "要確認" in logs[TAMPERING] and "確認（テスト）のセルを書き換えた" in logs[TAMPERING]


def test_grades_csv_has_a_bom_and_japanese_ids_round_trip(graded):
    kit, _ = graded
    path = kit / "grader" / "grades.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "山田花子".encode() in raw  # UTF-8, whatever the PC's own encoding
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                                   "email", "raw_score", "late_submission_penalty", "score", "max_score"]
    rows = table.set_index("student_id")
    assert set(rows.index) == {HONEST, TAMPERING}
    assert rows.loc[HONEST, "last_name"] == "山田, 花子"  # quoted: the comma does not shift the columns
    assert float(rows.loc[HONEST, "score"]) == float(rows.loc[HONEST, "max_score"]) > 0


def test_the_kits_exporter_is_nbgraders_configured_plugin():
    from traitlets.config.loader import PyFileConfigLoader

    from kenshu.grading.nbgrader_plugin import ExcelCsvExportPlugin
    from tests.support.grading_kit import ROOT

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "grader")).load_config()
    assert config.ExportApp.plugin_class is ExcelCsvExportPlugin


def test_the_venvs_nbgrader_run_directly_creates_the_gradebook_without_the_venv_on_path(tmp_path):
    """``.venv/bin/nbgrader`` from grader/ (no activated venv): nbgrader's `alembic` is found all the same."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.support.grading_kit import environment

    kit = make_kit(tmp_path / "kit")
    venv_bin = os.path.dirname(sys.executable)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and os.path.abspath(p) != os.path.abspath(venv_bin))
    if shutil.which("alembic", path=path):
        pytest.skip("alembic is installed outside the kit's environment too")
    env = {**environment(), "PATH": path}
    assert not (kit / "grader" / "gradebook.db").exists()
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "demo", "--force"],
                          cwd=kit / "grader", env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (kit / "grader" / "gradebook.db").stat().st_size > 0
