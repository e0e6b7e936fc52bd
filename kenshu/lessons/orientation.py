"""Lesson 00's no-code path: type a prompt, click 送信, read the reply.

``reply_html`` holds the logic (ask, or say what is wrong), so it can be tested
without a browser; ``ask_box()`` is the widget.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_html, ipywidgets, notice_html

EMPTY_PROMPT = "依頼文が空です。上の欄に入力してから「送信」を押してください。"


def reply_html(prompt: str, *, ask: Callable[[str], str] | None = None) -> str:
    """The reply to ``prompt`` as escaped HTML; an empty prompt or a ``KenshuError`` becomes a Japanese message."""
    if not prompt.strip():
        return notice_html(EMPTY_PROMPT)
    if ask is None:
        from kenshu.simple_ask import ask
    try:
        reply = ask(prompt)
    except KenshuError as error:
        return error_html(error)
    return f'<div style="white-space:pre-wrap">{html.escape(reply)}</div>'


def ask_box(placeholder: str = "ここに依頼文（プロンプト）を入力し、「送信」を押してください。",
            example: str = "") -> LessonWidget:
    """A text box and a button that send the prompt with ``ask()`` and show the reply.

    ``example`` fills the box at the start, so a learner can press 送信 first and edit afterwards.
    """
    widgets = ipywidgets()
    prompt = widgets.Textarea(value=example, placeholder=placeholder,
                              layout=widgets.Layout(width="100%", height="7em"))
    send = widgets.Button(description="送信", button_style="primary", icon="paper-plane")
    clear = widgets.Button(description="消去")
    reply = widgets.HTML(layout=widgets.Layout(border="1px solid #ccc", padding="0.5em", min_height="3em"))

    def on_send(_: object) -> None:
        reply.value = reply_html(prompt.value)

    def on_clear(_: object) -> None:
        prompt.value = ""
        reply.value = ""

    send.on_click(on_send)
    clear.on_click(on_clear)
    box = widgets.VBox([prompt, widgets.HBox([send, clear]), widgets.Label("AI の返答:"), reply])
    return LessonWidget(box, inputs={"prompt": prompt}, outputs={"reply": reply},
                        buttons={"send": send, "clear": clear})


__all__ = ["EMPTY_PROMPT", "ask_box", "reply_html"]
