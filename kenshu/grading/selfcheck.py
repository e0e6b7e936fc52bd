"""``check()``: a learner grades their own exercise notebook, as saved, before handing it in.

In an exercise notebook::

    from kenshu import check
    check()          # every question
    check("問1")     # one question (also check("q1"); 発展 questions: check("発展1") or check("h1"))

The notebook **as saved on disk** is graded exactly as the official grading does it
(``kenshu.grading.isolated``: answer cells in a sandboxed process, tests in another), never in the
learner's kernel, offline: where ``solutions/<課題>/<課題>.ipynb`` exists the hidden tests count;
otherwise the visible tests of the released notebook count and the output says so.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kenshu.errors import KenshuError

HIDDEN_NOTE = "非公開のテストも含めて採点しました（正式な採点と同じテストです）。"
VISIBLE_ONLY_NOTE = ("公開テストのみで確かめました。このキットには非公開のテストがないため、確かめたのは答えの書き方だけです。"
                     "点数は講師の採点で決まります。")
SAVE_REMINDER = "※ 保存されている内容で採点します。直前に書き換えた場合は、先に保存（Ctrl+S）してください。"


class SelfCheckError(KenshuError):
    title = "自己採点ができませんでした"


@dataclass
class QuestionResult:
    grade_id: str
    points: float
    max_points: float
    passed: bool | None  # None: the form is right, whether the answer is right is decided at grading
    message: str

    @property
    def label(self) -> str:
        return question_label(self.grade_id)


def question_label(grade_id: str) -> str:
    """「問1」「問5a」「発展2」 for grade ids q1, q5a, h2; other ids as they are."""
    match = re.fullmatch(r"([qh])(\d+)([a-z]?)(?:_.*)?", grade_id)
    if not match:
        return grade_id
    return f"{'問' if match.group(1) == 'q' else '発展'}{match.group(2)}{match.group(3)}"


def question_id(question: str) -> str:
    """What a learner types (「問1」「発展2」「q1」) as the grade-id prefix it means."""
    text = unicodedata.normalize("NFKC", question).strip()
    if text.startswith("問"):
        return "q" + text[1:].strip()
    if text.startswith("発展"):
        return "h" + text[2:].strip()
    return text


@dataclass
class SelfCheckReport:
    notebook: Path
    hidden_tests_used: bool
    results: list[QuestionResult]

    @property
    def score(self) -> float:
        return sum(r.points for r in self.results if r.passed is not None) if self.hidden_tests_used else 0.0

    @property
    def max_score(self) -> float:
        return sum(r.max_points for r in self.results if r.passed is not None) if self.hidden_tests_used else 0.0

    def render(self) -> str:
        return self._render_graded() if self.hidden_tests_used else self._render_form_only()

    def _render_graded(self) -> str:
        lines = []
        for r in self.results:
            mark = "✓" if r.passed else "✗"
            lines.append(f"{mark} {r.label}: {_pts(r.points)} / {_pts(r.max_points)} 点")
            if not r.passed and r.message:
                lines.append(f"    {r.message}")
        lines.append(f"合計: {_pts(self.score)} / {_pts(self.max_score)} 点")
        lines.append(HIDDEN_NOTE)
        return "\n".join(lines)

    def _render_form_only(self) -> str:
        lines = []
        for r in self.results:
            if r.passed is False:
                lines.append(f"✗ {r.label}: 書き方を直してください（{_pts(r.max_points)} 点分）")
                if r.message:
                    lines.append(f"    {r.message}")
            else:
                lines.append(f"－ {r.label}: 書き方は OK です。正しいかどうかは講師の採点で確かめます（{_pts(r.max_points)} 点分）。")
        ok = sum(1 for r in self.results if r.passed is not False)
        lines.append(f"書き方の確認: {len(self.results)} 問中 {ok} 問 OK")
        lines.append(VISIBLE_ONLY_NOTE)
        return "\n".join(lines)


def _pts(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- which notebook -------------------------------------------------------------------------------

def _session_name() -> str | None:
    """The notebook the kernel was started for: ipykernel's ``__session__`` (from JupyterLab) or the env var."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except Exception:  # IPython missing: plain Python
        shell = None
    if shell is not None:
        value = shell.user_ns.get("__session__")
        if isinstance(value, str) and value:
            return value
    return os.environ.get("JPY_SESSION_NAME") or None


def _resolve_session(value: str) -> Path | None:
    """``JPY_SESSION_NAME`` is an absolute path (kernel folder + name) or a path relative to the server root."""
    given = Path(value)
    candidates = [given] if given.is_absolute() else []
    cwd = Path.cwd()
    candidates += [cwd / given, cwd / given.name, *(parent / given for parent in cwd.parents)]
    for candidate in candidates:
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate.resolve()
    return None


def _kit_root_near(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / "solutions").is_dir() or (folder / "exercises").is_dir():
            return folder
    return None


def find_notebook(path: str | os.PathLike | None = None, assignment: str | None = None) -> Path:
    """The learner's notebook: ``path``, else ``exercises/<assignment>/<assignment>.ipynb``, else this session's."""
    if path is not None:
        found = Path(path).expanduser()
        if not found.is_absolute():
            found = Path.cwd() / found
            if not found.is_file():
                root = _kit_root_near(Path.cwd())
                if root is not None and (root / path).is_file():
                    found = root / path
        if not found.is_file():
            raise SelfCheckError(f"ノートブック {path} が見つかりません。", todo="path= に書いた場所とファイル名を確かめてください。")
        return found.resolve()
    if assignment is not None:
        root = _kit_root_near(Path.cwd())
        candidate = root / "exercises" / assignment / f"{assignment}.ipynb" if root else None
        if candidate is None or not candidate.is_file():
            raise SelfCheckError(f"課題「{assignment}」のノートブック（exercises/{assignment}/{assignment}.ipynb）が見つかりません。",
                                 todo="課題名を確かめるか、check(path=\"…/課題名.ipynb\") で場所を指定してください。")
        return candidate.resolve()
    session = _session_name()
    found = _resolve_session(session) if session else None
    if found is None:
        raise SelfCheckError("どのノートブックを採点するのか分かりませんでした。",
                             todo='check(path="exercises/demo/demo.ipynb") のように、採点するノートブックを指定してください。')
    return found


def find_reference(notebook: Path) -> tuple[Path, bool]:
    """Whose test cells count: the source notebook (hidden tests) if the kit has it, else the released one.

    The assignment is the notebook's folder (or its own name); within it, the notebook is the one whose
    name the learner's file starts with, the longest such name first, so that a renamed copy
    (``lesson01_advanced-Copy1.ipynb``) still finds ``lesson01_advanced.ipynb`` and not ``lesson01.ipynb``.
    """
    assignments = list(dict.fromkeys([notebook.parent.name, notebook.stem]))
    for kind, hidden in (("solutions", True), ("exercises", False)):
        for folder in [notebook.parent, *notebook.parents]:
            for assignment in assignments:
                candidates = sorted((folder / kind / assignment).glob("*.ipynb"), key=lambda p: -len(p.stem))
                for candidate in candidates:
                    if notebook.stem.startswith(candidate.stem) and candidate.is_file():
                        return candidate, hidden
                fallback = folder / kind / assignment / f"{assignment}.ipynb"
                if fallback.is_file() and not any(notebook.stem.startswith(c.stem) for c in candidates):
                    return fallback, hidden
    return notebook, False  # the learner's own file: its test cells are checked against nbgrader's checksums


def _test_ids(reference: Path) -> list[str]:
    notebook = json.loads(reference.read_text(encoding="utf-8"))
    ids = []
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            ids.append(meta["grade_id"])
    return ids


def _matches(grade_id: str, question: str) -> bool:
    if not grade_id.startswith(question):
        return False
    rest = grade_id[len(question):]
    # "q1" is q1_test but not q10_test
    return not (rest and question[-1:].isdigit() and rest[0].isdigit())


# --- assembling what is graded --------------------------------------------------------------------

def _nbgrader(cell: dict) -> dict:
    return (cell.get("metadata", {}) or {}).get("nbgrader", {}) or {}


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def is_test_cell(cell: dict) -> bool:
    """An autograded test cell: graded, not an answer, code."""
    meta = _nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def assemble(learner: dict, reference: dict, *, reference_is_learner: bool) -> tuple[list[dict], set[str]]:
    """The learner's cells with every test cell taken from ``reference`` by grade id, as nbgrader does.

    Edited test cells are replaced, test cells the learner added are dropped, deleted ones are put back
    after the cell that precedes them in the reference.  Returns the cells and the grade ids whose
    cell was edited (detectable only when the reference is the learner's own released file, through
    nbgrader's checksums).
    """
    from nbgrader.utils import compute_checksum

    ref_cells = reference["cells"]
    ref_tests = {_nbgrader(c)["grade_id"]: c for c in ref_cells if is_test_cell(c) and _nbgrader(c).get("grade_id")}
    tampered: set[str] = set()
    cells: list[dict] = []
    used: set[str] = set()
    for cell in learner["cells"]:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id in ref_tests:
            if grade_id in used:
                continue  # a copy of a test cell does not count twice
            used.add(grade_id)
            source_cell = ref_tests[grade_id]
            checksum = _nbgrader(source_cell).get("checksum")
            if reference_is_learner and checksum and checksum != compute_checksum(source_cell):
                tampered.add(grade_id)
            cells.append(source_cell)
        elif not is_test_cell(cell):
            cells.append(cell)
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
        cells.insert(position, ref_cell)
    return cells, tampered


def _typing_problems(learner: dict) -> dict[str, list[str]]:
    """Question grade id -> what is wrong with the way its answer cell is typed (quotes missing...)."""
    from kenshu.grading import answers

    found: dict[str, list[str]] = {}
    for cell in learner["cells"]:
        grade_id = _nbgrader(cell).get("grade_id") or ""
        if cell.get("cell_type") == "code" and _nbgrader(cell).get("solution") and grade_id.endswith("_answer"):
            problems = answers.problems(_source(cell))
            if problems:
                found[grade_id.removesuffix("_answer")] = [p.render() for p in problems]
    return found


# --- grading --------------------------------------------------------------------------------------

def run_selfcheck(question: str | None = None, *, path: str | os.PathLike | None = None,
                  assignment: str | None = None, cell_timeout: float = 60,
                  total_timeout: float = 300) -> SelfCheckReport:
    """Grade the saved notebook the way the official grading does, and return the results (nothing is printed)."""
    import nbformat

    from kenshu.grading.isolated import GradingCell, GradingFailed, Limits, run_isolated

    notebook = find_notebook(path, assignment)
    reference_path, hidden = find_reference(notebook)
    try:
        reference = nbformat.reads(reference_path.read_text(encoding="utf-8"), as_version=4)
        ids = _test_ids(reference_path)
    except (OSError, ValueError):
        raise SelfCheckError(f"{reference_path.name} を読めませんでした。", todo="講師に連絡してください。") from None
    try:
        learner = nbformat.reads(notebook.read_text(encoding="utf-8"), as_version=4)
        learner["cells"]
    except Exception:  # nbformat's own errors as well as JSON ones
        raise SelfCheckError(f"{notebook.name} をノートブックとして読めませんでした。",
                             todo="JupyterLab で開いて保存し直してください。") from None
    wanted = set(ids)
    if question is not None:
        wanted = {i for i in ids if _matches(i, question_id(question))}
        if not wanted:
            known = "、".join(dict.fromkeys(question_label(i) for i in ids)) or "（なし）"
            raise SelfCheckError(f"「{question}」に当たる問がありません（あるもの: {known}）。",
                                 todo='check("問1") のように、問の番号を書いてください。')
    typing_problems = _typing_problems(learner)
    released = not hidden or notebook.resolve() == reference_path.resolve()
    cells, tampered = assemble(learner, reference, reference_is_learner=released)
    grading: list[GradingCell] = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        grade_id = _nbgrader(cell).get("grade_id")
        if is_test_cell(cell):
            if grade_id in wanted and grade_id not in tampered:
                grading.append(GradingCell(index, "test", _source(cell), grade_id))
        else:
            grading.append(GradingCell(index, "learner", _source(cell), grade_id))
    denied = [reference_path.parent] if hidden else []
    try:
        answer = run_isolated(grading, files=reference_path.parent, denied=denied,
                              limits=Limits(cell_seconds=cell_timeout, total_seconds=total_timeout))
    except GradingFailed as error:
        raise SelfCheckError(str(error), todo="もう一度 check() を実行してください。続くときは講師に連絡してください。") from None
    results = []
    for index, cell in enumerate(cells):
        grade_id = _nbgrader(cell).get("grade_id")
        if not is_test_cell(cell) or grade_id not in wanted:
            continue
        max_points = float(_nbgrader(cell).get("points", 0) or 0)
        if grade_id in tampered:
            results.append(QuestionResult(grade_id, 0.0, max_points, False,
                                          "確認のセルが書き換えられているため、この問は採点できません。"
                                          "配られたときの内容に戻してください。"))
            continue
        done = answer.cells.get(index)
        passed = done.passed if done else False
        message = done.message if done else ""
        if not passed and grade_id in typing_problems:
            message = "答えのセルの書き方を直してください。" + " ".join(typing_problems[grade_id])
        if not hidden:  # only the form was checked: right or wrong is decided at grading
            results.append(QuestionResult(grade_id, 0.0, max_points, None if passed else False, message))
            continue
        points = max_points if passed else 0.0
        results.append(QuestionResult(grade_id, points, max_points, passed, message))
    return SelfCheckReport(notebook=notebook, hidden_tests_used=hidden, results=results)


def check(question: str | None = None, *, path: str | os.PathLike | None = None,
          assignment: str | None = None, cell_timeout: float = 60,
          total_timeout: float = 300) -> SelfCheckReport | None:
    """Grade this notebook as saved and print ✓/✗, points and a Japanese reason for each question."""
    if os.environ.get("KENSHU_GRADING"):
        print("（採点の実行中のため、ここでは check() を実行しません）")
        return None
    try:
        notebook = find_notebook(path, assignment)
        saved = datetime.fromtimestamp(notebook.stat().st_mtime).strftime("%H:%M:%S")
        print(f"{notebook.name} を採点しています…（保存: {saved}）", flush=True)
        print(SAVE_REMINDER, flush=True)
        report = run_selfcheck(question, path=notebook, cell_timeout=cell_timeout, total_timeout=total_timeout)
    except KenshuError as exc:
        print(f"⚠ {exc.title}\n{exc}")
        return None
    print(report.render())
    return None


__all__ = ["QuestionResult", "SelfCheckError", "SelfCheckReport", "check", "run_selfcheck"]
