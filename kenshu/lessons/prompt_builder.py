"""Lesson 04's no-code path: fill in the five elements of a prompt, click, see the prompt, the checklist and the reply.

``assemble_prompt`` and ``run_playground`` hold the logic, so they can be tested without
a browser; ``prompt_playground()`` is the widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kenshu.engine.coach import checklist
from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_text, ipywidgets
from kenshu.simple_ask import ask

# (field name, label shown to the learner, placeholder)
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("role", "役割", "例: 若葉市会計課の職員"),
    ("purpose", "目的・背景", "例: 異動してきた職員に周知するため、以下の文章を要約してください。"),
    ("output_format", "出力形式", "例: 3点の箇条書き"),
    ("constraints", "条件・制約", "例: です・ます調で、専門用語は使わないでください。"),
    ("text", "入力（もとになる文章）", "ここに、要約したい文章などを貼り付けます。個人情報は入れないでください。"),
)

EXAMPLE: dict[str, str] = {
    "role": "若葉市会計課の職員",
    "purpose": "4月に異動してきた職員に周知するため、以下の文章を要約してください。",
    "output_format": "2点の箇条書き",
    "constraints": "です・ます調で、専門用語は使わないでください。",
    "text": ("出納整理期間は、4月1日から5月31日までです。この期間には、前年度に発生した支払を前年度の予算で処理できます。"
             "請求書が届いたら、受付日を記入し、速やかに支出命令を起票してください。"
             "5月31日を過ぎると前年度の予算では支払えなくなるため、早めの処理をお願いします。"),
}


def _role_sentence(role: str) -> str:
    """「会計課の職員」→「あなたは会計課の職員です。」; a full sentence is kept as written."""
    role = role.strip()
    if role.startswith("あなたは"):
        return role if role.endswith("。") else role + "。"
    core = role.rstrip("。")
    core = core[:-2] if core.endswith("です") else core
    return f"あなたは{core}です。"


def assemble_prompt(role: str = "", purpose: str = "", text: str = "", output_format: str = "",
                    constraints: str = "") -> str:
    """Build a prompt from the five elements. Empty fields are left out; the input follows a ``---`` line."""
    lines = []
    if role.strip():
        lines.append(_role_sentence(role))
    if purpose.strip():
        lines.append(purpose.strip())
    if output_format.strip():
        lines.append(f"出力形式: {output_format.strip()}")
    if constraints.strip():
        lines.append(f"条件: {constraints.strip()}")
    if text.strip():
        lines += ["---", text.strip()]
    return "\n".join(lines)


@dataclass(frozen=True)
class PlaygroundResult:
    prompt: str
    review: str
    reply: str


def run_playground(values: dict[str, str], send: bool = True) -> PlaygroundResult:
    """Assemble the prompt, review it and (when ``send``) ask the model. Errors become a Japanese reply."""
    prompt = assemble_prompt(**{name: values.get(name, "") for name, _, _ in FIELDS})
    if not prompt.strip():
        return PlaygroundResult("", "", "入力欄がすべて空です。少なくとも「目的・背景」に依頼したいことを書いてください。")
    review = checklist(prompt)
    if not send:
        return PlaygroundResult(prompt, review, "")
    try:
        reply = ask(prompt)
    except KenshuError as error:
        reply = error_text(error)
    return PlaygroundResult(prompt, review, reply)


def _box(height: str, placeholder: str = "") -> Any:
    widgets = ipywidgets()
    return widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height=height))


def prompt_playground() -> LessonWidget:
    """Five fields, 「組み立てて送信」, and three read-only boxes: the prompt, the checklist, the reply."""
    widgets = ipywidgets()
    inputs = {name: _box("7em" if name == "text" else "2.6em", placeholder) for name, _, placeholder in FIELDS}
    prompt_box, review_box, reply_box = _box("10em"), _box("11em"), _box("10em")
    for box in (prompt_box, review_box, reply_box):
        box.disabled = True
    send = widgets.Button(description="組み立てて送信", button_style="primary", icon="paper-plane")
    example = widgets.Button(description="例を入れる")
    clear = widgets.Button(description="消去")

    def on_send(_: object) -> None:
        result = run_playground({name: box.value for name, box in inputs.items()})
        prompt_box.value, review_box.value, reply_box.value = result.prompt, result.review, result.reply

    def on_example(_: object) -> None:
        for name, box in inputs.items():
            box.value = EXAMPLE[name]

    def on_clear(_: object) -> None:
        for box in (*inputs.values(), prompt_box, review_box, reply_box):
            box.value = ""

    send.on_click(on_send)
    example.on_click(on_example)
    clear.on_click(on_clear)
    rows: list[Any] = []
    for name, label, _ in FIELDS:
        rows += [widgets.Label(label), inputs[name]]
    rows += [widgets.HBox([send, example, clear]),
             widgets.Label("組み立てたプロンプト:"), prompt_box,
             widgets.Label("チェックリスト（kenshu.review_prompt）:"), review_box,
             widgets.Label("AI の返答:"), reply_box]
    return LessonWidget(widgets.VBox(rows), inputs=inputs,
                        outputs={"prompt": prompt_box, "review": review_box, "reply": reply_box},
                        buttons={"send": send, "example": example, "clear": clear})


__all__ = ["EXAMPLE", "FIELDS", "PlaygroundResult", "assemble_prompt", "prompt_playground", "run_playground"]
