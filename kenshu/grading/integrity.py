"""Compare a submitted notebook with the assignment's cells and list what was tampered with.

A flag is a ``kenshu.grading.protocol.Flag`` (code, Japanese reason for the trainer, grade id or セルN),
stored as a dict.
Flags from here (the notebook's structure) and from the grading run (``kenshu.grading.runner``) are
stored in the graded notebook's metadata under ``kenshu_grading`` and listed by
``kenshu exercises report``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kenshu.grading.protocol import Flag

METADATA_KEY = "kenshu_grading"
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


@dataclass
class ReferenceCell:
    grade_id: str
    kind: str  # "test", "answer", "readonly", "task"
    source: str
    cell_type: str = "code"
    points: float | None = None


def without_hidden_tests(source: str) -> str:
    """The test cell as learners received it (hidden regions removed, as nbgrader does on release)."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            hidden = True
        elif HIDDEN_END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _meta(cell: Any) -> dict:
    return (cell.get("metadata", {}) or {}).get("nbgrader", {}) or {}


def compare(cells: Iterable[Any], reference: dict[str, ReferenceCell]) -> list[dict]:
    """Flags for a submission's cells against the assignment's reference cells (by grade id)."""
    flags: list[dict] = []
    seen: dict[str, int] = {}
    sources = []
    for position, cell in enumerate(cells):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        sources.append(_norm(source))
        meta = _meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id or not (meta.get("grade") or meta.get("solution") or meta.get("locked") or meta.get("task")):
            continue
        if grade_id in seen:
            flags.append(_flag("duplicated_cell", "採点用のセルを複製した", grade_id))
            continue
        seen[grade_id] = position
        ref = reference.get(grade_id)
        if ref is None:
            if meta.get("grade"):
                flags.append(_flag("added_graded_cell", "配られていない採点用のセル（点数付き）を加えた", grade_id))
            continue
        if cell.get("cell_type") != ref.cell_type:
            flags.append(_flag("cell_type_changed", "採点用のセルの種類を変えた", grade_id))
        if ref.points is not None and meta.get("grade") and _points(meta.get("points")) != ref.points:
            flags.append(_flag("points_changed", "採点用のセルの点数を書き換えた", grade_id))
        if ref.kind == "test" and _norm(source) not in (_norm(without_hidden_tests(ref.source)), _norm(ref.source)):
            flags.append(_flag("edited_test", "確認（テスト）のセルを書き換えた", grade_id))
        elif ref.kind == "readonly" and _norm(source) != _norm(ref.source):
            flags.append(_flag("edited_readonly", "読み取り専用のセルを書き換えた", grade_id))
    for grade_id, ref in reference.items():
        if ref.kind != "test" or grade_id in seen:
            continue
        released = _norm(without_hidden_tests(ref.source))
        if released and released in sources:
            flags.append(_flag("unmarked_test", "確認（テスト）のセルの採点用の印を外した", grade_id))
        else:
            flags.append(_flag("deleted_test", "確認（テスト）のセルを消した", grade_id))
    return flags


def _points(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _flag(code: str, reason: str, cell: str) -> dict:
    return Flag(code, reason, cell).to_dict()


__all__ = ["METADATA_KEY", "ReferenceCell", "compare", "without_hidden_tests"]
