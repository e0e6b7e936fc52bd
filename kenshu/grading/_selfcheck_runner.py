"""The separate process behind ``kenshu.check()``: grade a saved notebook and print plain JSON.

Run as ``python -m kenshu.grading._selfcheck_runner`` with a JSON request on stdin::

    {"notebook": "/…/exercises/demo/demo.ipynb",   # the learner's notebook as saved
     "reference": "/…/solutions/demo/demo.ipynb",  # whose test cells count (source or released)
     "only": ["q2_test_visible", …] or null,       # grade ids to report (null: all)
     "hidden_tests": true,                          # whether the reference is the source notebook
     "cell_timeout": 60, "total_timeout": 300}

and answers on stdout with ``{"results": [{"grade_id", "points", "max_points", "passed", "message"}, …],
"error": null}`` (or ``{"results": [], "error": "<日本語の説明>"}``).  ``passed`` is ``null`` for a test
cell with nothing left to run (its tests were hidden and only the released notebook was available).

The learner's notebook is rebuilt with every autograded test cell taken from the reference by
``grade_id`` (edited cells are replaced, cells the learner added are dropped, deleted ones are put
back), executed with nbclient in the notebook's folder with errors allowed (so independent questions
still score), and each test cell is graded the way nbgrader grades it (``determine_grade``).
Nothing of a test cell's source or a traceback goes back to the caller: only the error's value.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

TIMEOUT_MESSAGE = ("時間内に終わらないセルがありました（{seconds} 秒で打ち切りました）。"
                   "同じ処理を繰り返し続けていないか（while の終わる条件など）を確かめてください。")
TOTAL_TIMEOUT_MESSAGE = ("全体の時間の上限（{seconds} 秒）に達したため、この確認は実行できませんでした。"
                         "時間のかかるセルがないか確かめてください。")
NOT_ANSWERED = ("まだ答えが書かれていません。答えのセルの raise NotImplementedError(...) の行を消して、"
                "答えを書いてください。")
DEAD_KERNEL_MESSAGE = "Python が途中で止まったため、この確認は実行できませんでした（メモリーの使いすぎなど）。"


def _nbgrader(cell: Any) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test_cell(cell: Any) -> bool:
    """An autograded test cell: graded, not an answer, code."""
    meta = _nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _has_code(source: str) -> bool:
    """Whether a cell has anything to run (a cell whose tests were all hidden keeps only comments)."""
    try:
        return bool(ast.parse(source).body)
    except SyntaxError:
        return True  # IPython syntax (%magic) or a real error: let the kernel decide


def _fresh(cell: Any) -> Any:
    cell = copy.deepcopy(cell)
    cell["outputs"] = []
    cell["execution_count"] = None
    return cell


def build_notebook(learner: Any, reference: Any, *, reference_is_learner: bool = False) -> tuple[Any, dict]:
    """The learner's notebook with every test cell taken from ``reference`` by grade_id.

    Returns the notebook and, per grade id, notes: ``{"tampered": bool}`` when the reference is the
    learner's own file and the cell's nbgrader checksum no longer matches (an edited test cell).
    """
    from nbgrader.utils import compute_checksum

    ref_cells = reference["cells"]
    ref_tests = {_nbgrader(c)["grade_id"]: c for c in ref_cells if is_test_cell(c) and _nbgrader(c).get("grade_id")}
    notes: dict[str, dict] = {}
    cells: list[Any] = []
    used: set[str] = set()
    for cell in learner["cells"]:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id in ref_tests:
            if grade_id in used:
                continue  # a copy of a test cell does not count twice
            used.add(grade_id)
            source_cell = ref_tests[grade_id]
            if reference_is_learner:
                checksum = _nbgrader(source_cell).get("checksum")
                notes[grade_id] = {"tampered": bool(checksum) and checksum != compute_checksum(source_cell)}
            cells.append(_fresh(source_cell))
        elif is_test_cell(cell):
            continue  # a test cell the learner added (unknown grade id) does not count
        else:
            cells.append(_fresh(cell))

    # Put back deleted test cells after the cell that precedes them in the reference.
    for index, ref_cell in enumerate(ref_cells):
        grade_id = _nbgrader(ref_cell).get("grade_id")
        if grade_id not in ref_tests or grade_id in used:
            continue
        used.add(grade_id)
        position = 0
        for earlier in reversed(ref_cells[:index]):
            earlier_id = _nbgrader(earlier).get("grade_id")
            hits = [i for i, c in enumerate(cells) if earlier_id and _nbgrader(c).get("grade_id") == earlier_id]
            if hits:
                position = hits[0] + 1
                break
        cells.insert(position, _fresh(ref_cell))

    notebook = copy.deepcopy(learner)
    notebook["cells"] = cells
    return notebook, notes


def _explain(error: dict, earlier_error: dict | None) -> str:
    """A Japanese message for a failed test cell: the assertion's own text, or a plain explanation."""
    ename, evalue = error.get("ename", ""), (error.get("evalue") or "").strip()
    if ename == "AssertionError":
        return evalue or "確認に失敗しました。"
    if ename == "NameError":
        match = re.search(r"name '([^']+)' is not defined", evalue)
        name = match.group(1) if match else "答えの名前"
        message = f"{name} が見つかりません。答えのセルに {name} を書き、そのセルを実行できるか確かめてください。"
    elif ename == "NotImplementedError":
        return NOT_ANSWERED
    elif ename == "KeyboardInterrupt":
        message = "実行が中断されました。"
    else:
        message = f"確認の途中でエラーが出ました（{ename}: {evalue}）。" if evalue else f"確認の途中でエラーが出ました（{ename}）。"
    if earlier_error is not None and earlier_error.get("ename") == "NotImplementedError":
        return NOT_ANSWERED
    if earlier_error is not None:
        e_name, e_value = earlier_error.get("ename", ""), (earlier_error.get("evalue") or "").strip()
        shown = f"{e_name}: {e_value}" if e_value else e_name
        message = f"答えのセルでエラーが出ています（{shown}）。{message}"
    return message


def _first_error(cell: Any) -> dict | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def grade(notebook: Any, notes: dict, *, cwd: str, only: list[str] | None,
          cell_timeout: float, total_timeout: float) -> list[dict]:
    """Execute ``notebook`` in ``cwd`` and grade its test cells like nbgrader."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from nbgrader.utils import determine_grade

    nb = nbformat.from_dict(notebook)
    wanted = set(only) if only is not None else None
    tests = [i for i, c in enumerate(nb.cells) if is_test_cell(c)
             and (wanted is None or _nbgrader(c).get("grade_id") in wanted)]
    last = tests[-1] if tests else -1

    deadline = time.monotonic() + total_timeout
    client = NotebookClient(
        nb, timeout=int(cell_timeout), allow_errors=True, interrupt_on_timeout=True,
        record_timing=False, resources={"metadata": {"path": cwd}},
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
    )
    client.timeout_func = lambda cell: max(1, int(min(cell_timeout, deadline - time.monotonic())))

    status: dict[int, str] = {}      # cell index → "timeout" / "total" / "dead"
    earlier_errors: dict[int, dict | None] = {}
    pending_error: dict | None = None
    pending_timeout = False
    stop_reason: str | None = None
    if last >= 0:
        with client.setup_kernel():
            for index in range(last + 1):
                cell = nb.cells[index]
                if stop_reason is not None:
                    status[index] = stop_reason
                    continue
                if cell.cell_type != "code":
                    continue
                if deadline - time.monotonic() <= 0:
                    stop_reason = status[index] = "total"
                    continue
                allowed = client.timeout_func(cell)
                started = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except DeadKernelError:
                    stop_reason = status[index] = "dead"
                    continue
                timed_out = time.monotonic() - started >= allowed - 0.2 and _first_error(cell) is not None
                if is_test_cell(cell):
                    if timed_out or pending_timeout:
                        status[index] = "timeout"
                    earlier_errors[index] = pending_error
                    pending_error, pending_timeout = None, False
                else:
                    pending_timeout = pending_timeout or timed_out
                    pending_error = pending_error or _first_error(cell)

    results = []
    for index in tests:
        cell = nb.cells[index]
        meta = _nbgrader(cell)
        grade_id, max_points = meta["grade_id"], float(meta.get("points", 0))
        result = {"grade_id": grade_id, "points": 0.0, "max_points": max_points, "passed": False, "message": ""}
        reason = status.get(index)
        if notes.get(grade_id, {}).get("tampered"):
            result["message"] = ("確認用のセルが書き換えられているため、この問は採点できません。"
                                 "配られたときの内容に戻してください。")
        elif reason == "total":
            result["message"] = TOTAL_TIMEOUT_MESSAGE.format(seconds=int(total_timeout))
        elif reason == "dead":
            result["message"] = DEAD_KERNEL_MESSAGE
        elif reason == "timeout":
            result["message"] = TIMEOUT_MESSAGE.format(seconds=int(cell_timeout))
        elif not _has_code(cell.source):
            result.update(passed=None, message="非公開のテストだけのセルです（正式な採点で確かめます）。")
        else:
            points, _ = determine_grade(cell)
            points = float(points or 0)
            error = _first_error(cell)
            if error is not None:
                result["message"] = _explain(error, earlier_errors.get(index))
            elif points < max_points and any(o.get("output_type") == "stream" and o.get("name") == "stderr"
                                             for o in cell.outputs):
                result["message"] = "確認のセルがエラー出力（警告など）を出しました。採点ではこれも不合格になります。"
            result.update(points=points, passed=points >= max_points)
        results.append(result)
    return results


def run(request: dict) -> dict:
    import nbformat

    learner_path = Path(request["notebook"])
    reference_path = Path(request["reference"])
    try:
        learner = nbformat.read(learner_path, as_version=4)
    except Exception:
        return {"results": [], "error": f"{learner_path.name} をノートブックとして読めませんでした。"
                                        "JupyterLab で開いて保存し直してください。"}
    reference = nbformat.read(reference_path, as_version=4)
    # a released notebook may itself be the learner's file: its test cells must match nbgrader's checksums
    released = not request.get("hidden_tests", False) or learner_path.resolve() == reference_path.resolve()
    notebook, notes = build_notebook(learner, reference, reference_is_learner=released)
    results = grade(notebook, notes, cwd=str(learner_path.parent), only=request.get("only"),
                    cell_timeout=float(request.get("cell_timeout", 60)),
                    total_timeout=float(request.get("total_timeout", 300)))
    return {"results": results, "error": None}


def main() -> int:
    try:
        answer = run(json.loads(sys.stdin.read()))
    except Exception as exc:  # never a traceback for the learner
        answer = {"results": [], "error": f"採点の準備中に問題が起きました（{type(exc).__name__}）。"}
    sys.stdout.write("\n" + json.dumps(answer, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
