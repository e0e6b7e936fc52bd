"""What a trainer hands to HR: results per learner and per 所属課, where the class struggled (per question),
completion certificates and the training record CSV. Scores come from nbgrader's gradebook; 要確認 flags from the
graded notebooks (``kenshu exercises report`` reads the same)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from kenshu.classroom.roster import load_roster
from kenshu.errors import ClassroomError
from kenshu.grading.selfcheck import question_label

PASS_SHARE = 0.6   # of the core points, in every assignment of the course


@dataclass(frozen=True)
class ClassResults:
    learners: pd.DataFrame    # one row per learner: ID, 氏名, 所属課, per assignment 点, 修了, 要確認
    departments: pd.DataFrame
    questions: pd.DataFrame   # one row per assignment and question: how many got it
    flags: pd.DataFrame
    assignments: list[str]


def _gradebook(grader: Path):
    from nbgrader.api import Gradebook

    from kenshu.classroom.course import course_directory

    coursedir = course_directory(grader)
    return Gradebook(coursedir.db_url, coursedir.course_id)


def class_results(grader: Path, assignments: list[str] | None = None, *, pass_share: float = PASS_SHARE) -> ClassResults:
    from nbgrader.api import MissingEntry

    from kenshu.cli.grading_report import collect as flags_of

    roster = {x.id: x for x in load_roster(grader)}
    scores: dict[tuple[str, str], tuple[float, float]] = {}
    question_rows = []
    with _gradebook(grader) as gradebook:
        names = assignments or sorted(a.name for a in gradebook.assignments)
        if not names:
            raise ClassroomError("採点した課題がまだありません。", todo="grader/ で `nbgrader autograde 課題名` を実行して採点してから、もう一度実行してください。")
        people = {s.id: s for s in gradebook.students}
        for name in names:
            try:
                assignment = gradebook.find_assignment(name)
            except MissingEntry:
                raise ClassroomError(f"課題「{name}」はまだ採点されていません。",
                                     todo=f"grader/ で `nbgrader autograde {name}` を実行して採点してから、もう一度実行してください。") from None
            per_question: dict[str, list[bool]] = {}
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    if notebook.name != name:  # the 発展 notebook does not count for completion
                        continue
                    scores[(submission.student.id, name)] = (notebook.score, notebook.max_score)
                    for grade in notebook.grades:
                        if grade.max_score:
                            per_question.setdefault(grade.name, []).append(grade.score >= grade.max_score)
            for question, right in sorted(per_question.items()):
                question_rows.append({"課題": name, "問": question_label(question), "正解した人数": sum(right),
                                      "採点した人数": len(right), "正解の割合": round(sum(right) / len(right), 3)})
    flag_rows = []
    for name in names:
        flag_rows += [{"課題": name, **row} for row in flags_of(grader, name) if row["code"]]
    flags = pd.DataFrame(flag_rows, columns=["課題", "student", "notebook", "cell", "code", "reason"]).rename(
        columns={"student": "受講者ID", "notebook": "ノートブック", "cell": "セル", "code": "種類", "reason": "内容"})

    ids = sorted(set(roster) | set(people) | {learner for learner, _ in scores})
    rows = []
    for ident in ids:
        person = roster.get(ident)
        stored = people.get(ident)
        name = person.name if person else " ".join(x for x in (getattr(stored, "last_name", None),
                                                                getattr(stored, "first_name", None)) if x)
        row = {"受講者ID": ident, "氏名": name, "所属課": person.department if person else ""}
        passed = True
        for assignment in names:
            score = scores.get((ident, assignment))
            row[f"{assignment}（点）"] = score[0] if score else None
            passed &= bool(score) and score[1] > 0 and score[0] >= pass_share * score[1]
        row["提出した課題"] = sum((ident, a) in scores for a in names)
        row["修了"] = "修了" if passed else "未修了"
        row["要確認"] = int((flags["受講者ID"] == ident).sum()) if len(flags) else 0
        rows.append(row)
    learners = pd.DataFrame(rows)
    departments = (learners.assign(所属課=learners["所属課"].replace("", "（未登録）"))
                   .groupby("所属課", sort=True)
                   .agg(人数=("受講者ID", "count"),
                        全課題を提出=("提出した課題", lambda s: int((s == len(names)).sum())),
                        修了=("修了", lambda s: int((s == "修了").sum())),
                        要確認=("要確認", "sum"))
                   .reset_index())
    return ClassResults(learners, departments, pd.DataFrame(question_rows), flags, names)


def write_xlsx(results: ClassResults, path: Path) -> Path:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    try:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for sheet, frame in (("受講者", results.learners), ("所属課", results.departments),
                                 ("問ごと", results.questions), ("要確認", results.flags)):
                frame.to_excel(writer, sheet_name=sheet, index=False)
                worksheet = writer.sheets[sheet]
                for cell in worksheet[1]:
                    cell.font = Font(bold=True)
                for column in worksheet.columns:
                    width = max(len(str(c.value or "")) for c in column) + 4
                    worksheet.column_dimensions[column[0].column_letter].width = min(width * 1.6, 60)
                worksheet.freeze_panes = "A2"
            if len(results.questions):
                sheet = writer.sheets["問ごと"]
                chart = BarChart()
                chart.type = "bar"
                chart.title = "問ごとの正解の割合"
                chart.y_axis.title = "正解の割合"
                rows = len(results.questions) + 1
                chart.add_data(Reference(sheet, min_col=5, min_row=1, max_row=rows), titles_from_data=True)
                chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=rows))
                chart.height = max(7.5, 0.6 * rows)
                sheet.add_chart(chart, "G2")
    except OSError as exc:
        raise ClassroomError(f"{path} に保存できませんでした（{exc.strerror or exc}）。",
                             todo="そのファイルを Excel で開いていれば閉じるか、別の名前にしてください。") from None
    return path


def training_record(results: ClassResults, *, course: str, day: date, hours: float) -> pd.DataFrame:
    """The CSV HR asks for: one row per learner."""
    frame = results.learners
    return pd.DataFrame({"受講者ID": frame["受講者ID"], "氏名": frame["氏名"], "所属課": frame["所属課"],
                         "研修名": course, "実施日": day.isoformat(), "時間": hours, "結果": frame["修了"]})


def write_certificates(results: ClassResults, folder: Path, *, course: str, day: date, hours: float,
                       issuer: str) -> list[Path]:
    """A Word certificate for each learner who completed the course; returns the files written."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from kenshu.guideline.clauses import japanese_date

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for row in results.learners.itertuples(index=False):
        if row.修了 != "修了":
            continue
        document = Document()
        for text, size, align in (("修　了　証", 28, WD_ALIGN_PARAGRAPH.CENTER), ("", 12, None),
                                  (f"{row.所属課}　{row.氏名}　様" if row.所属課 else f"{row.氏名}　様", 16, None), ("", 12, None),
                                  (f"あなたは「{course}」（{hours:g} 時間）の課程を修了したことを証します。", 14, None),
                                  ("", 12, None), (japanese_date(day.isoformat()), 12, WD_ALIGN_PARAGRAPH.RIGHT),
                                  (issuer, 14, WD_ALIGN_PARAGRAPH.RIGHT)):
            paragraph = document.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            run = paragraph.add_run(text)
            run.font.size = Pt(size)
        path = folder / f"修了証_{row.受講者ID}.docx"
        try:
            document.save(str(path))
        except OSError as exc:
            raise ClassroomError(f"{path} に保存できませんでした（{exc.strerror or exc}）。",
                                 todo="ディスクの空きと、フォルダーに書き込めるかを確かめてください。") from None
        written.append(path)
    return written
