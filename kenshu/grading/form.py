"""Checks for core questions, answered by typing a value between quotes.

A test cell has two parts. The visible part checks only the **form** of the answer (one
letter of A–C, a number, IDs from a list) and says in Japanese how to fix it; it gives no
points by itself. The hidden part **judges** the answer and, when it is wrong, says so and
points to the lesson section to reread, never what the answer is::

    # 問1 の確認（書き方だけを確かめます。正しいかどうかは採点のときに確かめます）
    from kenshu.grading.form import choice
    choice(answer_q1, "ABC", name="answer_q1", question="問1")
    ### BEGIN HIDDEN TESTS
    from kenshu.grading.form import judge_choice
    judge_choice(answer_q1, "B", question="問1", hint="レッスン 02 の「2. 機密性」を読み直しましょう。")
    ### END HIDDEN TESTS

Every answer is read the same way (``read_*``): full-width letters and digits count as
half-width, spaces and 「」 around the answer are ignored, letters may be lower case, and a
list may be separated by 、 , ・ / or spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_SEPARATORS = re.compile(r"[\s,、，・/／;；]+")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_ID = re.compile(r"([A-Za-z]*)[-_]?0*(\d+)")
OK_MESSAGE = "{question}: 書き方は OK です（正しいかどうかは採点のときに確かめます）。"


class FormProblem(AssertionError):
    """The answer is not in the form the question asks for; the message says how to write it."""


class NotYetCorrect(AssertionError):
    """The answer is in the right form but not right; the message never gives the answer."""


# ---------------------------------------------------------------------------- reading answers

def clean(value: object) -> str:
    """The answer as text: NFKC (full-width to half-width), outer spaces and 「」 or quotes removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    while len(text) >= 2 and (text[0], text[-1]) in (("「", "」"), ("『", "』"), ('"', '"'), ("'", "'")):
        text = text[1:-1].strip()
    return text


def read_items(value: object) -> list[str]:
    """Several short answers in one text: 「A, C」「A、C」「A C」, or 「AC」 for single letters."""
    text = clean(value)
    if not text:
        return []
    items = [item for item in _SEPARATORS.split(text) if item]
    if len(items) == 1 and re.fullmatch(r"[A-Za-z]{2,}", items[0]) and len(items[0]) <= 12:
        items = list(items[0])
    return items


def read_number(value: object, unit: str = "") -> float | None:
    """A number typed as text (「80」「８０」「1,200」, with ``unit`` such as 万円 allowed after it), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = clean(value).replace(",", "")
    if unit and text.endswith(unicodedata.normalize("NFKC", unit)):
        text = text[: -len(unicodedata.normalize("NFKC", unit))].strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def canonical_id(item: str, like: Iterable[str] = ()) -> str:
    """「d3」「D-3」「3」 -> 「D03」 when ``like`` has D03: the prefix and zero padding of the known IDs."""
    text = clean(item).upper()
    match = _ID.fullmatch(text)
    if not match:
        return text
    prefix, number = match.group(1), int(match.group(2))
    for known in like:
        known_match = _ID.fullmatch(known.upper())
        if known_match and int(known_match.group(2)) == number and (not prefix or prefix == known_match.group(1)):
            return known.upper()
    return text


# ---------------------------------------------------------------------------- visible: the form only

def _empty(name: str, question: str, what: str) -> FormProblem:
    return FormProblem(f"{question}: まだ答えが書かれていません。{name} = \"\" の \" と \" の間に、{what}を書いてください。")


def _ok(question: str) -> None:
    print(OK_MESSAGE.format(question=question))


def _options(options: str | Sequence[str]) -> list[str]:
    """"ABC" -> ["A", "B", "C"]; a list of words stays a list (upper case, for comparing)."""
    return [clean(option).upper() for option in (list(options) if isinstance(options, str) else options)]


def choice(value: object, options: str | Sequence[str], *, name: str, question: str) -> None:
    """One of ``options``: letters ("ABC") or words (["offline", "compatible", "openai"])."""
    known = _options(options)
    shown = "・".join(options)
    example = options[0]
    text = clean(value).upper()
    if not text:
        raise _empty(name, question, f"{shown} のどれか 1 つ")
    if len([item for item in _SEPARATORS.split(text) if item]) > 1:
        raise FormProblem(f"{question}: 選ぶのは 1 つだけです。{shown} のどれか 1 つを書いてください（例: {name} = \"{example}\"）。")
    if text not in known:
        raise FormProblem(f"{question}: 「{clean(value)}」は選択肢にありません。{shown} のどれか 1 つを書いてください"
                          f"（例: {name} = \"{example}\"）。")
    _ok(question)


def choices(value: object, options: str, *, name: str, question: str) -> None:
    """One or more letters out of ``options``, separated by 、 or , (e.g. "A, C")."""
    shown = "・".join(options)
    items = [item.upper() for item in read_items(value)]
    if not items:
        raise _empty(name, question, f"{shown} から選んだ記号")
    wrong = [item for item in items if item not in options]
    if wrong:
        raise FormProblem(f"{question}: 「{'、'.join(wrong)}」は選択肢にありません。{shown} から選び、"
                          f"「、」で区切って書いてください（書き方: {name} = \"○、○\" の ○ に記号を入れます）。")
    if len(set(items)) != len(items):
        raise FormProblem(f"{question}: 同じ記号が 2 回書かれています。1 回ずつにしてください。")
    _ok(question)


def number(value: object, *, name: str, question: str, unit: str = "") -> None:
    """A number, typed with or without quotes; ``unit`` (e.g. 万円) may follow it."""
    if clean(value) == "":
        raise _empty(name, question, "数字")
    if read_number(value, unit) is None:
        example = f"{name} = \"100\"" + (f"（{unit}は書かなくてもかまいません）" if unit else "")
        raise FormProblem(f"{question}: 「{clean(value)}」は数として読めません。数字だけを書いてください（例: {example}）。")
    _ok(question)


def ids(value: object, allowed: Sequence[str], *, name: str, question: str) -> None:
    """One or more IDs out of ``allowed`` (e.g. D01–D12), separated by 、 or ,."""
    items = read_items(value)
    if not items:
        raise _empty(name, question, f"{allowed[0]}〜{allowed[-1]} の番号")
    known = {a.upper() for a in allowed}
    wrong = [item for item in items if canonical_id(item, allowed) not in known]
    if wrong:
        raise FormProblem(f"{question}: 「{'、'.join(wrong)}」は番号の一覧にありません。{allowed[0]}〜{allowed[-1]} から選び、"
                          f"「、」で区切って書いてください（書き方: {name} = \"○、○\" の ○ に番号を入れます）。")
    picked = [canonical_id(item, allowed) for item in items]
    if len(set(picked)) != len(picked):
        raise FormProblem(f"{question}: 同じ番号が 2 回書かれています。1 回ずつにしてください。")
    _ok(question)


def text(value: object, *, name: str, question: str, max_chars: int = 100) -> None:
    """A short text of at most ``max_chars`` characters."""
    written = clean(value)
    if not written:
        raise _empty(name, question, "答えの文")
    if len(written) > max_chars:
        raise FormProblem(f"{question}: {len(written)} 文字あります。{max_chars} 文字以内にまとめてください。")
    _ok(question)


# ---------------------------------------------------------------------------- hidden: right or not

def _not_yet(question: str, hint: str) -> NotYetCorrect:
    return NotYetCorrect(f"{question}: まだ正解ではありません。{hint}".rstrip())


def _not_answered(question: str) -> NotYetCorrect:
    return NotYetCorrect(f"{question}: まだ答えが書かれていません。")


def judge_choice(value: object, expected: str, *, question: str, hint: str) -> None:
    answer = clean(value).upper()
    if not answer:
        raise _not_answered(question)
    if answer != expected.upper():
        raise _not_yet(question, hint)


def judge_choices(value: object, expected: Iterable[str], *, question: str, hint: str) -> None:
    """The exact set of letters (order and separators do not matter)."""
    answer = {item.upper() for item in read_items(value)}
    if not answer:
        raise _not_answered(question)
    if answer != {item.upper() for item in expected}:
        raise _not_yet(question, hint)


def judge_number(value: object, expected: float, *, question: str, hint: str, unit: str = "",
                 tolerance: float = 0.0) -> None:
    if clean(value) == "":
        raise _not_answered(question)
    answer = read_number(value, unit)
    if answer is None or abs(answer - expected) > tolerance:
        raise _not_yet(question, hint)


def judge_ids(value: object, expected: Iterable[str], *, question: str, hint: str,
              allowed: Sequence[str] = ()) -> None:
    """The exact set of IDs; 「D3」 and 「3」 count as D03 when ``allowed`` (or ``expected``) lists D03."""
    expected = [item.upper() for item in expected]
    like = [*allowed, *expected]
    answer = {canonical_id(item, like) for item in read_items(value)}
    if not answer:
        raise _not_answered(question)
    if answer != set(expected):
        raise _not_yet(question, hint)


def judge_text(value: object, *, question: str, hint: str, all_of: Sequence[Sequence[str]] = (),
               none_of: Sequence[str] = ()) -> None:
    """A short text that names, for each group in ``all_of``, at least one of its words, and none of ``none_of``."""
    answer = clean(value)
    if not answer:
        raise _not_answered(question)
    folded = answer.lower()
    if any(all(clean(word).lower() not in folded for word in group) for group in all_of) or \
            any(clean(word).lower() in folded for word in none_of):
        raise _not_yet(question, hint)


__all__ = ["FormProblem", "NotYetCorrect", "canonical_id", "choice", "choices", "clean", "ids", "judge_choice",
           "judge_choices", "judge_ids", "judge_number", "judge_text", "number", "read_items", "read_number", "text"]
