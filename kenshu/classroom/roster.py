"""The class roster: learner ID, name and 所属課 from a CSV or Excel file into nbgrader's gradebook.

Every row is checked before anything is written; a bad row is reported by its line, and nothing is imported.
The 所属課, which the gradebook has no field for, is kept beside it in ``grader/roster.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kenshu.errors import ClassroomError

ROSTER_NAME = "roster.csv"   # in grader/ (git-ignored, like the gradebook)
COLUMNS = {"id": ("受講者ID", "職員番号", "ID", "id", "student_id", "番号"),
           "name": ("氏名", "名前", "name"),
           "department": ("所属課", "所属", "課", "department")}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")  # a folder name on every OS


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    department: str

    @property
    def names(self) -> tuple[str, str]:
        """(姓, 名) for nbgrader's last_name / first_name; a name without a space is all 姓."""
        parts = self.name.replace("\u3000", " ").split(maxsplit=1)
        return (parts[0], parts[1]) if len(parts) == 2 else (self.name, "")


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ClassroomError(f"名簿のファイル {path} が見つかりません。", todo="ファイルの場所と名前を確かめてください。")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        if path.suffix.lower() != ".csv":
            raise ClassroomError(f"{path.name} は名簿として読めません。", todo="CSV（.csv）か Excel（.xlsx）で保存してください。")
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except UnicodeDecodeError:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="cp932")  # Excel's 「CSV」 on Japanese Windows
    except ClassroomError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas and openpyxl raise many kinds for a damaged file
        raise ClassroomError(f"名簿のファイル {path.name} を読めませんでした（{type(exc).__name__}: {exc}）。",
                             todo="Excel で開けるか確かめ、CSV（UTF-8）か .xlsx で保存し直してください。") from None


def _column(frame: pd.DataFrame, key: str) -> str | None:
    for name in COLUMNS[key]:
        for column in frame.columns:
            if str(column).strip() == name:
                return column
    return None


def read_roster(path: str | Path) -> list[Learner]:
    """The learners in a roster file; raises ``ClassroomError`` listing every bad line."""
    path = Path(path)
    frame = _read_table(path)
    found = {key: _column(frame, key) for key in COLUMNS}
    missing = [COLUMNS[k][0] for k, column in found.items() if column is None and k != "department"]
    if missing:
        raise ClassroomError(f"名簿 {path.name} に列 {'・'.join(missing)} がありません（いまの列: {'、'.join(map(str, frame.columns))}）。",
                             todo="1行目を「受講者ID,氏名,所属課」のように列名にしてください。")
    problems, learners, seen = [], [], {}
    for index, row in frame.iterrows():
        line = index + 2  # the header is line 1
        ident = str(row[found["id"]]).strip()
        name = str(row[found["name"]]).strip()
        department = str(row[found["department"]]).strip() if found["department"] else ""
        if not ident and not name and not department:
            continue  # a blank line
        if not ident:
            problems.append(f"{line} 行目: 受講者ID が空です。")
        elif not ID_PATTERN.match(ident):
            problems.append(f"{line} 行目: 受講者ID「{ident}」は使えません。半角の英数字・ハイフン・下線（40 文字まで）にしてください。")
        elif ident in seen:
            problems.append(f"{line} 行目: 受講者ID「{ident}」が {seen[ident]} 行目と重複しています。")
        if not name:
            problems.append(f"{line} 行目: 氏名が空です。")
        seen.setdefault(ident, line)
        learners.append(Learner(ident, name, department))
    if problems:
        raise ClassroomError(f"名簿 {path.name} に誤りがあるため、読み込みませんでした（{len(problems)} 件）。\n"
                             + "\n".join(f"  - {p}" for p in problems),
                             todo="名簿を直してから、もう一度読み込んでください。採点記録は変わっていません。")
    if not learners:
        raise ClassroomError(f"名簿 {path.name} に受講者がいません。", todo="2行目から、1行に1人ずつ書いてください。")
    return learners


def import_roster(path: str | Path, grader: Path) -> list[Learner]:
    """Add or update every learner of the roster in the gradebook and in ``grader/roster.csv``."""
    from nbgrader.api import Gradebook

    from kenshu.classroom.course import course_directory

    learners = read_roster(path)
    coursedir = course_directory(grader)
    known = {learner.id: learner for learner in load_roster(grader)}
    known.update({learner.id: learner for learner in learners})
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for learner in learners:
            last, first = learner.names
            gradebook.update_or_create_student(learner.id, last_name=last, first_name=first)
    table = pd.DataFrame([{"受講者ID": x.id, "氏名": x.name, "所属課": x.department} for x in known.values()])
    temporary = grader / f"{ROSTER_NAME}.tmp"
    table.to_csv(temporary, index=False, encoding="utf-8-sig")
    temporary.replace(grader / ROSTER_NAME)
    return learners


def load_roster(grader: Path) -> list[Learner]:
    """The learners imported so far (empty before the first import)."""
    path = grader / ROSTER_NAME
    if not path.is_file():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return [Learner(r["受講者ID"], r["氏名"], r["所属課"]) for _, r in frame.iterrows()]
