"""No-code paths for lessons: type, click, see."""

from __future__ import annotations

import ipywidgets as widgets

from kenshu.errors import KenshuError
from kenshu.simple_ask import ask


def ask_box(placeholder: str = "ここに依頼文（プロンプト）を入力し、「送信」を押してください。") -> widgets.VBox:
    """A text box and a button that send the prompt with ``ask()`` and show the reply."""
    prompt = widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height="7em"))
    send = widgets.Button(description="送信", button_style="primary", icon="paper-plane")
    clear = widgets.Button(description="消去")
    reply = widgets.Output(layout=widgets.Layout(border="1px solid #ccc", padding="0.5em", min_height="3em"))

    def on_send(_: widgets.Button) -> None:
        reply.clear_output()
        with reply:
            if not prompt.value.strip():
                print("依頼文が空です。上の欄に入力してから「送信」を押してください。")
                return
            try:
                print(ask(prompt.value))
            except KenshuError as error:
                print(f"⚠ {error.title}\n{error}")

    def on_clear(_: widgets.Button) -> None:
        prompt.value = ""
        reply.clear_output()

    send.on_click(on_send)
    clear.on_click(on_clear)
    return widgets.VBox([prompt, widgets.HBox([send, clear]), widgets.Label("AI の返答:"), reply])
