"""Checks for nbgrader test cells whose failures a non-programmer can read.

Each check raises ``AssertionError`` with a Japanese message naming what was
checked, what was expected, what was found and, optionally, a hint::

    expect_equal(count_chars("市役所 です"), 5, what='count_chars("市役所 です") の結果',
                 hint="半角スペースは数えません")
    # AssertionError: （count_chars("市役所 です") の結果）が違います。期待: 5／実際: 6。ヒント: 半角スペースは数えません
"""

from __future__ import annotations

from typing import Any

_TYPE_NAMES: dict[type, str] = {
    str: "文字列（\"…\" で囲んだもの）",
    int: "整数",
    float: "小数",
    bool: "True か False",
    list: "リスト（[…]）",
    dict: "辞書（{…}）",
    tuple: "タプル（(…)）",
}


def _shown(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(kind: type) -> str:
    return _TYPE_NAMES.get(kind, kind.__name__)


def _fail(message: str, hint: str) -> AssertionError:
    return AssertionError(f"{message}。ヒント: {hint}" if hint else f"{message}。")


def expect_equal(actual: Any, expected: Any, *, what: str, hint: str = "") -> None:
    """Pass when ``actual == expected``; otherwise say what was expected and what was found."""
    if actual != expected:
        raise _fail(f"（{what}）が違います。期待: {_shown(expected)}／実際: {_shown(actual)}", hint)


def expect_type(value: Any, kind: type | tuple[type, ...], *, what: str, hint: str = "") -> None:
    """Pass when ``value`` is an instance of ``kind`` (``bool`` does not count as ``int``)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if not ok:
        wanted = "・".join(_type_name(k) for k in kinds)
        raise _fail(f"（{what}）の種類が違います。期待: {wanted}／実際: {_type_name(type(value))}（{_shown(value)}）", hint)


def expect_true(condition: object, *, what: str, hint: str = "") -> None:
    """Pass when ``condition`` is true; ``what`` states the rule that was broken."""
    if not condition:
        raise _fail(f"（{what}）を満たしていません", hint)
