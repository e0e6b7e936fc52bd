"""``kenshu class roster import|collect|grade|report|certificates``: a class from its roster to the records HR asks for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kenshu.classroom.course import grader_folder
from kenshu.errors import ClassroomError

if TYPE_CHECKING:
    from kenshu.classroom.grade import Graded


def roster_import(path: Path) -> int:
    from kenshu.classroom.roster import import_roster

    learners = import_roster(path, grader_folder())
    departments = sorted({x.department for x in learners if x.department})
    print(f"名簿 {path.name} から {len(learners)} 人を読み込みました（所属課 {len(departments)}）。")
    return 0


def collect_submissions(folder: Path, csv_path: Path | None = None) -> int:
    from kenshu.classroom.collect import collect
    from kenshu.paths import kit_root

    report = collect(folder, grader_folder(), kit_root() / "solutions")
    for line in report.summary():
        print(line)
    if csv_path:
        import pandas as pd

        pd.DataFrame([vars(x) for x in report.lines]).rename(columns={
            "file": "ファイル", "action": "扱い", "reason": "理由", "learner": "受講者ID", "assignment": "課題",
            "notebook": "ノートブック"}).to_csv(csv_path, index=False, encoding="utf-8-sig")
        print(f"{csv_path} に書き出しました（Excel で開けます）。")
    if report.taken:
        from nbgrader.api import Gradebook, MissingEntry

        from kenshu.classroom.course import course_directory

        coursedir = course_directory(grader_folder())
        with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
            for assignment in sorted({x.assignment for x in report.taken}):
                try:
                    gradebook.find_assignment(assignment)
                    print(f"採点: `python3 run.py class grade {assignment}`")
                except MissingEntry:
                    print(f"課題「{assignment}」は採点記録にまだありません。採点の前に "
                          f"`python3 run.py exercises build --assignment {assignment}` を実行してください。")
    return 0


def class_grade(assignment: str, *, jobs: int | None, force: bool, feedback: bool = False,
                progress: Callable[[Graded, int, int], None] | None = None) -> int:
    """Grade and print the summary; progress on a text bar, or through ``progress`` (the trainer page's bar)."""
    from kenshu.classroom.grade import grade_class

    if jobs is not None and jobs < 1:
        raise ClassroomError(f"同時に採点する数 {jobs} は使えません。", todo="1 以上の数を指定してください。")
    grader = grader_folder()
    bar = None

    def text_bar(done: Graded, count: int, total: int) -> None:
        from tqdm import tqdm

        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc="採点", unit="人", ascii=True)
        bar.update(1)
        if not done.ok:
            bar.write(f"  要確認 {done.student}: 採点できませんでした（{done.reason}）")

    run = grade_class(grader, assignment, jobs=jobs, force=force, feedback=feedback, progress=progress or text_bar)
    if bar is not None:
        bar.close()
    if not run.results:
        print(f"課題「{assignment}」に採点する提出はありません（採点済み {len(run.skipped)} 人）。"
              + ("採点し直すには --force を付けてください。" if run.skipped else
                 "先に `python3 run.py class collect 提出フォルダー` で取り込んでください。"))
        return 0
    ok = len(run.results) - len(run.failed)
    print(f"課題「{assignment}」: {len(run.results)} 人を {run.seconds:.1f} 秒で採点しました（採点できた {ok} 人、"
          f"できなかった {len(run.failed)} 人、前回のまま {len(run.skipped)} 人）。")
    for item in run.failed:
        print(f"  要確認 {item.student}: {item.reason}")
    from kenshu.cli.grading_report import collect

    flagged = sorted({row["student"] for row in collect(grader, assignment) if row["code"]})
    if flagged:
        print(f"要確認の印が付いた受講者 {len(flagged)} 人: {', '.join(flagged)}"
              f"（詳しくは `python3 run.py exercises report {assignment}`）")
    if feedback:
        print(f"受講者に返す結果: grader/feedback/<受講者ID>/{assignment}/")
    print(f"結果の一覧: `python3 run.py class report {assignment}`")
    return 1 if run.failed else 0


def _share(percent: float) -> float:
    if not 0 < percent <= 100:
        raise ClassroomError(f"合格の基準 {percent:g} は使えません。", todo="1 から 100 までの数（％）で指定してください。")
    return percent / 100


def class_report(assignments: list[str], out: Path, pass_percent: float) -> int:
    from kenshu.classroom.records import class_results, write_xlsx

    if out.suffix.lower() != ".xlsx":
        raise ClassroomError(f"{out.name} には書き出せません。", todo="名前の最後を .xlsx にしてください。")
    results = class_results(grader_folder(), assignments or None, pass_share=_share(pass_percent))
    write_xlsx(results, out)
    csv_path = out.with_suffix(".csv")
    results.learners.to_csv(csv_path, index=False, encoding="utf-8-sig")
    learners = results.learners
    print(f"課題 {', '.join(results.assignments)}: 受講者 {len(learners)} 人、修了 {(learners['修了'] == '修了').sum()} 人、"
          f"要確認 {(learners['要確認'] > 0).sum()} 人")
    hardest = results.questions.sort_values("正解の割合").head(3)
    for row in hardest.itertuples(index=False):
        print(f"  正解の少ない問: {row.課題} {row.問}（{row.正解した人数} / {row.採点した人数} 人）")
    print(f"{out}（受講者・所属課・問ごと・要確認）と {csv_path} に書き出しました。")
    return 0


def class_certificates(assignments: list[str], out: Path, *, course: str, day: str | None, hours: float,
                       issuer: str, pass_percent: float) -> int:
    from kenshu.classroom.records import class_results, training_record, write_certificates

    try:
        when = date.fromisoformat(day) if day else date.today()
    except ValueError:
        raise ClassroomError(f"実施日「{day}」は 2027-04-15 の形で指定してください。") from None
    results = class_results(grader_folder(), assignments or None, pass_share=_share(pass_percent))
    written = write_certificates(results, out, course=course, day=when, hours=hours, issuer=issuer)
    record = out / "研修記録.csv"
    training_record(results, course=course, day=when, hours=hours).to_csv(record, index=False, encoding="utf-8-sig")
    print(f"修了証 {len(written)} 枚を {out} に作りました（修了 {len(written)} 人 / 受講者 {len(results.learners)} 人）。")
    print(f"人事向けの研修記録: {record}")
    return 0
