"""Lesson 09: ``faq_chat``, questions to the accounting inquiry bot, each answer with the sections it cites.

The learner types (or picks) a question and presses 「質問する」. The answer shows first; below it each cited
section opens on a click with its heading, 施行日, 状態 and text, so the learner checks the answer against it.
A refusal (「手引きに定めがありません」) is shown as such, with the contact section.
"""

from __future__ import annotations

import html
from typing import Any

from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_html, ipywidgets, notice_html

EXAMPLES = ("資金前渡の精算はいつまでにしますか", "業務委託90万円、随契でいけますか",
            "2025年3月25日に契約した100万円の物品、随契で大丈夫だった？", "出張がキャンセルになってキャンセル料がかかった",
            "退職手当の支給日はいつ？")
_bot: Any = None


def _default_bot() -> Any:
    global _bot
    if _bot is None:
        from kenshu.faq import FaqBot

        _bot = FaqBot()
    return _bot


def answer_html(answer: Any) -> str:
    """The answer as the widget shows it: the text, then its notes; a refusal in its own colour."""
    colour = "#8a4b00" if answer.refused else "inherit"
    lines = [f'<div style="white-space:pre-wrap;color:{colour}">{html.escape(answer.text)}</div>']
    lines += [f'<div style="color:#555;margin-top:4px">※ {html.escape(note)}</div>' for note in answer.notes]
    return "\n".join(lines)


def section_html(section: Any) -> str:
    state = "現行" if section.current else html.escape(section.status)
    return (f'<div style="color:#555">施行日 {html.escape(section.effective or "不明")}・{state}</div>'
            f'<div style="white-space:pre-wrap">{html.escape(section.body)}</div>')


def faq_chat(bot: Any = None) -> LessonWidget:
    """A question box and 「質問する」; the answer, then the cited sections (click one to read it)."""
    widgets = ipywidgets()
    question = widgets.Combobox(value=EXAMPLES[1], options=list(EXAMPLES), placeholder="質問を書くか、一覧から選びます",
                                ensure_option=False, layout=widgets.Layout(width="40em"))
    ask = widgets.Button(description="質問する", button_style="primary", icon="comment")
    answer_box = widgets.HTML()
    sources_label = widgets.HTML()
    sources = widgets.Accordion()

    def on_ask(_: object) -> None:
        text = question.value.strip()
        if not text:
            answer_box.value = notice_html("質問を書いてから「質問する」を押してください。")
            return
        try:
            answer = (bot or _default_bot()).answer(text)
        except KenshuError as error:
            answer_box.value = error_html(error)
            sources.children, sources_label.value = (), ""
            return
        answer_box.value = answer_html(answer)
        cited = list(answer.citations)
        sources.children = [widgets.HTML(section_html(s)) for s in cited]
        for index, section in enumerate(cited):
            sources.set_title(index, section.label())
        sources.selected_index = None
        sources_label.value = "<b>根拠の節</b>（クリックすると本文を表示します）:" if cited else ""

    ask.on_click(on_ask)
    box = widgets.VBox([widgets.HBox([question, ask]), widgets.HTML("<b>ボットの答え:</b>"), answer_box,
                        sources_label, sources])
    return LessonWidget(box, inputs={"question": question}, outputs={"answer": answer_box, "sources": sources},
                        buttons={"ask": ask})


__all__ = ["EXAMPLES", "answer_html", "faq_chat", "section_html"]
