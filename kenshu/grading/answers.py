"""What is wrong with an answer cell, in words a beginner can act on.

A core answer cell holds assignments such as ``answer_q1 = ""``; the learner types the
answer between the quotes. The mistakes beginners make there, and what to tell them:

- the quotes missing (``answer_q1 = B``, which Python reads as a variable B);
- full-width quotes (“B”, ＂B＂), 「B」 brackets, a full-width ＝ or a full-width space;
- a closing quote missing (``answer_q1 = "B``);
- the answer line deleted (no ``answer_q1 = …`` left).

The learner's kernel (``kenshu.grading.notebook_hook``) and ``check()`` both use
``problems()``, so the notebook and the self-check name the same problem.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

ANSWER_NAME = re.compile(r"answer_\w+")
# an answer line, also with a full-width ＝ or leading full-width spaces
_ANSWER_LINE = re.compile(r"^[\s\u3000]*(answer_\w+)[\s\u3000]*[=＝](.*)$")
_FULL_WIDTH_QUOTES = "“”„‟＂‘’‚‛＇"
_BRACKET_QUOTES = "「」『』"


@dataclass(frozen=True)
class AnswerProblem:
    line: int          # 1-based line of the cell
    name: str | None   # the answer variable the line assigns, if any
    message: str       # Japanese: what is wrong and what to type

    def render(self) -> str:
        return f"{self.line} 行目: {self.message}"


def answer_names(source: str) -> list[str]:
    """The answer variables a cell assigns, in order (from the text, so a broken cell still tells)."""
    names = []
    for line in source.splitlines():
        match = _ANSWER_LINE.match(line)
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def is_answer_cell(source: str) -> bool:
    return bool(answer_names(source))


def _example(name: str, value: str = "") -> str:
    """How the line should look, with what the learner typed (never a suggested answer)."""
    typed = value.strip(" \u3000" + _FULL_WIDTH_QUOTES + _BRACKET_QUOTES + "\"'")
    return f'{name} = "{typed or "…"}"'


def _line_problem(number: int, line: str) -> AnswerProblem | None:
    match = _ANSWER_LINE.match(line)
    if not match:
        return None
    name, value = match.group(1), match.group(2).strip(" ")
    outside_quotes = line[: match.start(2)] + re.sub(r'"[^"]*"|\'[^\']*\'', "", value)
    if "\u3000" in outside_quotes or "＝" in line[: match.start(2)]:
        what = "全角の「＝」" if "＝" in line[: match.start(2)] else "全角のスペース"
        return AnswerProblem(number, name, f"{what}が入っています。半角で「{name} = \"…\"」と書き直してください"
                                           "（日本語入力をオフにしてから入力します）。")
    if not value:
        return AnswerProblem(number, name, f"= の右側が空です。{name} = \"\" の \" と \" の間に答えを書いてください。")
    if any(mark in value for mark in _FULL_WIDTH_QUOTES):
        return AnswerProblem(number, name, "引用符が全角（“ ” など）になっています。半角の \" に直してください"
                                           f"（例: {_example(name, value)}）。")
    if value[0] in _BRACKET_QUOTES:
        return AnswerProblem(number, name, f"「 」ではなく、半角の \" で囲んでください（例: {_example(name, value)}）。")
    if value.count('"') % 2 == 1 or value.count("'") % 2 == 1:
        return AnswerProblem(number, name, f"閉じる \" がありません。答えの後ろにも \" を書いてください（例: {_example(name, value)}）。")
    return None


def _unquoted(node: ast.expr) -> bool:
    """True when an answer's value is a bare word (a name) where a quoted text was meant."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_unquoted(item) for item in node.elts)
    return False


def problems(source: str) -> list[AnswerProblem]:
    """Every problem found in an answer cell (empty when the cell is fine or not an answer cell)."""
    if not is_answer_cell(source):
        return []
    found = [p for number, line in enumerate(source.splitlines(), 1) if (p := _line_problem(number, line))]
    if found:
        return found
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return [AnswerProblem(error.lineno or 1, None,
                              "書き方に誤りがあります。答えは answer_… = \"…\" の形で、半角の \" で囲んで書きます。")]
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _unquoted(node.value):
            names = [t.id for t in node.targets if isinstance(t, ast.Name) and ANSWER_NAME.fullmatch(t.id)]
            if names:
                typed = ast.get_source_segment(source, node.value) or "…"
                found.append(AnswerProblem(node.lineno, names[0],
                                           f"{typed} が \" で囲まれていません。{names[0]} = \"{typed}\" のように、"
                                           "答えを半角の \" で囲んでください。"))
    return found


def missing_answer(name: str) -> str:
    """What to say when a check needs ``name`` and no cell defines it (the line deleted, or not run yet)."""
    return (f"{name} がまだありません。答えのセルを実行してから、もう一度確かめてください。"
            f"答えの行を消してしまったときは、答えのセルに {name} = \"\" と書き直してください。")


__all__ = ["ANSWER_NAME", "AnswerProblem", "answer_names", "is_answer_cell", "missing_answer", "problems"]
