"""In the learner's kernel: beginner mistakes in exercises become a short Japanese box, not a traceback.

``install()`` (run by ``import kenshu.exercise`` in the first cell of every exercise) adds two
hooks to IPython, and only to IPython; in the grading processes it does nothing:

- an **answer cell** with a mistake (``kenshu.grading.answers``: quotes missing, full-width
  quotes or spaces, a closing quote missing) is not run; the box says what to type instead;
- a **check cell** (one that imports from ``kenshu.grading``) whose check fails, or that needs
  an answer not yet given, shows the check's Japanese message.

Either way the cell ends without an error, so 「すべてのセルを実行」 goes on to the end and the
``check()`` cell there still runs. The official grading never sees these hooks: it runs the
saved notebook in its own processes, where a failing check is a failing check.
"""

from __future__ import annotations

import ast
import html
import os

from kenshu.grading import answers

_BOX = ";padding:6px 10px;margin:4px 0;white-space:pre-wrap;font-size:14px"
BOX_STYLES = {"fix": "border-left:4px solid #b3261e;background:#fdecea" + _BOX,    # something to correct
              "todo": "border-left:4px solid #5f6b7a;background:#eef2f6" + _BOX}   # not answered yet
NOT_ANSWERED = "まだ答えが書かれていません"
_GUARD = ast.parse(
    "try:\n    pass\n"
    "except NameError as __kenshu_error:\n"
    "    __import__('kenshu.grading.notebook_hook', fromlist=['_']).show_missing(__kenshu_error)\n"
    "except AssertionError as __kenshu_error:\n"
    "    __import__('kenshu.grading.notebook_hook', fromlist=['_']).show_failed(__kenshu_error)\n"
    "except Exception as __kenshu_error:\n"
    "    __import__('kenshu.grading.notebook_hook', fromlist=['_']).show_error(__kenshu_error)\n")


class Box:
    """A Japanese message shown as a red box (plain text where HTML is not shown)."""

    def __init__(self, title: str, lines: list[str], tone: str = "fix") -> None:
        self.title = title
        self.lines = lines
        self.tone = tone

    @property
    def mark(self) -> str:
        return "⚠" if self.tone == "fix" else "－"

    def _repr_html_(self) -> str:
        body = "<br>".join(html.escape(line) for line in self.lines)
        return (f'<div class="kenshu-exercise-box" style="{BOX_STYLES[self.tone]}">'
                f"<b>{self.mark} {html.escape(self.title)}</b><br>{body}</div>")

    def __repr__(self) -> str:
        return "\n".join([f"{self.mark} {self.title}", *self.lines])


def _display(box: Box) -> None:
    from IPython.display import display

    display(box)


def show_answer_problems(source: str) -> None:
    problems = answers.problems(source)
    _display(Box("答えの書き方を直してください（このセルはまだ実行されていません）",
                 [problem.render() for problem in problems]))


def show_missing(error: NameError) -> None:
    name = getattr(error, "name", None) or ""
    if answers.ANSWER_NAME.fullmatch(name):
        message = answers.missing_answer(name)
    else:
        message = (f"「{name}」が見つかりません。上のセルを順に実行したか、名前の書き間違いがないか確かめてください。"
                   if name else str(error))
    _display(Box("確認できませんでした", [message]))


def show_failed(error: AssertionError) -> None:
    message = str(error) or "確認が通りませんでした。"
    if NOT_ANSWERED in message:
        _display(Box("まだ答えがありません", [message], tone="todo"))
    else:
        _display(Box("確認の結果", [message]))


def show_error(error: Exception) -> None:
    _display(Box("確認の途中でエラーになりました",
                 [f"{type(error).__name__}: {error}", "答えのセルを見直してから、もう一度実行してください。"]))


def _guard_answer_cells(lines: list[str]) -> list[str]:
    source = "".join(lines)
    if answers.problems(source):
        return [f"__import__('kenshu.grading.notebook_hook', fromlist=['_']).show_answer_problems({source!r})\n"]
    return lines


class _GuardCheckCells(ast.NodeTransformer):
    """Wrap a check cell (it imports from kenshu.grading) so that a failed check is shown, not raised."""

    def visit_Module(self, node: ast.Module) -> ast.Module:
        is_check = any(isinstance(n, ast.ImportFrom) and (n.module or "").startswith("kenshu.grading")
                       for n in ast.walk(node))
        if not is_check or not node.body:
            return node
        guard = ast.parse(ast.unparse(_GUARD)).body[0]
        guard.body = node.body
        node.body = [guard]
        return ast.fix_missing_locations(node)


def install(shell: object = None) -> bool:
    """Add the hooks to ``shell`` (default: the running IPython); False where there is none.

    Nothing is added while grading (``KENSHU_GRADING``): the sandbox runs answer cells in an IPython
    of its own, where the hooks would hide failures and count as tampering.
    """
    if os.environ.get("KENSHU_GRADING"):
        return False
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "ast_transformers"):
        return False
    if _guard_answer_cells not in shell.input_transformers_post:
        shell.input_transformers_post.append(_guard_answer_cells)
    if not any(isinstance(t, _GuardCheckCells) for t in shell.ast_transformers):
        shell.ast_transformers.append(_GuardCheckCells())
    return True


__all__ = ["Box", "install", "show_answer_problems", "show_error", "show_failed", "show_missing"]
