"""Lesson 08's no-code path: edit the label list, classify a whole data set, see the agreement and the crosstab.

``read_labels`` reads the box (one label a line, ``名前: 手がかりの言葉``); ``run_batch``
classifies every row through ``kenshu.lessons.batch.classify_texts`` (so through
``kenshu.ask``) and compares with the person's labels; ``comment_classifier()`` is the widget.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kenshu import datasets
from kenshu.lessons.batch import UNDECIDED, agreement, classify_texts, failure_report
from kenshu.lessons.common import LessonWidget, ipywidgets, notice_html

# data set -> (name shown, loader, text column, person's label column, instruction, starting labels)
DATASETS: dict[str, tuple[str, Any, str, str, str, str]] = {
    "inquiries": ("会計事務の問い合わせ（346 件）", datasets.inquiries, "text", "category",
                  "次の問い合わせを、次のカテゴリのいずれかに分類し、カテゴリ名だけを答えてください。",
                  "支出: 支払、払う、前払、部分払、資金前渡、振込、二重払、代金、立替、返してもらう\n"
                  "契約: 入札、見積、随意契約、随契、委託、契約書、リース、貸付、業者、何社\n"
                  "決算・年度末: 年度末、繰越、前年度、納品日、出納整理期間、3月、新年度\n"
                  "予算: 予算、流用、補助金、地方債、発注、分けて、予備費\n"
                  "歳入: 納付書、手数料、ふるさと納税、金庫、消込、収入、現金\n"
                  "証拠書類: 請求書、領収書、証拠書類、インボイス、検収、保存、宛名\n"
                  "旅費: 出張、旅費、宿泊料、車賃、日当\n"
                  "その他: 異動、権限、システム、端末、どこに聞けば、電子決裁"),
    "comments": ("パブリックコメントの賛否（232 件）", datasets.public_comments, "text", "stance",
                 "次の意見を、次の賛否のいずれかに分類し、賛否だけを答えてください。",
                 "賛成: 賛成、ありがたい、期待、良い\n条件付き賛成: 条件、ただし、なら賛成、配慮\n"
                 "反対: 反対、困る、疑問、やめて\n意見・質問: 質問、教えて、ですか、示して"),
}


def read_labels(text: str) -> dict[str, str]:
    """``名前: 手がかり`` lines (the part after : is optional) as {label: keywords}."""
    labels: dict[str, str] = {}
    for line in text.splitlines():
        name, _, hint = line.replace("：", ":").partition(":")
        if name.strip():
            labels[name.strip()] = hint.strip()
    return labels


@dataclass
class BatchOutcome:
    machine: pd.Series
    person: pd.Series
    same: int
    rate: float

    @property
    def undecided(self) -> int:
        return int((self.machine == UNDECIDED).sum())

    def table(self) -> pd.DataFrame:
        return pd.crosstab(self.person, self.machine, rownames=["人の分類"], colnames=["機械の分類"])

    def summary(self) -> str:
        return (f"{len(self.machine)} 件中 {self.same} 件が人の分類と一致しました（一致率 {self.rate}%）。"
                f"判定不能は {self.undecided} 件です。")


def run_batch(dataset: str, label_text: str) -> BatchOutcome:
    """Classify every row of ``dataset`` with the labels in ``label_text``; compare with the person's labels."""
    _, load, text_column, label_column, instruction, _ = DATASETS[dataset]
    data = load()
    machine = classify_texts(data[text_column], read_labels(label_text), instruction=instruction, progress=False)
    same, rate = agreement(data[label_column], machine)
    return BatchOutcome(machine, data[label_column], same, rate)


def comment_classifier(dataset: str = "inquiries") -> LessonWidget:
    """Choose the data, edit the labels, 「分類する」: the agreement and the crosstab with the person's labels."""
    widgets = ipywidgets()
    choice = widgets.Dropdown(options=[(spec[0], name) for name, spec in DATASETS.items()], value=dataset,
                              description="データ:", layout=widgets.Layout(width="30em"))
    labels = widgets.Textarea(value=DATASETS[dataset][5], layout=widgets.Layout(width="100%", height="12em"))
    run = widgets.Button(description="分類する", button_style="primary", icon="play")
    result = widgets.HTML()

    def on_data(change: dict) -> None:
        labels.value = DATASETS[change["new"]][5]
        result.value = ""

    def on_run(_: object) -> None:
        if len(read_labels(labels.value)) < 2:
            result.value = notice_html("ラベルを 2 つ以上、1 行に 1 つずつ書いてください（例: 旅費: 出張、宿泊料）。")
            return
        result.value = "分類しています…"
        outcome = run_batch(choice.value, labels.value)
        report = failure_report(outcome.machine)
        if report:
            result.value = notice_html(report)
            return
        result.value = f"<p>{html.escape(outcome.summary())}</p>" + outcome.table().to_html()

    choice.observe(on_data, names="value")
    run.on_click(on_run)
    rows = [widgets.HBox([choice, run]),
            widgets.Label("ラベルの一覧（1 行に 1 つ。「:」の後は手がかりの言葉）:"), labels, result]
    return LessonWidget(widgets.VBox(rows), inputs={"dataset": choice, "labels": labels}, outputs={"result": result},
                        buttons={"run": run})


__all__ = ["DATASETS", "BatchOutcome", "comment_classifier", "read_labels", "run_batch"]
