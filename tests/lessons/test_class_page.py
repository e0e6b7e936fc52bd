"""The trainer's page (grader/class_admin.ipynb): each tab does what its kenshu class command does, with no terminal."""

from __future__ import annotations

import zipfile

import nbformat
import pandas as pd

from kenshu.lessons.class_page import class_admin, feedback_links
from tests.support.grading_kit import ROOT, make_kit, run, solution


def test_the_trainer_page_goes_from_roster_to_certificates(tmp_path, monkeypatch):
    kit = make_kit(tmp_path / "kit")
    assert run(["-m", "kenshu", "exercises", "build", "--assignment", "demo"], cwd=kit).returncode == 0
    grader = kit / "grader"
    (kit / "名簿.csv").write_text("受講者ID,氏名,所属課\n3001,山本 花子,総務課\n3002,佐藤 健,市民課\n", encoding="utf-8")
    shared = tmp_path / "提出"
    shared.mkdir()
    nbformat.write(solution("demo"), shared / "demo_3001.ipynb")
    nbformat.write(solution("demo"), shared / "demo_3002.ipynb")
    monkeypatch.chdir(grader)  # where the page's notebook runs
    monkeypatch.setenv("KENSHU_DATASETS", str(ROOT / "datasets"))

    page = class_admin()
    page.inputs["roster"].value = "名簿.csv"  # relative to the kit's folder
    page.buttons["roster"].click()
    assert (grader / "roster.csv").is_file()

    page.inputs["pack"].value = "demo"
    page.buttons["pack"].click()
    names = zipfile.ZipFile(grader / "受講者用_demo.zip").namelist()
    assert any(n.endswith("exercises/demo/demo.ipynb") for n in names) and not any("solutions/" in n for n in names)

    page.inputs["shared"].value = str(shared)
    page.buttons["collect"].click()
    assert sorted(p.name for p in (grader / "submitted").iterdir()) == ["3001", "3002"]

    page.inputs["grade"].value = "demo"
    page.inputs["jobs"].value = 2
    page.buttons["grade"].click()
    progress = page.outputs["progress"]
    assert (progress.value, progress.max, progress.bar_style) == (2, 2, "success")
    links = feedback_links(kit, "demo")
    assert "feedback/3001/demo/demo.html" in links and "3002（demo）" in links

    page.inputs["report"].value = "demo"
    page.buttons["report"].click()
    learners = pd.read_excel(grader / "研修結果.xlsx", sheet_name="受講者", dtype={"受講者ID": str})
    assert list(learners["受講者ID"]) == ["3001", "3002"]

    page.inputs["day"].value = "2027-04-15"
    page.buttons["certificates"].click()
    assert sorted(p.name for p in (grader / "修了証").glob("*.docx")) == ["修了証_3001.docx", "修了証_3002.docx"]


def test_a_missing_path_or_a_bad_roster_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    import IPython.display

    kit = make_kit(tmp_path / "kit")
    monkeypatch.chdir(kit / "grader")
    shown_html = []
    monkeypatch.setattr(IPython.display, "display", lambda item: shown_html.append(item.data))
    page = class_admin()
    page.buttons["roster"].click()
    assert "名簿のファイルの場所を入れてください" in capsys.readouterr().out
    (kit / "名簿.csv").write_text("受講者ID,氏名\n1,a\n1,b\n", encoding="utf-8")
    page.inputs["roster"].value = "名簿.csv"
    page.buttons["roster"].click()
    shown = "".join(shown_html) + capsys.readouterr().out
    assert "Traceback" not in shown and "3 行目" in shown and "読み込みませんでした" in shown
    assert not (kit / "grader" / "roster.csv").exists()
