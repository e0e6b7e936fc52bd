"""Lesson 13: ``case_picker``, a case from the 活用事例集 filled in, sent through the gate, and its checklist.

The learner picks a case, changes the values to put in (each starts with the case's fictional example), and
presses 「送る」. The request is sent with the case's 機密性, and only when the configured backend is one the case
allows; the answer is shown with the checks a person must make and the case's known failures.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_html, ipywidgets, notice_html


def case_html(case: Any) -> str:
    d = case.data
    risk = d["risk"]
    rows = [("目的", d["context"]["purpose"]), ("課の例", d["context"]["department"]),
            ("扱う情報", f"機密性{case.confidentiality}・個人情報{'あり' if case.personal_data else 'なし'}"),
            ("送ってよい接続先", "・".join(case.backends)),
            ("リスク", f"{risk['level']}（利用者: {risk['users']}／業務: {risk['task']}／学習: {risk['training']}"
                       f"／判断: {risk['judgement']}）")]
    cells = "".join(f"<tr><th style='text-align:left;padding-right:8px;white-space:nowrap'>{html.escape(k)}</th>"
                    f"<td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def checklist_html(case: Any) -> str:
    checks = "".join(f"<li>☐ {html.escape(c)}</li>" for c in case.checks)
    failures = "".join(f"<li>{html.escape(f)}</li>" for f in case.data["failure_modes"])
    return (f"<b>確かめること</b>（答えを使う前に、一つずつ確かめます）<ul style='list-style:none'>{checks}</ul>"
            f"<b>よくある失敗</b><ul>{failures}</ul>")


def send_case(case: Any, values: dict[str, str], *, backend: str | None = None,
              ask: Callable[..., str] | None = None) -> str:
    """The reply to the case's filled prompt; refuses (``KenshuError``) a backend the case does not allow."""
    from kenshu.settings import resolve

    chosen = backend or resolve().backend
    if chosen not in case.backends:
        raise KenshuError(f"事例 {case.id} は、接続先「{chosen}」に送らない事例です（送ってよい接続先: {'・'.join(case.backends)}）。",
                          todo="事例の入力の機密性や個人情報の有無を確かめ、送ってよい接続先に切り替えてください。")
    if ask is None:
        from kenshu.simple_ask import ask
    return ask(case.fill(values), confidentiality=case.confidentiality, **({"backend": backend} if backend else {}))


def case_picker(catalogue: Any = None, *, ask: Callable[..., str] | None = None) -> LessonWidget:
    """Pick a case, fill its placeholders, 「送る」; the answer and the case's checklist."""
    from kenshu.cases import load_catalogue

    widgets = ipywidgets()
    cases = list(catalogue if catalogue is not None else load_catalogue())
    chooser = widgets.Dropdown(options=[(f"{c.id} {c.title}（{c.category}）", c.id) for c in cases],
                               layout=widgets.Layout(width="40em"))
    about = widgets.HTML()
    fields_box = widgets.VBox()
    prompt = widgets.Textarea(disabled=True, layout=widgets.Layout(width="48em", height="10em"))
    send = widgets.Button(description="送る", button_style="primary", icon="paper-plane")
    answer = widgets.HTML()
    checks = widgets.HTML()
    entries: dict[str, Any] = {}

    def current() -> Any:
        return next(c for c in cases if c.id == chooser.value)

    def values() -> dict[str, str]:
        return {name: box.value for name, box in entries.items()}

    def refresh(_: object = None) -> None:
        prompt.value = current().fill(values())

    def show(_: object = None) -> None:
        case = current()
        entries.clear()
        for placeholder in case.placeholders:
            box = widgets.Text(value=placeholder["example"], description=placeholder["name"],
                               placeholder=placeholder["description"], style={"description_width": "10em"},
                               layout=widgets.Layout(width="48em"))
            box.observe(refresh, names="value")
            entries[placeholder["name"]] = box
        fields_box.children = list(entries.values())
        about.value = case_html(case)
        answer.value, checks.value = "", ""
        refresh()

    def on_send(_: object) -> None:
        case = current()
        if any(not v.strip() for v in values().values()):
            answer.value = notice_html("差し込む所がすべて埋まってから「送る」を押してください。")
            return
        try:
            reply = send_case(case, values(), ask=ask)
        except KenshuError as error:
            answer.value = error_html(error)
            checks.value = ""
            return
        answer.value = f"<b>答え</b><div style='white-space:pre-wrap'>{html.escape(reply)}</div>"
        checks.value = checklist_html(case)

    chooser.observe(show, names="value")
    send.on_click(on_send)
    if cases:
        show()
    box = widgets.VBox([chooser, about, widgets.HTML("<b>差し込む値</b>（例が入っています。書き換えてかまいません）:"),
                        fields_box, widgets.HTML("<b>送る依頼文</b>:"), prompt, send, answer, checks])
    return LessonWidget(box, inputs={"case": chooser, "fields": fields_box}, outputs={"prompt": prompt, "answer": answer,
                                                                                       "checks": checks},
                        buttons={"send": send})
