"""Taking submissions from a shared folder (共有フォルダー) into nbgrader's ``submitted/<ID>/<課題>/`` layout.

Submissions come back as they do in practice: renamed (「lesson01 - コピー (2).ipynb」), one folder per learner or
all in one folder, twice, late. A notebook's assignment is recognised by its graded cells (their IDs), not its
name; its learner by a roster ID in its path. Of two copies the newer (by file time) is taken, and a submission
already collected is never replaced by an older one. Every file gets a line in the report saying why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from kenshu.classroom.roster import load_roster
from kenshu.errors import ClassroomError

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"   # what nbgrader writes in timestamp.txt
TAKEN, SKIPPED = "取り込み", "取り込まない"
IGNORED_FOLDERS = {".ipynb_checkpoints", "__pycache__", "__MACOSX"}


@dataclass(frozen=True)
class Line:
    file: str
    action: str           # 取り込み | 取り込まない
    reason: str
    learner: str = ""
    assignment: str = ""
    notebook: str = ""


@dataclass
class CollectReport:
    lines: list[Line] = field(default_factory=list)

    @property
    def taken(self) -> list[Line]:
        return [line for line in self.lines if line.action == TAKEN]

    @property
    def skipped(self) -> list[Line]:
        return [line for line in self.lines if line.action == SKIPPED]

    def summary(self) -> list[str]:
        found = [f"取り込んだ提出: {len(self.taken)} 件、取り込まなかったファイル: {len(self.skipped)} 件"]
        found += [f"  ✓ {x.file} → {x.learner} / {x.assignment} / {x.notebook}.ipynb（{x.reason}）" for x in self.taken]
        found += [f"  － {x.file}: {x.reason}" for x in self.skipped]
        return found


def _grade_ids(notebook: dict) -> frozenset[str]:
    ids = set()
    for cell in notebook.get("cells", []):
        grading = (cell.get("metadata") or {}).get("nbgrader") or {}
        if grading.get("grade_id") and (grading.get("grade") or grading.get("solution")):
            ids.add(str(grading["grade_id"]))
    return frozenset(ids)


@cache
def _source_signatures(solutions: Path) -> dict[tuple[str, str], frozenset[str]]:
    from kenshu.cli.exercises import find_assignments

    found = {}
    for assignment in find_assignments(solutions):
        for path in sorted((solutions / assignment).glob("*.ipynb")):
            found[(assignment, path.stem)] = _grade_ids(json.loads(path.read_text(encoding="utf-8")))
    return found


def recognise(notebook: dict, solutions: Path) -> tuple[str, str] | None:
    """(assignment, notebook name) whose graded cells the submission holds most of; None if none fits."""
    ids = _grade_ids(notebook)
    if not ids:
        return None
    best, score = None, 0.0
    for key, source in _source_signatures(solutions).items():
        if source:
            overlap = len(ids & source) / len(ids | source)
            if overlap > score:
                best, score = key, overlap
    return best if score >= 0.5 else None


def _learner(relative: Path, ids: set[str]) -> str | list[str] | None:
    """The roster ID in the file's path (folder names and file name), a list when there are several."""
    parts = [*relative.parts[:-1], relative.stem]
    tokens = {t for part in parts for pattern in (r"[A-Za-z0-9]+", r"[A-Za-z0-9_-]+") for t in re.findall(pattern, part)}
    matched = sorted(ids & tokens)
    if len(matched) == 1:
        return matched[0]
    return matched or None


def _time_of(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime)


def _existing_time(folder: Path) -> datetime | None:
    stamp = folder / "timestamp.txt"
    try:
        return datetime.strptime(stamp.read_text(encoding="utf-8").strip(), TIMESTAMP_FORMAT)
    except (OSError, ValueError):
        return None


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)  # a full disk leaves no half-written copy beside the submission
        raise


def collect(folder: str | Path, grader: Path, solutions: Path) -> CollectReport:
    """Collect every notebook under ``folder`` for the learners on the roster."""
    from kenshu.classroom.course import course_directory

    folder = Path(folder)
    if not folder.is_dir():
        raise ClassroomError(f"提出のフォルダー {folder} が見つかりません。", todo="共有フォルダーの場所を確かめてください。")
    roster = {learner.id for learner in load_roster(grader)}
    if not roster:
        raise ClassroomError("名簿がまだ読み込まれていません。",
                             todo="先に `python3 run.py class roster import 名簿.csv` で名簿を読み込んでください。")
    report = CollectReport()
    candidates: dict[tuple[str, str, str], list[tuple[datetime, Path, bytes]]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if set(relative.parts[:-1]) & IGNORED_FOLDERS:
            continue
        shown = relative.as_posix()
        if path.suffix.lower() != ".ipynb":
            report.lines.append(Line(shown, SKIPPED, "ノートブック（.ipynb）ではありません"))
            continue
        data = path.read_bytes()
        try:
            notebook = json.loads(data.decode("utf-8"))
            if not isinstance(notebook, dict) or "cells" not in notebook:
                raise ValueError
        except (UnicodeDecodeError, ValueError):
            report.lines.append(Line(shown, SKIPPED, "壊れています（ノートブックとして読めません）。受講者に保存し直してもらってください"))
            continue
        found = recognise(notebook, solutions)
        if found is None:
            report.lines.append(Line(shown, SKIPPED, "どの課題のノートブックか分かりません（採点するセルがありません）"))
            continue
        learner = _learner(relative, roster)
        if learner is None:
            report.lines.append(Line(shown, SKIPPED, "名簿にある受講者IDがファイル名にもフォルダー名にもありません",
                                     assignment=found[0], notebook=found[1]))
            continue
        if isinstance(learner, list):
            report.lines.append(Line(shown, SKIPPED, f"受講者IDが二つ以上あります（{'、'.join(learner)}）",
                                     assignment=found[0], notebook=found[1]))
            continue
        candidates.setdefault((learner, *found), []).append((_time_of(path), path, data))

    coursedir = course_directory(grader)
    for (learner, assignment, name), copies in sorted(candidates.items()):
        copies.sort(key=lambda item: item[0], reverse=True)
        when, path, data = copies[0]
        for _, older, _ in copies[1:]:
            report.lines.append(Line(older.relative_to(folder).as_posix(), SKIPPED,
                                     f"同じ受講者・同じノートブックのより新しいコピー（{path.name}）を取り込みました",
                                     learner, assignment, name))
        target = Path(coursedir.format_path(coursedir.submitted_directory, learner, assignment))
        existing = target / f"{name}.ipynb"
        shown = path.relative_to(folder).as_posix()
        before = _existing_time(target)
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).digest() == hashlib.sha256(data).digest():
            report.lines.append(Line(shown, SKIPPED, "同じ内容をすでに取り込んでいます", learner, assignment, name))
            continue
        if existing.is_file() and before is not None and before > when:
            report.lines.append(Line(shown, SKIPPED, f"より新しい提出（{before:%m月%d日 %H:%M}）をすでに取り込んでいます",
                                     learner, assignment, name))
            continue
        try:
            target.mkdir(parents=True, exist_ok=True)
            _write(existing, data)
            if before is None or when > before:
                _write(target / "timestamp.txt", when.strftime(TIMESTAMP_FORMAT).encode())
        except OSError as exc:
            raise ClassroomError(f"{target} に書き込めませんでした（{exc.strerror or exc}）。それまでの提出は取り込み済みです。",
                                 todo="ディスクの空きと書き込みの権限を確かめてから、もう一度 collect を実行してください"
                                      "（取り込み済みのものは「同じ内容」として飛ばします）。") from None
        report.lines.append(Line(shown, TAKEN, f"{when:%m月%d日 %H:%M} 保存" + ("（置き換え）" if before else ""),
                                 learner, assignment, name))
    return report
