"""Lesson 03's no-code paths (個人情報を守る): type, click, see.

- ``mynumber_calculator()``: the マイナンバー check digit worked out step by step.
- ``masked_ask_box()``: mask a record (① マスクする), let the learner read and correct the masked
  text, send only that text on purpose (② 確かめて送信), and restore the reply on this PC.

``check_digit_steps``, ``prepare`` and ``send_reviewed`` hold the logic, so they can be tested
without a browser. Nothing typed into the calculator leaves this PC. The box sends through
``kenshu.ask`` to the backend the kit is set to, so the gate checks what is sent like any call:
a 機密性 the backend may not receive is stopped, whatever the masking did.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kenshu.errors import KenshuError
from kenshu.gate import BACKEND_LABELS, BLOCKED, DECISION_LABELS, Decision, check_confidentiality, decide, policy_for
from kenshu.gate.policy import CLASS_LABELS
from kenshu.lessons.common import LessonWidget, error_html, ipywidgets, notice_html
from kenshu.safety import LABELS, Masked, mask
from kenshu.safety.checksums import mynumber_weight as weight
from kenshu.safety.folding import fold

_SEPARATORS = re.compile(r"[\s-]")
_ASCII_DIGITS = re.compile(r"[0-9]+")
EMPTY_RECORD = "文章が空です。上の欄に貼り付けてから押してください。"
EMPTY_REVIEW = "送る文章が空です。「① マスクする」を押し直してください。"
DEFAULT_REQUEST = "以下の記録を2点で要約してください。"
# the record starts after this line, so the engine and a reader can tell request and record apart
RECORD_MARK = "---"


@dataclass(frozen=True)
class CheckDigitSteps:
    digits: str                                   # the 11 or 12 half-width digits used ("" if unusable)
    rows: tuple[tuple[int, int, int, int], ...]   # (n, P(n), Q(n), P(n)*Q(n)), n from 11 down to 1
    total: int = 0
    remainder: int = 0
    check_digit: int | None = None                # the computed 12th digit
    given: int | None = None                      # the 12th digit typed, when 12 digits were given
    problem: str = ""                             # why nothing could be computed
    note: str = ""                                # e.g. full-width digits were read as half-width

    @property
    def valid(self) -> bool | None:
        """True/False for 12 digits; None when only 11 were given or the input was unusable."""
        if self.problem or self.given is None:
            return None
        return self.given == self.check_digit

    def table(self) -> pd.DataFrame:
        """One row per digit, left to right as typed."""
        frame = pd.DataFrame(list(self.rows), columns=["右からの位置 n", "数字 P", "重み Q", "P × Q"])
        frame.insert(0, "左から", [f"{i}桁目" for i in range(1, len(frame) + 1)])
        return frame

    def verdict(self) -> str:
        if self.problem:
            return self.problem
        if self.given is None:
            return f"12桁目（検査用数字）は {self.check_digit} になります。"
        if self.valid:
            return f"12桁目は {self.given} で、計算結果 {self.check_digit} と一致します。形の上では正しい番号です。"
        return (f"12桁目は {self.given} ですが、計算結果は {self.check_digit} です。"
                "検査用数字が合わないので、マイナンバーとしては正しくありません（書き誤りの可能性があります）。")

    def to_html(self) -> str:
        if self.problem:
            return notice_html(self.problem)
        cell = "border:1px solid #ccc;padding:2px 8px;text-align:right"
        head = "".join(f'<th style="{cell};background:#f3f3f3">{html.escape(str(h))}</th>'
                       for h in ("", *[f"{i}桁目" for i in range(1, 12)]))
        lines = []
        for label, index in (("数字 P", 1), ("右からの位置 n", 0), ("重み Q", 2), ("P × Q", 3)):
            cells = "".join(f'<td style="{cell}">{row[index]}</td>' for row in self.rows)
            lines.append(f'<tr><th style="{cell};background:#f3f3f3">{label}</th>{cells}</tr>')
        products = " + ".join(str(row[3]) for row in self.rows)
        steps = [
            f"① 掛け算の合計: {products} = <b>{self.total}</b>",
            f"② 11 で割った余り: {self.total} ÷ 11 = {self.total // 11} 余り <b>{self.remainder}</b>",
            ("③ 余りが 0 か 1 なので、検査用数字は <b>0</b>" if self.remainder <= 1 else
             f"③ 11 − {self.remainder} = <b>{self.check_digit}</b>"),
        ]
        colour = {True: "#1e7b34", False: "#b3261e", None: "#333"}[self.valid]
        note = f'<div style="color:#555">{html.escape(self.note)}</div>' if self.note else ""
        return (f'<div style="font-size:14px">{note}'
                f'<table style="border-collapse:collapse;margin:6px 0"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(lines)}</tbody></table>'
                f'<div>{"<br>".join(steps)}</div>'
                f'<div style="margin-top:6px;font-weight:bold;color:{colour}">{html.escape(self.verdict())}</div></div>')

    def _repr_html_(self) -> str:
        return self.to_html()


def check_digit_steps(text: object) -> CheckDigitSteps:
    """Work out the check digit of 11 digits, or check the 12th of 12 digits, one step at a time.

    Spaces and hyphens are ignored; full-width digits are read as half-width (and said so).
    """
    raw = "" if text is None else str(text)
    folded = _SEPARATORS.sub("", fold(raw))
    if not folded:
        return CheckDigitSteps("", (), problem="数字が入力されていません。11 桁か 12 桁の数字を入力してください。")
    if not _ASCII_DIGITS.fullmatch(folded):
        return CheckDigitSteps("", (), problem="数字以外の文字が含まれています。11 桁か 12 桁の数字だけを入力してください。")
    if len(folded) not in (11, 12):
        return CheckDigitSteps("", (), problem=f"{len(folded)} 桁です。マイナンバーは 12 桁です"
                                             "（11 桁なら 12 桁目を計算します）。")
    note = "全角の数字は半角に直して計算しました。" if fold(raw) != raw and re.search(r"[０-９]", raw) else ""
    body = [int(d) for d in folded[:11]]
    rows = tuple((11 - i, p, weight(11 - i), p * weight(11 - i)) for i, p in enumerate(body))
    total = sum(row[3] for row in rows)
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    given = int(folded[11]) if len(folded) == 12 else None
    return CheckDigitSteps(folded, rows, total, remainder, check, given, note=note)


def mynumber_calculator(value: str = "") -> LessonWidget:
    """A box for 11 or 12 digits, a button, and the check-digit calculation step by step."""
    widgets = ipywidgets()

    box = widgets.Text(value=value, placeholder="例: 123456789018（架空の番号で試してください）",
                       description="番号:", layout=widgets.Layout(width="30em"))
    button = widgets.Button(description="計算する", button_style="primary", icon="calculator")
    result = widgets.HTML()
    warning = widgets.HTML('<div style="color:#555;font-size:90%">実在の人の番号は入力しないでください。'
                           "計算はこの PC の中だけで行い、どこにも送りません。</div>")

    def run(_: object = None) -> None:
        result.value = check_digit_steps(box.value).to_html()

    button.on_click(run)
    if value:
        run()
    return LessonWidget(widgets.VBox([warning, widgets.HBox([box, button]), result]),
                        inputs={"number": box}, outputs={"result": result}, buttons={"calculate": button})


# ---------------------------------------------------------------- mask, review, send, restore

@dataclass(frozen=True)
class Prepared:
    """Step ①: the masked text to review, and what the gate would do with it on the current backend."""
    text: str                      # request + masked record: what ② sends unless the learner edits it
    masked: Masked                 # the masking (the mapping stays on this PC)
    counts: dict[str, int]         # kind label -> how many pieces were replaced
    confidentiality: int
    backend: str
    decision: Decision             # the gate's decision for ``text`` on ``backend``


@dataclass(frozen=True)
class MaskedExchange:
    sent: str                      # exactly what was sent (the reviewed, masked text)
    reply: str                     # the reply as received (placeholders in it)
    restored: str                  # the reply with placeholders put back, on this PC
    counts: dict[str, int]         # kind label -> how many pieces were masked


def prepare(request: str, record: str, confidentiality: int = 2, *, backend: str | None = None) -> Prepared:
    """Mask the request and the record together (one numbering, hand-written ［氏名1］ never reused).

    ``confidentiality`` is what the record is (a record with welfare or health details is 3);
    ``backend`` defaults to the one the kit is set to. Nothing is sent.
    """
    from kenshu.settings import resolve

    level = check_confidentiality(confidentiality)
    settings = resolve() if backend is None else resolve(backend=backend)
    masked = mask(f"{request.strip()}\n\n{RECORD_MARK}\n{record.strip()}")
    counts = dict(Counter(LABELS[span.kind] for span in masked.spans))
    decision = decide(policy_for(settings), settings.backend, level, masked.text)
    return Prepared(masked.text, masked, counts, level, settings.backend, decision)


def send_reviewed(text: str, prepared: Prepared, *, ask: Callable[..., str] | None = None) -> MaskedExchange:
    """Step ②: send the reviewed ``text`` with the declared 機密性 (the gate checks it again); restore the reply."""
    if ask is None:
        from kenshu.simple_ask import ask
    reply = ask(text, confidentiality=prepared.confidentiality)
    return MaskedExchange(text, reply, prepared.masked.unmask(reply), prepared.counts)


def masked_ask(request: str, record: str, *, confidentiality: int = 2,
               ask: Callable[..., str] | None = None) -> MaskedExchange:
    """① and ② in one go, for code: mask, send the masked text as it is, restore the reply."""
    prepared = prepare(request, record, confidentiality)
    return send_reviewed(prepared.text, prepared, ask=ask)


def _pre(text: str, background: str = "#fafafa") -> str:
    return (f'<div style="border:1px solid #ccc;border-radius:4px;padding:6px;white-space:pre-wrap;'
            f'overflow-wrap:anywhere;line-height:1.5;background:{background}">{html.escape(text).strip()}</div>')


def _decision_html(prepared: Prepared) -> str:
    decision = prepared.decision
    colour = "#b3261e" if decision.action == BLOCKED else "#1e7b34"
    where = f"{prepared.backend}（{BACKEND_LABELS[prepared.backend]}）"
    todo = f"<div>対処: {html.escape(decision.todo)}</div>" if decision.todo else ""
    warning = ("<div>このまま送ると、送信前の点検（ゲート）が止めます。</div>" if decision.action == BLOCKED else "")
    return (f'<div style="margin:4px 0">送り先: <b>{html.escape(where)}</b>　'
            f"{html.escape(CLASS_LABELS[prepared.confidentiality])}として送ります。<br>"
            f'ゲートの判定: <b style="color:{colour}">{DECISION_LABELS[decision.action]}</b>'
            f' ― {html.escape(decision.summary or decision.what)}{warning}{todo}</div>')


def masked_ask_box(record: str = "", request: str = DEFAULT_REQUEST, confidentiality: int = 2) -> LessonWidget:
    """① mask the record and show the text to send, editable; ② send that text on purpose and restore the reply."""
    widgets = ipywidgets()
    level_value = check_confidentiality(confidentiality)

    request_box = widgets.Text(value=request, description="依頼文:", layout=widgets.Layout(width="95%"))
    record_box = widgets.Textarea(value=record, placeholder="相談記録などの文章を貼り付けてください。",
                                  layout=widgets.Layout(width="95%", height="9em"))
    level = widgets.Dropdown(options=[(label, n) for n, label in CLASS_LABELS.items()], value=level_value,
                             description="この記録の機密性:", style={"description_width": "initial"},
                             layout=widgets.Layout(width="auto"))
    mask_button = widgets.Button(description="① マスクする", button_style="primary", icon="user-secret",
                                 layout=widgets.Layout(width="12em"))
    status = widgets.HTML()
    review = widgets.Textarea(layout=widgets.Layout(width="95%", height="14em", display="none"))
    send_button = widgets.Button(description="② 確かめたので送信", button_style="warning", icon="paper-plane",
                                 layout=widgets.Layout(width="16em", display="none"))
    verdict = widgets.HTML()
    result = widgets.HTML()
    state: dict[str, Prepared] = {}

    def reset(_: object = None) -> None:
        state.clear()
        status.value = verdict.value = result.value = ""
        review.layout.display = send_button.layout.display = "none"

    def run_mask(_: object = None) -> None:
        reset()
        if not record_box.value.strip():
            status.value = notice_html(EMPTY_RECORD)
            return
        try:
            prepared = prepare(request_box.value, record_box.value, level.value)
        except KenshuError as error:
            status.value = error_html(error)
            return
        state["prepared"] = prepared
        found = "、".join(f"{label} {count} 件" for label, count in prepared.counts.items()) or "なし"
        status.value = (f"<div>記号に置き換えた個人情報: {html.escape(found)}</div>"
                        "<h4 style='margin:8px 0 4px'>送る文章（個人情報を記号に置き換えたもの）</h4>"
                        '<div style="color:#555;font-size:90%">送る前に、この欄を上から読んでください。'
                        "検出ツールが見逃した氏名や、読めばだれか分かる記述が残っていたら、この欄で消すか書き換えてから送ります。</div>")
        review.value = prepared.text
        review.layout.display = send_button.layout.display = None
        verdict.value = _decision_html(prepared)

    def run_send(_: object = None) -> None:
        prepared = state.get("prepared")
        if prepared is None:
            return
        if not review.value.strip():
            result.value = notice_html(EMPTY_REVIEW)
            return
        try:
            exchange = send_reviewed(review.value, prepared)
        except KenshuError as error:
            result.value = error_html(error)
            return
        result.value = (f"<h4 style='margin:8px 0 4px'>AI の返答（記号のまま）</h4>{_pre(exchange.reply)}"
                        "<h4 style='margin:8px 0 4px'>記号を元に戻した返答（この PC の中で戻しています）</h4>"
                        f"{_pre(exchange.restored, '#eef7ee')}")

    mask_button.on_click(run_mask)
    send_button.on_click(run_send)
    for box in (request_box, record_box, level):
        box.observe(reset, names="value")   # a changed record or class: mask again before sending
    return LessonWidget(widgets.VBox([request_box, record_box, widgets.HBox([level, mask_button]), status, review,
                                      verdict, send_button, result]),
                        inputs={"request": request_box, "record": record_box, "confidentiality": level,
                                "review": review},
                        outputs={"status": status, "verdict": verdict, "result": result},
                        buttons={"mask": mask_button, "send": send_button})


__all__ = ["CheckDigitSteps", "MaskedExchange", "Prepared", "check_digit_steps", "masked_ask", "masked_ask_box",
           "mynumber_calculator", "prepare", "send_reviewed", "weight"]
