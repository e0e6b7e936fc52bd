"""A class from roster to HR records, with stock nbgrader grading in between: kenshu class roster import,
collect (from a shared folder as submissions really come back), report and certificates."""

from __future__ import annotations

import copy
import json
import os
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from kenshu.classroom.roster import read_roster
from kenshu.errors import ClassroomError
from tests.support.grading_kit import make_kit, nbgrader, partial, released, run, solution

ROSTER = "受講者ID,氏名,所属課\n1001,山本 花子,総務課\n1002,佐藤 健,市民課\n1003,鈴木 一郎,総務課\n"


def kenshu(kit: Path, *args: str):
    return run(["-m", "kenshu", *args], cwd=kit)


def put(path: Path, notebook, *, age_minutes: float = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    stamp = time.time() - age_minutes * 60
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    kit = make_kit(tmp_path_factory.mktemp("class"))
    built = kenshu(kit, "exercises", "build", "--assignment", "demo")  # puts the assignment in the gradebook
    assert built.returncode == 0, built.stdout + built.stderr
    roster = kit / "名簿.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    done = kenshu(kit, "class", "roster", "import", str(roster))
    assert done.returncode == 0 and "3 人を読み込みました" in done.stdout, done.stdout + done.stderr

    shared = kit / "共有"
    wrong = copy.deepcopy(released("demo"))
    put(shared / "1001" / "demo.ipynb", solution("demo"), age_minutes=30)
    put(shared / "demo_1002.ipynb", wrong, age_minutes=60)            # an older copy …
    put(shared / "demo_1002 (2).ipynb", partial("demo"), age_minutes=10)  # … and the newer one
    put(shared / "1003_demo - コピー.ipynb", released("demo"), age_minutes=20)
    put(shared / "9999_demo.ipynb", solution("demo"))
    (shared / "メモ.txt").write_text("提出します", encoding="utf-8")
    (shared / "1001" / "demo_advanced.ipynb").write_text("{ not json", encoding="utf-8")
    collected = kenshu(kit, "class", "collect", str(shared), "--csv", str(kit / "collect.csv"))
    assert collected.returncode == 0, collected.stdout + collected.stderr
    nbgrader(kit, "autograde", "demo")
    return kit, collected.stdout


def submitted(kit: Path) -> dict[str, list[str]]:
    folder = kit / "grader" / "submitted"
    return {p.name: sorted(n.name for n in (p / "demo").iterdir()) for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- the roster

def test_a_roster_with_bad_rows_is_reported_by_line_and_nothing_is_read(tmp_path):
    path = tmp_path / "名簿.csv"
    path.write_text("受講者ID,氏名,所属課\n1001,山本 花子,総務課\n1001,佐藤 健,市民課\n,鈴木 一郎,総務課\n10/4,田中,税務課\n"
                    "1005,,税務課\n", encoding="utf-8")
    with pytest.raises(ClassroomError) as caught:
        read_roster(path)
    message = caught.value.what
    for expected in ("3 行目: 受講者ID「1001」が 2 行目と重複", "4 行目: 受講者ID が空", "5 行目: 受講者ID「10/4」は使えません",
                     "6 行目: 氏名が空"):
        assert expected in message


def test_a_roster_saved_by_excel_as_cp932_csv_or_xlsx_is_read(tmp_path):
    csv = tmp_path / "名簿.csv"
    csv.write_bytes(ROSTER.encode("cp932"))
    assert [x.name for x in read_roster(csv)] == ["山本 花子", "佐藤 健", "鈴木 一郎"]
    xlsx = tmp_path / "名簿.xlsx"
    pd.read_csv(csv, encoding="cp932", dtype=str).rename(columns={"受講者ID": "職員番号", "所属課": "所属"}).to_excel(xlsx, index=False)
    learners = read_roster(xlsx)
    assert learners[0].id == "1001" and learners[0].department == "総務課" and learners[0].names == ("山本", "花子")


def test_a_roster_without_an_id_column_names_the_columns_it_needs(tmp_path):
    path = tmp_path / "名簿.csv"
    path.write_text("名前,課\n山本,総務課\n", encoding="utf-8")
    with pytest.raises(ClassroomError, match="受講者ID"):
        read_roster(path)


def test_the_roster_is_in_the_gradebook_for_nbgrader(graded_class):
    from nbgrader.api import Gradebook

    kit, _ = graded_class
    with Gradebook(f"sqlite:///{kit / 'grader' / 'gradebook.db'}", course_id="kenshu") as gradebook:
        student = gradebook.find_student("1001")
        assert (student.last_name, student.first_name) == ("山本", "花子")


# ---------------------------------------------------------------- collect

def test_collect_takes_the_newest_copy_per_learner_and_says_why_for_every_file(graded_class):
    kit, output = graded_class
    assert submitted(kit) == {"1001": ["demo.ipynb", "timestamp.txt"], "1002": ["demo.ipynb", "timestamp.txt"],
                              "1003": ["demo.ipynb", "timestamp.txt"]}
    assert "取り込んだ提出: 3 件、取り込まなかったファイル: 4 件" in output
    lines = pd.read_csv(kit / "collect.csv", encoding="utf-8-sig").set_index("ファイル")
    assert "より新しいコピー（demo_1002 (2).ipynb）" in lines.loc["demo_1002.ipynb", "理由"]
    assert "名簿にある受講者ID" in lines.loc["9999_demo.ipynb", "理由"]
    assert "ノートブック（.ipynb）ではありません" in lines.loc["メモ.txt", "理由"]
    assert "壊れています" in lines.loc["1001/demo_advanced.ipynb", "理由"]
    taken = json.loads((kit / "grader/submitted/1002/demo/demo.ipynb").read_text(encoding="utf-8"))
    assert taken == json.loads(nbformat.writes(partial("demo")))


def test_collect_never_replaces_a_newer_submission_with_an_older_one(graded_class, tmp_path):
    kit, _ = graded_class
    before = (kit / "grader/submitted/1001/demo/demo.ipynb").read_bytes()
    late = tmp_path / "後から"
    put(late / "1001_demo.ipynb", released("demo"), age_minutes=600)
    done = kenshu(kit, "class", "collect", str(late))
    assert done.returncode == 0 and "より新しい提出" in done.stdout
    assert (kit / "grader/submitted/1001/demo/demo.ipynb").read_bytes() == before


def test_collect_without_a_roster_says_to_import_one_first(tmp_path):
    kit = make_kit(tmp_path / "kit")
    (tmp_path / "共有").mkdir()
    done = kenshu(kit, "class", "collect", str(tmp_path / "共有"))
    assert done.returncode == 1 and "class roster import" in done.stderr


# ---------------------------------------------------------------- report and certificates

def test_the_report_has_learners_departments_questions_and_a_chart(graded_class, tmp_path):
    kit, _ = graded_class
    out = tmp_path / "研修結果.xlsx"
    done = kenshu(kit, "class", "report", "demo", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["受講者", "所属課", "問ごと", "要確認"]
    learners = pd.read_excel(out, sheet_name="受講者", dtype={"受講者ID": str}).set_index("受講者ID")
    assert learners.loc["1001", "修了"] == "修了" and learners.loc["1003", "修了"] == "未修了"
    assert learners.loc["1001", "所属課"] == "総務課"
    departments = pd.read_excel(out, sheet_name="所属課").set_index("所属課")
    assert departments.loc["総務課", "人数"] == 2 and departments.loc["市民課", "人数"] == 1
    questions = pd.read_excel(out, sheet_name="問ごと")
    assert len(questions) and set(questions["問"]).issubset({f"問{i}" for i in range(1, 20)})
    assert (questions["採点した人数"] == 3).all()
    assert book["問ごと"]._charts, "no chart"
    assert out.with_suffix(".csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_certificates_only_for_those_who_completed_and_a_record_for_everyone(graded_class, tmp_path):
    kit, _ = graded_class
    out = tmp_path / "修了証"
    done = kenshu(kit, "class", "certificates", "demo", "--out", str(out), "--course", "生成AI研修（基本）",
                  "--date", "2027-04-15", "--hours", "3.5")
    assert done.returncode == 0, done.stdout + done.stderr
    record = pd.read_csv(out / "研修記録.csv", encoding="utf-8-sig", dtype={"受講者ID": str}).set_index("受講者ID")
    assert list(record.columns) == ["氏名", "所属課", "研修名", "実施日", "時間", "結果"]
    assert record.loc["1003", "結果"] == "未修了" and record.loc["1001", "実施日"] == "2027-04-15"
    passed = set(record.index[record["結果"] == "修了"])
    assert {p.name for p in out.glob("*.docx")} == {f"修了証_{i}.docx" for i in passed}
    text = "\n".join(p.text for p in Document(str(out / "修了証_1001.docx")).paragraphs)
    assert "山本 花子" in text and "生成AI研修（基本）" in text and "令和9年4月15日" in text


# ---------------------------------------------------------------- feedback

ENGLISH_LABELS = ("Test cell", "Student's answer", "Score:", "(Top)", "Grade cell", "Comments:", "No response.")


def _feedback(kit: Path, student: str) -> str:
    return (kit / "grader" / "feedback" / student / "demo" / "demo.html").read_text(encoding="utf-8")


def test_the_feedback_a_learner_receives_is_japanese_and_has_no_hidden_tests(graded_class):
    kit, _ = graded_class
    nbgrader(kit, "generate_feedback", "demo", "--force")
    page = _feedback(kit, "1002")
    assert '<html lang="ja">' in page and "得点:" in page and "問1 の確認" in page and "あなたの答え（問1）" in page
    assert not [label for label in ENGLISH_LABELS if label in page]
    assert "BEGIN HIDDEN TESTS" not in page and "非公開のテストは表示しません" in page


def test_the_formgraders_feedback_button_uses_the_same_japanese_template(graded_class):
    kit, _ = graded_class
    code = ("from kenshu.cli.exercises import nbgrader_api; from pathlib import Path; "
            "result = nbgrader_api(Path('grader')).generate_feedback('demo', student_id='1003', force=True); "
            "assert result['success'], result")
    done = run(["-c", code], cwd=kit)
    assert done.returncode == 0, done.stdout + done.stderr
    page = _feedback(kit, "1003")
    assert "得点:" in page and not [label for label in ENGLISH_LABELS if label in page]


def test_a_full_disk_during_collect_is_a_japanese_message_and_leaves_no_half_written_file(tmp_path, monkeypatch):
    import errno

    from kenshu.classroom.collect import collect

    kit = make_kit(tmp_path / "kit")
    (kit / "名簿.csv").write_text(ROSTER, encoding="utf-8")
    assert kenshu(kit, "class", "roster", "import", str(kit / "名簿.csv")).returncode == 0
    shared = tmp_path / "共有"
    put(shared / "demo_1001.ipynb", solution("demo"))
    real_write = Path.write_bytes

    def full(self, data):
        if self.name.endswith(".tmp"):
            real_write(self, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "デバイスに空き領域がありません")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(ClassroomError) as raised:
        collect(shared, kit / "grader", kit / "solutions")
    assert "書き込めませんでした" in str(raised.value) and "ディスクの空き" in str(raised.value)
    assert not [p for p in (kit / "grader" / "submitted").rglob("*") if p.is_file()]
