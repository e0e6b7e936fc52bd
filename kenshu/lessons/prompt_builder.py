"""Lesson 04's no-code path: fill in the five elements of a prompt, click, see the prompt, the checklist and the reply.

``assemble_prompt``, ``check_against_request`` and ``run_playground`` hold the logic, so they
can be tested without a browser; ``prompt_playground()`` is the widget.

The checklist (``kenshu.review_prompt``) looks only for words in the prompt. So that a reply
which ignored the request is never left standing next to its praise, the playground also
checks the reply against what can be counted (N点, N行, 表, N字) and says that the rest
(style, content) is for the reader to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kenshu.engine.coach import checklist
from kenshu.engine.instructions import Layout
from kenshu.engine.japanese.length import reader_length
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.notes import body_of
from kenshu.engine.prompt import parse
from kenshu.errors import KenshuError
from kenshu.gate.policy import CLASS_LABELS
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


_BULLET = re.compile(r"^\s*(?:[・●○◆■\-*]|\d+[.)．、]|[（(]\d+[)）])")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
READ_IT_YOURSELF = "文体（です・ます調など）と内容（もとの文章にないことが書かれていないか）は、返答を読んで確かめてください。"
NOTHING_TO_COUNT = ("数えて確かめられる指定（「3点の箇条書き」「3行で」「表で」「200字以内」など）はありません。"
                    "返答を読んで、依頼どおりかを確かめてください。")
NOTES_LEFT_OUT = "返答の最後の注記（※ で始まる行）は数えていません。注記も読んでください。"


def _table_columns(lines: list[str]) -> list[str] | None:
    """The header cells of the first Markdown table in ``lines``, or None when there is no table."""
    for index, line in enumerate(lines[:-1]):
        if line.lstrip().startswith("|") and _TABLE_RULE.match(lines[index + 1]):
            return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return None


def _layout_check(layout: Layout, lines: list[str]) -> tuple[bool, str] | None:
    if layout.kind == "bullets" and layout.count:
        got = sum(bool(_BULLET.match(line)) for line in lines)
        return got == layout.count, f"{layout.count}点の箇条書き: 返答の箇条書きは {got} 点です。"
    if layout.kind == "lines" and layout.count:
        return len(lines) == layout.count, f"{layout.count}行: 返答は {len(lines)} 行です。"
    if layout.kind == "sentences" and layout.count:
        got = len(split_sentences("\n".join(lines)))
        return got == layout.count, f"{layout.count}文: 返答は {got} 文です。"
    if layout.kind == "table":
        columns = _table_columns(lines)
        if columns is None:
            return False, "表: 返答に表がありません。"
        missing = [name for name in layout.columns if name not in columns]
        if missing:
            return False, f"表: 表はありますが、「{'」「'.join(missing)}」の列がありません。"
        return True, "表: 返答は表になっています（中身は読んで確かめてください）。"
    return None


def check_against_request(prompt: str, reply: str) -> str:
    """Whether ``reply`` keeps what ``prompt`` asks for that can be counted: N点, N行, N文, 表, N字.

    The request is read once, as the engine reads it (``kenshu.engine.prompt``: the wording before
    the material). The engine's notes (※) are left out of the count (``kenshu.engine.notes``) and
    characters are counted as a reader counts them (``reader_length``). Style and content cannot
    be counted: the last line says to read them.
    """
    asked = parse([{"role": "user", "content": prompt}]).asked
    body = body_of(reply)
    lines = [line for line in body.splitlines() if line.strip()]
    results = [check for check in (_layout_check(asked.layout, lines),) if check]
    if asked.length is not None:
        chars, limit = reader_length(body), asked.length.chars
        results.append((chars <= limit, f"{asked.length}: 返答は {chars} 字です"
                        + ("。" if chars <= limit else "（指定を超えています）。")))
    if not results:
        return NOTHING_TO_COUNT
    shown = [f"{'✓' if ok else '✗'} {line}" for ok, line in results]
    if body != reply:
        shown.append(NOTES_LEFT_OUT)
    return "\n".join([*shown, READ_IT_YOURSELF])


@dataclass(frozen=True)
class PlaygroundResult:
    prompt: str
    review: str
    reply: str
    check: str = ""   # the reply against the request (``check_against_request``); empty when nothing was sent


def run_playground(values: dict[str, str], send: bool = True, confidentiality: int = 1) -> PlaygroundResult:
    """Assemble the prompt, review it and (when ``send``) ask the model with the declared 機密性.

    Errors (the gate refusing, no connection) become a Japanese reply and no check.
    """
    prompt = assemble_prompt(**{name: values.get(name, "") for name, _, _ in FIELDS})
    if not prompt.strip():
        return PlaygroundResult("", "", "入力欄がすべて空です。少なくとも「目的・背景」に依頼したいことを書いてください。")
    review = checklist(prompt)
    if not send:
        return PlaygroundResult(prompt, review, "")
    try:
        reply = ask(prompt, confidentiality=confidentiality)
    except KenshuError as error:
        return PlaygroundResult(prompt, review, error_text(error), "送信しなかったので、返答の確認はありません。")
    return PlaygroundResult(prompt, review, reply, check_against_request(prompt, reply))


def _box(height: str, placeholder: str = "") -> Any:
    widgets = ipywidgets()
    return widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height=height))


EXAMPLE_CONFIDENTIALITY = 2   # the example is from an internal manual (lesson 02: 機密性2)


def prompt_playground() -> LessonWidget:
    """Five fields, the 機密性, 「組み立てて送信」, and four read-only boxes: prompt, checklist, reply, its check."""
    widgets = ipywidgets()
    inputs = {name: _box("7em" if name == "text" else "2.6em", placeholder) for name, _, placeholder in FIELDS}
    inputs["confidentiality"] = widgets.Dropdown(options=[(label, n) for n, label in CLASS_LABELS.items()], value=1,
                                                 description="入力の機密性:", style={"description_width": "initial"},
                                                 layout=widgets.Layout(width="30em"))
    prompt_box, review_box, reply_box, check_box = _box("10em"), _box("11em"), _box("10em"), _box("6em")
    for box in (prompt_box, review_box, reply_box, check_box):
        box.disabled = True
    send = widgets.Button(description="組み立てて送信", button_style="primary", icon="paper-plane")
    example = widgets.Button(description="例を入れる")
    clear = widgets.Button(description="消去")

    texts = {name: inputs[name] for name, _, _ in FIELDS}
    shown = (prompt_box, review_box, reply_box, check_box)

    def on_send(_: object) -> None:
        result = run_playground({name: box.value for name, box in texts.items()},
                                confidentiality=inputs["confidentiality"].value)
        for box, value in zip(shown, (result.prompt, result.review, result.reply, result.check), strict=True):
            box.value = value

    def on_example(_: object) -> None:
        for name, box in texts.items():
            box.value = EXAMPLE[name]
        inputs["confidentiality"].value = EXAMPLE_CONFIDENTIALITY

    def on_clear(_: object) -> None:
        for box in (*texts.values(), *shown):
            box.value = ""
        inputs["confidentiality"].value = 1

    send.on_click(on_send)
    example.on_click(on_example)
    clear.on_click(on_clear)
    rows: list[Any] = []
    for name, label, _ in FIELDS:
        rows += [widgets.Label(label), inputs[name]]
    rows += [inputs["confidentiality"], widgets.HBox([send, example, clear]),
             widgets.Label("組み立てたプロンプト:"), prompt_box,
             widgets.Label("チェックリスト（依頼文に決まった言葉があるかだけを見ます。返答の良し悪しは見ません）:"), review_box,
             widgets.Label("AI の返答:"), reply_box,
             widgets.Label("返答の確認（数えられる指定が守られているか）:"), check_box]
    return LessonWidget(widgets.VBox(rows), inputs=inputs,
                        outputs={"prompt": prompt_box, "review": review_box, "reply": reply_box, "check": check_box},
                        buttons={"send": send, "example": example, "clear": clear})


__all__ = ["EXAMPLE", "EXAMPLE_CONFIDENTIALITY", "FIELDS", "PlaygroundResult", "assemble_prompt",
           "check_against_request", "prompt_playground", "run_playground"]
