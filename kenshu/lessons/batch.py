"""Lesson 08: classify many free-text rows, one request per row (the batch pattern).

Every row gets the same fixed instruction and label list; the reply is normalised to one
of the labels, or 「判定不能」 when it names none (or more than one). Requests go through
``kenshu.ask``, so the gate and the audit log apply and a real backend works unchanged.
When a request fails (server unreachable, gate refusal, ...), the rows done so far are
kept: the result carries them, and ``failed`` / ``error`` say which rows failed and why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from kenshu.errors import KenshuError
from kenshu.lessons.common import error_text

UNDECIDED = "判定不能"
NOT_DONE = "未処理"


def build_instruction(labels: Iterable[str] | Mapping[str, str], *, instruction: str | None = None) -> str:
    """The fixed instruction sent before every row: the labels one a line (with keywords if given)."""
    if isinstance(labels, Mapping):
        lines = [f"- {name}: {hint}" if hint else f"- {name}" for name, hint in labels.items()]
    else:
        lines = [f"- {name}" for name in labels]
    head = instruction or "次の問い合わせを、次のカテゴリのいずれかに分類し、カテゴリ名だけを答えてください。"
    return (f"{head}\n" + "\n".join(lines)
            + f"\nどのカテゴリとも決められないときは「{UNDECIDED}」と答えてください。\n---\n")


def normalise_answer(reply: str, labels: Iterable[str]) -> str:
    """The one label the reply names, else 「判定不能」 (a longer label wins over one it contains)."""
    names = list(labels)
    text = unicodedata.normalize("NFKC", reply).strip().strip("「」『』\"'。. ")
    for name in names:
        if text == unicodedata.normalize("NFKC", name):
            return name
    found = [name for name in names if unicodedata.normalize("NFKC", name) in text]
    found = [name for name in found if not any(name != other and name in other for other in found)]
    return found[0] if len(found) == 1 else UNDECIDED


def failure_report(result: pd.Series) -> str:
    """What a partial result says: how many rows were done, which failed and why (empty when complete)."""
    failed = result.attrs.get("failed") or []
    if not failed:
        return ""
    done = len(result) - len(failed)
    return (f"{len(result)} 件中 {done} 件を分類しました。{len(failed)} 件は分類できませんでした"
            f"（「{NOT_DONE}」と表示。最初の行: {failed[0]}）。\n{result.attrs.get('error', '')}\n"
            "原因を直してから、同じセルをもう一度実行してください。分類済みの行は、この結果に残っています。")


def classify_texts(texts: Iterable[str] | pd.Series, labels: Iterable[str] | Mapping[str, str], *,
                   instruction: str | None = None, progress: bool = True, confidentiality: int = 1,
                   ask: Callable[..., str] | None = None) -> pd.Series:
    """Each text's label (Series with the texts' index); at the first error, stop and keep the rows done.

    A partial result has 「未処理」 in the rows not done, ``attrs["failed"]`` (their index) and
    ``attrs["error"]`` (the kit's Japanese message); the message is also printed.
    """
    import kenshu

    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts))
    names = list(labels)
    fixed = build_instruction(labels, instruction=instruction)
    send = ask or kenshu.ask
    results: dict = {}
    rows = series.items()
    if progress:
        from tqdm.auto import tqdm

        rows = tqdm(rows, total=len(series), desc="分類", unit="件")
    error: KenshuError | None = None
    for index, text in rows:
        try:
            reply = send(fixed + str(text), confidentiality=confidentiality)
        except KenshuError as exc:
            error = exc
            break
        results[index] = normalise_answer(reply, names)
    failed = [index for index in series.index if index not in results]
    out = pd.Series([results.get(index, NOT_DONE) for index in series.index], index=series.index, name="機械の分類")
    out.attrs["failed"] = failed
    out.attrs["error"] = error_text(error) if error is not None else ""
    if failed:
        print(failure_report(out))
    return out


def agreement(person: pd.Series, machine: pd.Series) -> tuple[int, float]:
    """How many rows the person's and the machine's labels agree on, and the rate in %."""
    same = int((person == machine).sum())
    return same, round(100 * same / len(person), 1) if len(person) else 0.0


def most_confused(person: pd.Series, machine: pd.Series) -> tuple[str, str, int]:
    """The (person's label, machine's label) pair that differs most often, with its count."""
    table = pd.crosstab(person, machine)
    best = ("", "", 0)
    for row in table.index:
        for column in table.columns:
            if row != column and column != UNDECIDED and table.loc[row, column] > best[2]:
                best = (row, column, int(table.loc[row, column]))
    return best


__all__ = ["NOT_DONE", "UNDECIDED", "agreement", "build_instruction", "classify_texts", "failure_report",
           "most_confused", "normalise_answer"]
