"""``kenshu exercises build``: regenerate the learners' ``exercises/`` from ``solutions/`` with nbgrader.

nbgrader removes ``exercises/<課題名>/`` before it writes the new one, so a learner's answers saved there
would be lost. Before that, the build is made once in a scratch folder (with a scratch gradebook) and
compared with ``exercises/``: a file the build would not write, or a notebook edited since a build
wrote it, stops the build with the list (nothing is changed) unless ``force`` is given. What Jupyter
and Python write there (``.ipynb_checkpoints/``, ``__pycache__/``; ``kenshu.kitfiles``) is not work.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from kenshu.errors import KenshuError
from kenshu.kitfiles import kit_files
from kenshu.paths import kit_root

CONFIG_NAME = "nbgrader_config.py"


class ExerciseBuildError(KenshuError):
    title = "受講者用の課題を作れませんでした"


def find_assignments(solutions: Path) -> list[str]:
    """Assignment names: the folders in ``solutions/`` that hold at least one notebook."""
    if not solutions.is_dir():
        return []
    return sorted(p.name for p in solutions.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))


def _check_notebook(path: Path, root: Path) -> None:
    """Fail with a plain Japanese message when a notebook is not valid JSON or not a notebook."""
    import nbformat

    shown = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ExerciseBuildError(f"{shown} の文字コードが UTF-8 ではありません。",
                                 todo="JupyterLab で開き直して保存するか、UTF-8 で保存し直してください。") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExerciseBuildError(
            f"{shown} はノートブックとして読めません（{exc.lineno} 行目 {exc.colno} 文字目あたりの書式が壊れています）。",
            todo="テキストエディターで直接編集した場合は、その箇所（カンマや括弧の過不足）を直すか、"
                 "git で前の版に戻してください。") from None
    try:
        nbformat.validate(nbformat.reads(text, as_version=4))
    except Exception as exc:  # nbformat's ValidationError and friends
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExerciseBuildError(f"{shown} はノートブックの形式に合っていません（{first}）。",
                                 todo="JupyterLab で開いて保存し直してください。") from None


def nbgrader_api(grader: Path, scratch: Path | None = None):
    """An ``NbGraderAPI`` configured from ``grader/nbgrader_config.py``, as stock ``nbgrader`` run in ``grader/`` would be.

    With ``scratch``, the assignments are released into ``scratch/exercises`` and recorded in a gradebook
    there: a trial build that leaves ``exercises/`` and ``grader/gradebook.db`` as they are.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_NAME, path=str(grader)).load_config()
    config.NbGraderAPI.log_level = logging.ERROR
    if scratch is not None:
        config.CourseDirectory.release_directory = str(scratch / "exercises")  # absolute: not joined to root
        config.CourseDirectory.db_url = f"sqlite:///{(scratch / 'gradebook.db').as_posix()}"
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def _ensure_alembic_on_path() -> None:
    # nbgrader runs the `alembic` command when it creates a new gradebook; it lives beside this Python.
    if shutil.which("alembic") is None:
        os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")


def _nbgrader_reason(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "理由は記録されていません"


def _generate(api, name: str) -> None:
    result = api.generate_assignment(name, force=True, create=True)
    if not result.get("success"):
        raise ExerciseBuildError(
            f"課題「{name}」の受講者用を作れませんでした（nbgrader: {_nbgrader_reason(result)}）。",
            todo="解答セル・テストセルの設定（grade_id の重複や ### BEGIN SOLUTION の書き方）を確かめてください。"
                 "詳しくは grader/ で `nbgrader generate_assignment " + name + " --force` を実行すると表示されます。")


def _cells(path: Path) -> list[tuple[str, str]] | None:
    """(cell type, source) of each cell; None when the file is not a readable notebook."""
    import nbformat

    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # a broken file is kept for the person to look at, never overwritten silently
        return None
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def _as_built(path: Path) -> bool:
    """Whether every cell is still as a build wrote it, by the checksum nbgrader stored in each cell.

    An earlier build from an older solutions/ differs from a fresh build but holds no learner work.
    """
    import nbformat
    from nbgrader.utils import compute_checksum

    try:
        notebook = nbformat.read(path, as_version=4)
        return all(cell.metadata.get("nbgrader", {}).get("checksum") == compute_checksum(cell)
                   for cell in notebook.cells)
    except Exception:  # no nbgrader metadata (a cell the learner added) or not a notebook
        return False


def learner_changes(current: Path, fresh: Path) -> list[tuple[str, str]]:
    """(file, why) for what a build writing ``fresh`` over ``current`` would lose; leftovers do not count."""
    built = set(kit_files(fresh))
    found = []
    for name in kit_files(current):
        if name not in built:
            found.append((name, "作り直しでは作られないファイルです"))
        elif name.endswith(".ipynb"):
            mine = _cells(current / name)
            if mine != _cells(fresh / name) and not (mine is not None and _as_built(current / name)):
                found.append((name, "配ったときから書き換えられています"))
        elif (current / name).read_bytes() != (fresh / name).read_bytes():
            found.append((name, "solutions/ のものと内容が違います"))
    return found


def _check_nothing_is_lost(grader: Path, root: Path, names: list[str]) -> None:
    """Build into a scratch folder and stop if writing it over exercises/ would lose a learner's work."""
    existing = [name for name in names if kit_files(root / "exercises" / name)]
    if not existing:
        return
    at_risk = []
    with tempfile.TemporaryDirectory(prefix="kenshu-build-") as folder:
        scratch = Path(folder)
        api = nbgrader_api(grader, scratch=scratch)
        for name in existing:
            _generate(api, name)
            at_risk += [(f"exercises/{name}/{file}", why)
                        for file, why in learner_changes(root / "exercises" / name, scratch / "exercises" / name)]
    if at_risk:
        listed = "\n".join(f"  - {file}（{why}）" for file, why in at_risk)
        raise ExerciseBuildError(
            "作り直すと、exercises/ の次のファイルが消えるか元に戻ります（受講者の解答かもしれません）。"
            f"何も変更していません。\n{listed}",
            todo="残したいファイルは exercises/ の外（別のフォルダー）へ移してから、もう一度実行してください。"
                 "消えてもよい場合は --force を付けて実行します（例: python3 run.py exercises build --force）。")


def build_exercises(assignment: str | None = None, force: bool = False) -> int:
    """Regenerate ``exercises/<name>/`` for one or all assignments in ``solutions/``; 0 on success, 1 on failure.

    Unless ``force``, stop without changing anything when the build would lose a learner's work in exercises/.
    """
    try:
        root = kit_root()
        grader, solutions = root / "grader", root / "solutions"
        if not (grader / CONFIG_NAME).is_file():
            raise ExerciseBuildError(f"nbgrader の設定ファイル（grader/{CONFIG_NAME}）が見つかりません。",
                                     todo="キットのフォルダーで実行しているか確かめてください。")
        names = find_assignments(solutions)
        if assignment is not None:
            if assignment not in names:
                known = "、".join(names) or "（なし）"
                raise ExerciseBuildError(f"課題「{assignment}」が solutions/ にありません（ある課題: {known}）。",
                                         todo=f"solutions/{assignment}/{assignment}.ipynb を作るか、課題名を確かめてください。")
            names = [assignment]
        if not names:
            print("solutions/ に課題がありません。何もしませんでした。")
            return 0
        for name in names:
            for notebook in sorted((solutions / name).glob("*.ipynb")):
                _check_notebook(notebook, root)

        _ensure_alembic_on_path()
        if not force:
            _check_nothing_is_lost(grader, root, names)
        api = nbgrader_api(grader)
        for name in names:
            print(f"課題「{name}」: solutions/{name}/ から exercises/{name}/ を作っています…", flush=True)
            _generate(api, name)
            made = sorted(p.name for p in (root / "exercises" / name).glob("*.ipynb"))
            print(f"  ✓ exercises/{name}/ を更新しました（{'、'.join(made)}）")
    except KenshuError as exc:
        print(f"[kenshu] {exc}", file=sys.stderr)
        return 1
    print("完了しました。exercises/ の変更を確認してから git に登録してください。")
    return 0
