"""Lesson 05's no-code path: draft a document from a drafting task, then check the draft against its facts.

The tasks are the rows of ``datasets/notices/drafting_tasks.csv`` (id, kind, audience, facts
separated by " / ", the items a drafter would still need). ``request_for`` writes the request a
learner would send; ``check_draft`` compares a draft with the task: which given facts appear,
which needed items are left 【要確認】, and which figures and dates of the draft are not in the facts.
``unsupported_sentences`` does the last check for any source and draft, sentence by sentence.

A machine finds figures and dates only. A sentence that claims something the source does not say
(「記念品を差し上げます」) has no figure to compare: finding it is the reader's job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from kenshu import datasets
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_text, ipywidgets, text_area
from kenshu.lessons.scene_translation import quantities

MISSING = "【要確認】"
CONFIDENTIALITY = 1   # the tasks are fictional and hold no personal data


@dataclass(frozen=True)
class Task:
    id: str
    kind: str
    audience: str
    facts: tuple[tuple[str, str], ...]   # (label, value)
    missing: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.id} {self.kind}（{self.audience}）"


def _fact(item: str) -> tuple[str, str]:
    label, sep, value = item.partition(":")
    return (label.strip(), value.strip()) if sep else ("", item.strip())


def tasks() -> list[Task]:
    """Every drafting task of the data set, in the file's order."""
    frame = datasets.drafting_tasks()
    return [Task(row.id, row.kind, row.audience, tuple(_fact(item) for item in row.facts.split(" / ")),
                 tuple(row.missing)) for row in frame.itertuples()]


def task(task_id: str) -> Task:
    for item in tasks():
        if item.id == task_id:
            return item
    raise datasets.DatasetError(f"文書作成の課題「{task_id}」はありません。", todo="N01 から N24 のどれかを指定してください。")


def request_for(item: Task) -> str:
    """The request a learner writes from the task: kind, reader, the facts as lines, what to do with gaps."""
    lines = "\n".join(f"{label}: {value}" if label else value for label, value in item.facts)
    return (f"あなたは若葉市の職員です。{item.audience}向けの{item.kind}の文案を、公用文の書き方で作ってください。\n"
            f"次の事実だけを使い、書かれていないことは【要確認】と書いてください。\n---\n{lines}")


# ---------------------------------------------------------------- figures and dates

_DATE = re.compile(r"(?:令和|平成)\s*(?:\d{1,2}|元)\s*年(?:度)?"
                   r"|\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*[（(][月火水木金土日](?:曜日?)?[）)]|\s*[月火水木金土日]曜日)?"
                   r"|\d{1,2}\s*時(?:\s*\d{1,2}\s*分|半)?|\d{1,2}:\d{2}")
_WEEKDAY = re.compile(r"（?([月火水木金土日])(?:曜日?)?）?$")


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("(", "（").replace(")", "）")


def _date_key(value: str) -> str:
    """「10月18日(土曜日)」「10月18日 土曜日」 → 「10月18日（土）」."""
    match = re.match(r"(\d{1,2}月\d{1,2}日)(.*)$", value)
    if not match or not match.group(2):
        return value
    day = _WEEKDAY.search(match.group(2))
    return f"{match.group(1)}（{day.group(1)}）" if day else match.group(1)


def dates(text: str) -> list[str]:
    """The years, dates and times in ``text``, each on its own: 「令和7年」「10月18日（土）」「14時」 (digits half-width)."""
    return [_date_key(_normal(match.group(0))) for match in _DATE.finditer(unicodedata.normalize("NFKC", text))]


def _date_in(value: str, source_dates: list[str]) -> bool:
    # a date without a weekday is supported by the same date with one; a weekday must match the source's
    return value in source_dates or any(other.startswith(value + "（") for other in source_dates)


_ITEM_NUMBER = re.compile(r"^[ \t　]*(?:[0-9０-９]{1,2}[.．)）]|[（(][0-9０-９]{1,2}[)）]|[SＳ][0-9０-９]{1,2}[.．:：]?)[ \t　]*", re.M)


def _unnumbered(text: str) -> str:
    """``text`` without the numbers of its list items (「1. 日時」「（2）」「S3」)."""
    return _ITEM_NUMBER.sub("", text)


def unsupported_figures(source: str, draft: str) -> list[str]:
    """The figures (amounts, counts, ratios) and dates/times of ``draft`` that ``source`` does not have."""
    source, draft = _unnumbered(source), _unnumbered(draft)
    source_dates = dates(source)
    found = [value for value in dates(draft) if not _date_in(value, source_dates)]
    have = quantities(source)
    for value in quantities(draft):
        if not any(abs(value - other) < 1e-9 for other in have):
            found.append(f"{value:,.0f}" if value == int(value) else f"{value:g}")
    return found


@dataclass(frozen=True)
class SentenceFinding:
    number: int          # 1-based, in the draft's order
    sentence: str
    figures: tuple[str, ...]


def unsupported_sentences(source: str, draft: str) -> list[SentenceFinding]:
    """The sentences of ``draft`` with a figure or date that ``source`` does not have."""
    found = []
    for number, sentence in enumerate(_sentences(draft), start=1):
        figures = unsupported_figures(source, sentence)
        if figures:
            found.append(SentenceFinding(number, sentence, tuple(figures)))
    return found


def _sentences(text: str) -> list[str]:
    return [sentence.strip() for line in text.splitlines() if line.strip()
            for sentence in split_sentences(line) if sentence.strip()]


def sentence_report(source: str, draft: str) -> str:
    """The second mode's verdict: the numbered sentences to look at, and what a machine cannot see."""
    if not source.strip() or not draft.strip():
        return "元の資料と下書きの両方を貼り付けてください。"
    findings = unsupported_sentences(source, draft)
    lines = [f"下書きを {len(_sentences(draft))} 文に分けて、数と日付を元の資料と照らしました。"]
    if findings:
        lines.append("✗ 元の資料にない数・日付がある文:")
        lines += [f"  {f.number}. {f.sentence}（資料にないもの: {'、'.join(f.figures)}）" for f in findings]
    else:
        lines.append("✓ 下書きの数・日付は、すべて元の資料にあります。")
    lines.append("数も日付もない文（「記念品を差し上げます」など）が資料にあるかどうかは、機械には分かりません。一文ずつ読んで確かめてください。")
    return "\n".join(lines)


# ---------------------------------------------------------------- a draft against its task

@dataclass(frozen=True)
class DraftCheck:
    present: tuple[tuple[str, str], ...]    # facts whose value is in the draft
    absent: tuple[tuple[str, str], ...]     # facts whose value is not
    marks: int                              # how many 【要確認】 the draft has
    missing_named: tuple[str, ...]          # needed items the draft names
    missing_unnamed: tuple[str, ...]        # needed items the draft does not name at all
    figures: tuple[str, ...]                # figures/dates not in the facts

    def text(self) -> str:
        out = [f"事実 {len(self.present) + len(self.absent)} 件のうち、下書きにあるもの {len(self.present)} 件:"]
        out += [f"  ✓ {label}: {value}" if label else f"  ✓ {value}" for label, value in self.present]
        if self.absent:
            out.append("✗ 下書きに見つからない事実（書き漏れか、言い換えか、読んで確かめます）:")
            out += [f"  ✗ {label}: {value}" if label else f"  ✗ {value}" for label, value in self.absent]
        out.append(f"【要確認】の数: {self.marks}")
        if self.missing_unnamed:
            out.append("まだ分かっていない項目のうち、下書きが触れていないもの（【要確認】として足すか、担当課に確かめます）:")
            out += [f"  ・{item}" for item in self.missing_unnamed]
        if self.figures:
            out.append(f"✗ 事実にない数・日付: {'、'.join(self.figures)}（作られた数でないか確かめます）")
        else:
            out.append("✓ 下書きの数・日付は、すべて事実にあります。")
        out.append("機械が照らせるのは、事実の文字と数・日付だけです。事実にない内容の文や、敬語の誤りは、読んで確かめてください。")
        return "\n".join(out)


def _named(item: str, draft: str) -> bool:
    head = re.split(r"[のと（(、]", item)[0]
    return bool(head) and head in draft


def check_draft(item: Task, draft: str) -> DraftCheck:
    """Compare ``draft`` with the task's facts (written text matched after width/space normalisation)."""
    normal = _normal(draft)
    present, absent = [], []
    for label, value in item.facts:
        (present if _normal(value) in normal else absent).append((label, value))
    source = "\n".join(value for _, value in item.facts)
    named = tuple(m for m in item.missing if _named(m, draft))
    unnamed = tuple(m for m in item.missing if m not in named)
    return DraftCheck(tuple(present), tuple(absent), draft.count(MISSING), named, unnamed,
                      tuple(unsupported_figures(source, draft)))


@dataclass(frozen=True)
class DraftResult:
    task: Task
    request: str
    reply: str
    check: DraftCheck


def run_task(task_id: str, *, ask: Callable[..., str] | None = None) -> DraftResult:
    """The request, the model's reply (an error as a Japanese message) and the check of the reply."""
    item = task(task_id)
    request = request_for(item)
    if ask is None:
        from kenshu.simple_ask import ask
    try:
        reply = ask(request, confidentiality=CONFIDENTIALITY)
    except KenshuError as error:
        reply = error_text(error)
    return DraftResult(item, request, reply, check_draft(item, reply))


# ---------------------------------------------------------------- the widget

def draft_checker() -> LessonWidget:
    """Two modes: pick a task and 「下書きと点検」; or paste a source and a draft and 「文を点検」."""
    widgets = ipywidgets()
    items = tasks()
    choice = widgets.Dropdown(options=[(item.label, item.id) for item in items], value=items[0].id,
                              description="課題:", layout=widgets.Layout(width="32em"))
    run = widgets.Button(description="下書きと点検", button_style="primary", icon="play")

    request_box, reply_box, check_box = text_area("8em"), text_area("16em"), text_area("14em")
    source_box = text_area("7em", disabled=False, placeholder="元の資料（事実）を貼り付けます")
    draft_box = text_area("9em", disabled=False, placeholder="AI の下書きを貼り付けます")
    sentences = widgets.Button(description="文を点検", button_style="primary", icon="search")
    sentence_box = text_area("10em")

    def on_run(_: object) -> None:
        result = run_task(choice.value)
        request_box.value = result.request
        reply_box.value = result.reply
        check_box.value = result.check.text()

    def on_sentences(_: object) -> None:
        sentence_box.value = sentence_report(source_box.value, draft_box.value)

    run.on_click(on_run)
    sentences.on_click(on_sentences)
    first = widgets.VBox([widgets.HBox([choice, run]),
                          widgets.Label("送った依頼文:"), request_box,
                          widgets.Label("AI の下書き:"), reply_box,
                          widgets.Label("事実との照らし合わせ:"), check_box])
    second = widgets.VBox([widgets.Label("元の資料:"), source_box, widgets.Label("下書き:"), draft_box,
                           sentences, widgets.Label("資料にない数・日付がある文:"), sentence_box])
    tabs = widgets.Tab(children=[first, second])
    tabs.set_title(0, "課題から下書き")
    tabs.set_title(1, "貼り付けて点検")
    return LessonWidget(tabs, inputs={"task": choice, "source": source_box, "draft": draft_box},
                        outputs={"request": request_box, "reply": reply_box, "check": check_box,
                                 "sentences": sentence_box},
                        buttons={"run": run, "sentences": sentences})


__all__ = ["CONFIDENTIALITY", "MISSING", "DraftCheck", "DraftResult", "SentenceFinding", "Task", "check_draft",
           "dates", "draft_checker", "request_for", "run_task", "sentence_report", "task", "tasks",
           "unsupported_figures", "unsupported_sentences"]
