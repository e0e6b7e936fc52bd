"""A class of 40 generated learners from roster to HR records in one go, with the bad input a trainer meets:
kenshu class roster import → pack → collect → grade --jobs 2 → report → certificates."""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tests.support.grading_kit import flags, make_kit, notebook_scores, partial, released, run, solution

DEPARTMENTS = ("総務課", "市民課", "会計課", "福祉課")
SURNAMES = ("山本", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村")
GIVEN = ("花子", "健", "一郎", "美咲", "大輔")


def kenshu(kit: Path, *args: str):
    return run(["-m", "kenshu", *args], cwd=kit)


def learners() -> list[tuple[str, str, str]]:
    return [(str(2001 + i), f"{SURNAMES[i % 8]} {GIVEN[i % 5]}", DEPARTMENTS[i % 4]) for i in range(40)]


def duplicated_and_split(notebook):
    """What learners do in JupyterLab: an answer cell copied, and a test cell split in two (same metadata)."""
    done = copy.deepcopy(notebook)
    cells = []
    for cell in done.cells:
        cells.append(cell)
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "q1_answer":
            twin = copy.deepcopy(cell)
            twin["id"] = cell["id"]  # copied as file text: the same nbformat cell id too
            cells.append(twin)
        if meta.get("grade_id") == "q2":
            lines = cell.source.splitlines(keepends=True)
            cell.source = "".join(lines[:2])
            rest = copy.deepcopy(cell)
            rest.source = "".join(lines[2:])
            rest["id"] = cell["id"] + "-split"
            cells.append(rest)
    done.cells = cells
    return done


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    kit = make_kit(tmp_path_factory.mktemp("cycle"))
    built = kenshu(kit, "exercises", "build", "--assignment", "demo")
    assert built.returncode == 0, built.stdout + built.stderr
    outputs = {}

    bad_roster = kit / "名簿_重複.csv"
    bad_roster.write_text("受講者ID,氏名,所属課\n2001,山本 花子,総務課\n2001,佐藤 健,市民課\n,名前だけ,会計課\n",
                          encoding="utf-8")
    outputs["bad_roster"] = kenshu(kit, "class", "roster", "import", str(bad_roster))
    roster = kit / "名簿.csv"
    roster.write_text("受講者ID,氏名,所属課\n" + "".join(f"{i},{n},{d}\n" for i, n, d in learners()), encoding="utf-8")
    outputs["roster"] = kenshu(kit, "class", "roster", "import", str(roster))

    outputs["pack"] = kenshu(kit, "class", "pack", "demo", "--out", str(kit / "配布.zip"))

    shared = kit / "共有フォルダー"
    shared.mkdir()
    answers = {}
    for number, (learner, _, _) in enumerate(learners()):
        kind = ("solution", "partial", "blank")[number % 3]
        notebook = {"solution": solution, "partial": partial, "blank": released}[kind]("demo")
        if learner == "2005":
            notebook, kind = duplicated_and_split(solution("demo")), "duplicated"
        answers[learner] = kind
        # as JupyterLab saved it: nbformat.write would renumber the duplicated cell id
        (shared / f"demo_{learner}.ipynb").write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    (shared / "demo_2040.ipynb").unlink()
    answers.pop("2040")
    (shared / "demo_2040.ipynb").write_text("{ これはノートブックではありません", encoding="utf-8")  # corrupt
    nbformat.write(solution("lesson01"), shared / "lesson01_2039.ipynb")                 # another assignment
    nbformat.write(solution("demo"), shared / "demo_9999.ipynb")                          # not on the roster
    outputs["collect"] = kenshu(kit, "class", "collect", str(shared))

    outputs["grade"] = kenshu(kit, "class", "grade", "demo", "--jobs", "2", "--feedback")
    outputs["grade_again"] = kenshu(kit, "class", "grade", "demo", "--jobs", "2")
    outputs["report"] = kenshu(kit, "class", "report", "demo", "--out", str(kit / "研修結果.xlsx"))
    outputs["certificates"] = kenshu(kit, "class", "certificates", "demo", "--out", str(kit / "修了証"),
                                     "--date", "2027-04-15", "--hours", "3")
    return kit, outputs, answers


def test_a_bad_roster_is_reported_by_line_and_the_good_one_is_read(cycle):
    _, outputs, _ = cycle
    bad = outputs["bad_roster"]
    assert bad.returncode == 1 and "3 行目" in bad.stderr and "4 行目" in bad.stderr
    assert outputs["roster"].returncode == 0 and "40 人を読み込みました（所属課 4）" in outputs["roster"].stdout


def test_the_bundle_has_the_exercise_and_never_the_answers(cycle):
    kit, outputs, _ = cycle
    assert outputs["pack"].returncode == 0, outputs["pack"].stderr
    names = zipfile.ZipFile(kit / "配布.zip").namelist()
    assert any(n.endswith("exercises/demo/demo.ipynb") for n in names)
    assert not [n for n in names if "/solutions/" in f"/{n}" or "/grader/" in f"/{n}"]


def test_collect_takes_each_learner_once_and_says_why_it_left_the_rest(cycle):
    kit, outputs, answers = cycle
    out = outputs["collect"].stdout
    assert outputs["collect"].returncode == 0, outputs["collect"].stderr
    # 39 of demo, and 2039's lesson01 filed as lesson01 (recognised by its cells, whatever the file name)
    assert "取り込んだ提出: 40 件、取り込まなかったファイル: 2 件" in out
    assert len(list((kit / "grader" / "submitted").glob("*/demo/demo.ipynb"))) == len(answers) == 39
    assert (kit / "grader" / "submitted" / "2039" / "lesson01" / "lesson01.ipynb").is_file()
    assert "lesson01」は採点記録にまだありません" in out


def test_the_class_is_graded_in_parallel_and_a_copied_cell_does_not_stop_the_batch(cycle):
    kit, outputs, answers = cycle
    graded = outputs["grade"]
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "39 人を" in graded.stdout and "採点できた 39 人" in graded.stdout and "2005" in graded.stdout
    found = notebook_scores(kit, "demo")  # the core notebook: a learner passes on it
    assert set(found) == set(answers)
    full = found["2001"][1]
    for learner, kind in answers.items():
        if kind in ("solution", "duplicated"):
            assert found[learner] == (full, full), learner
        elif kind == "blank":
            assert found[learner][0] == 0, learner
        else:
            assert 0 < found[learner][0] < full, learner
    feedback = sorted(p.parent.parent.name for p in (kit / "grader" / "feedback").glob("*/demo/demo.html"))
    assert feedback == sorted(answers)
    page = (kit / "grader" / "feedback" / "2002" / "demo" / "demo.html").read_text(encoding="utf-8")
    assert "問1 の確認" in page and "BEGIN HIDDEN TESTS" not in page
    codes = {f["code"] for f in flags(kit, "2005", "demo")}
    assert "duplicated_cell" in codes
    assert not flags(kit, "2001", "demo")


def test_grading_again_only_grades_what_changed(cycle):
    _, outputs, _ = cycle
    again = outputs["grade_again"]
    assert again.returncode == 0 and "採点する提出はありません（採点済み 39 人）" in again.stdout


def test_report_and_certificates_cover_the_whole_class(cycle):
    kit, outputs, answers = cycle
    assert outputs["report"].returncode == 0, outputs["report"].stderr
    table = pd.read_excel(kit / "研修結果.xlsx", sheet_name="受講者", dtype={"受講者ID": str}).set_index("受講者ID")
    assert len(table) == 40  # the roster: a learner without a submission is listed too
    flagged = pd.read_excel(kit / "研修結果.xlsx", sheet_name="要確認", dtype={"受講者ID": str})
    assert "2005" in set(flagged["受講者ID"])
    assert outputs["certificates"].returncode == 0, outputs["certificates"].stderr
    record = pd.read_csv(kit / "修了証" / "研修記録.csv", encoding="utf-8-sig", dtype={"受講者ID": str})
    assert len(record) == 40
    passed = {learner for learner, (score, top) in notebook_scores(kit, "demo").items() if score >= 0.6 * top}
    assert {learner for learner, kind in answers.items() if kind in ("solution", "duplicated")} <= passed
    assert not passed & {learner for learner, kind in answers.items() if kind == "blank"}
    assert set(record.loc[record["結果"] == "修了", "受講者ID"]) == passed
    assert {p.stem.removeprefix("修了証_") for p in (kit / "修了証").glob("*.docx")} == passed
