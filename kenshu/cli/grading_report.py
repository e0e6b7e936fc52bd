"""``kenshu exercises report <課題>``: scores and the grading flags a trainer should look at.

The core notebook (``<課題>.ipynb``) and the optional 発展 notebook (``<課題>_advanced.ipynb``) are
scored separately: a learner passes on the core. Scores come from nbgrader's gradebook; flags from the graded notebooks (written there by
``kenshu.grading.nbgrader_plugin`` during ``nbgrader autograde``).
"""

from __future__ import annotations

from pathlib import Path

from kenshu.cli.exercises import CONFIG_NAME, ExerciseBuildError, nbgrader_api
from kenshu.errors import KenshuError
from kenshu.grading.integrity import METADATA_KEY
from kenshu.paths import kit_root

ADVANCED_SUFFIX = "_advanced"


class GradingReportError(KenshuError):
    title = "採点結果を表示できませんでした"


def collect(grader: Path, assignment: str) -> list[dict]:
    """One row per student and flag (a student without flags has one row with no flag)."""
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry

    api = nbgrader_api(grader)
    coursedir = api.coursedir
    rows: list[dict] = []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise GradingReportError(f"課題「{assignment}」はまだ採点されていません。",
                                     todo=f"grader/ で `nbgrader autograde {assignment}` を実行してから、もう一度試してください。") from None
        for submission in sorted(found.submissions, key=lambda s: s.student.id):
            student = submission.student.id
            flags = []
            folder = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
            for notebook in sorted(folder.glob("*.ipynb")):
                try:
                    meta = nbformat.read(notebook, as_version=4).metadata.get(METADATA_KEY, {})
                except Exception:
                    flags.append({"notebook": notebook.stem, "cell": "", "code": "unreadable",
                                  "reason": "採点結果のノートブックを読めなかった"})
                    continue
                for flag in meta.get("flags", []) if isinstance(meta, dict) else []:
                    flags.append({"notebook": notebook.stem, **{k: str(flag.get(k) or "") for k in ("cell", "code", "reason")}})
            parts = {notebook.name: (notebook.score, notebook.max_score) for notebook in submission.notebooks}
            core = parts.get(assignment, (submission.score, submission.max_score))
            advanced = parts.get(f"{assignment}{ADVANCED_SUFFIX}")
            base = {"student": student, "score": core[0], "max_score": core[1],
                    "advanced_score": advanced[0] if advanced else None,
                    "advanced_max_score": advanced[1] if advanced else None}
            rows += [{**base, **flag} for flag in flags] or [{**base, "notebook": "", "cell": "", "code": "", "reason": ""}]
    return rows


def _points(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def report(assignment: str, csv_path: Path | None = None) -> int:
    try:
        grader = kit_root() / "grader"
        if not (grader / CONFIG_NAME).is_file():
            raise ExerciseBuildError(f"nbgrader の設定ファイル（grader/{CONFIG_NAME}）が見つかりません。",
                                     todo="キットのフォルダーで実行しているか確かめてください。")
        rows = collect(grader, assignment)
    except KenshuError as exc:
        print(f"[kenshu] {exc}")
        return 1
    students = sorted({r["student"] for r in rows})
    flagged = sorted({r["student"] for r in rows if r["code"]})
    print(f"課題「{assignment}」の採点結果（{len(students)} 人、要確認 {len(flagged)} 人）")
    for student in students:
        mine = [r for r in rows if r["student"] == student]
        score = f"基本 {_points(mine[0]['score'])} / {_points(mine[0]['max_score'])} 点"
        if mine[0]["advanced_max_score"] is not None:
            score += f"　発展 {_points(mine[0]['advanced_score'])} / {_points(mine[0]['advanced_max_score'])} 点"
        marks = [r for r in mine if r["code"]]
        print(f"  {student}: {score}" + ("" if marks else "  －"))
        for r in marks:
            where = f"{r['cell']}: " if r["cell"] else ""
            print(f"      ⚠ {where}{r['reason']}（{r['code']}）")
    if flagged:
        print("⚠ の付いた受講者は、採点結果のノートブック（grader/autograded/）を開いて確かめてください。"
              "点数は自動では変えていません。")
    if csv_path is not None:
        import pandas as pd

        columns = ["student", "score", "max_score", "advanced_score", "advanced_max_score", "notebook", "cell",
                   "code", "reason"]
        pd.DataFrame(rows, columns=columns).to_csv(csv_path, index=False, encoding="utf-8-sig")
        print(f"{csv_path} に書き出しました（Excel で開けます）。")
    return 0
