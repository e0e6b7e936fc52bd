"""個人情報チェッカー: paste a text, see what the gate would find and do with it, per backend.

In a notebook::

    from kenshu.lessons import checker
    checker()

``check_text`` holds the logic (what is found, the masked text, the decision for each
backend under the current policy), so it can be used and tested without a browser.
Nothing is sent anywhere: the check runs on this PC.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from kenshu.errors import KenshuError
from kenshu.gate import (
    ALLOWED,
    BACKEND_LABELS,
    BACKEND_ORDER,
    BLOCKED,
    MASKED,
    MAX_INSPECT_CHARS,
    Decision,
    Policy,
    check_confidentiality,
    decide,
    policy_for,
)
from kenshu.gate.policy import CLASS_LABELS
from kenshu.lessons.common import LessonWidget, error_html, ipywidgets, notice_html
from kenshu.safety import KINDS, LABELS, PUBLIC_KINDS, Masked, Span, find_pii, mask

# one background colour per kind, light enough for black text
COLOURS = {
    "mynumber": "#ffb3b3", "resident_code": "#ffc2e0", "credit_card": "#f5b3ff", "bank_account": "#d6c2ff",
    "person_name": "#ffe08a", "address": "#b8e6b8", "phone": "#a8dcff", "email": "#b3f0e6",
    "postal_code": "#d9f2a6", "birthdate": "#ffd1a8", "corporate_number": "#dddddd",
}
DECISION_STYLES = {
    ALLOWED: ("送信可", "#1e7b34", "#e3f4e7"),
    MASKED: ("マスクして送信", "#8a5a00", "#fff3d6"),
    BLOCKED: ("送信不可", "#b3261e", "#fde7e6"),
}
assert set(COLOURS) == set(KINDS)


@dataclass(frozen=True)
class CheckResult:
    text: str
    confidentiality: int
    spans: tuple[Span, ...]
    masked: Masked
    decisions: dict[str, Decision]
    policy_label: str
    problem: str = ""       # set when the text could not be checked (too long)
    counts: dict[str, int] = field(default_factory=dict)

    # -- HTML pieces (every piece of the learner's text is escaped)

    def highlighted_html(self) -> str:
        pieces, position = [], 0
        for span in self.spans:
            pieces.append(html.escape(self.text[position:span.start]))
            label = LABELS[span.kind]
            pieces.append(
                f'<mark class="kenshu-pii kenshu-{span.kind}" title="{html.escape(label)}" '
                f'style="background:{COLOURS[span.kind]};padding:0 2px;border-radius:3px">'
                f"{html.escape(span.text)}"
                f'<sup style="font-size:70%;color:#333;margin-left:2px;white-space:nowrap">{html.escape(label)}</sup></mark>')
            position = span.end
        pieces.append(html.escape(self.text[position:]))
        return "".join(pieces)

    def legend_html(self) -> str:
        if not self.counts:
            return '<span style="color:#1e7b34">個人情報は見つかりませんでした。</span>'
        items = [f'<span style="background:{COLOURS[k]};padding:1px 6px;border-radius:3px;margin-right:6px">'
                 f"{html.escape(LABELS[k])} {self.counts[k]} 件{'（公開情報）' if k in PUBLIC_KINDS else ''}</span>"
                 for k in KINDS if self.counts.get(k)]
        return "見つかったもの: " + "".join(items)

    def table_html(self) -> str:
        rows = []
        for backend in BACKEND_ORDER:
            decision = self.decisions[backend]
            word, colour, background = DECISION_STYLES[decision.action]
            todo = (f'<div style="color:#555;font-size:90%;margin-top:2px">対処: {html.escape(decision.todo)}</div>'
                    if decision.todo else "")
            rows.append(
                "<tr>"
                f'<td style="{_CELL}width:22%"><b>{backend}</b>'
                f'<div style="color:#555;font-size:90%">{html.escape(BACKEND_LABELS[backend])}</div></td>'
                f'<td style="{_CELL}white-space:nowrap"><span style="color:{colour};background:{background};'
                f'font-weight:bold;padding:2px 8px;border-radius:10px">{word}</span></td>'
                f'<td style="{_CELL}" title="{html.escape(decision.what)}">'
                f"{html.escape(decision.summary or decision.what)}{todo}</td>"
                "</tr>")
        head = "".join(f'<th style="{_CELL}text-align:left;background:#f3f3f3">{h}</th>' for h in ("接続先", "判定", "理由"))
        return (f'<table style="border-collapse:collapse;width:100%;font-size:90%">'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def to_html(self) -> str:
        box = "border:1px solid #ccc;border-radius:4px;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.9"
        if self.problem:
            return notice_html(self.problem)
        return (
            '<div class="kenshu-checker-result" style="font-size:14px">'
            f"<h4 style='margin:8px 0 4px'>見つかった個人情報</h4><div>{self.legend_html()}</div>"
            f"<div style='{box};margin-top:4px'>{self.highlighted_html()}</div>"
            f"<h4 style='margin:12px 0 4px'>マスクした文章（記号に置き換えたもの）</h4>"
            f"<div style='{box};background:#fafafa'>{html.escape(self.masked.text)}</div>"
            f"<h4 style='margin:12px 0 4px'>接続先ごとの判定（{html.escape(CLASS_LABELS[self.confidentiality])}として送る場合）</h4>"
            f"<div style='color:#555;font-size:90%;margin-bottom:4px'>ポリシー: {html.escape(self.policy_label)}。"
            "この点検はこの PC の中だけで行い、どこにも送っていません。見落としや誤検知もあるので、最後は目で確かめてください。</div>"
            f"{self.table_html()}</div>")

    def _repr_html_(self) -> str:
        return self.to_html()


_CELL = "border:1px solid #ddd;padding:6px;vertical-align:top;"


def _current_policy() -> Policy:
    from kenshu.settings import resolve

    return policy_for(resolve())


def check_text(text: str | None, confidentiality: int = 1, *, policy: Policy | None = None) -> CheckResult:
    """What the gate would find in ``text`` and decide for each backend, under ``policy`` (default: the current one)."""
    level = check_confidentiality(confidentiality)
    policy = policy or _current_policy()
    text = "" if text is None else str(text)
    if len(text) > MAX_INSPECT_CHARS:
        problem = (f"文章が {len(text):,} 文字あり、点検できる長さ（{MAX_INSPECT_CHARS:,} 文字）を超えています。"
                   "いくつかに分けて点検してください。")
        decisions = {b: Decision(BLOCKED, b, level, problem) for b in BACKEND_ORDER}
        return CheckResult(text, level, (), Masked(text, (), {}), decisions, policy.label, problem)
    spans = tuple(find_pii(text))
    masked = mask(text)
    decisions = {b: decide(policy, b, level, [text], spans=spans) for b in BACKEND_ORDER}
    return CheckResult(text, level, spans, masked, decisions, policy.label,
                       counts=dict(Counter(s.kind for s in spans)))


def checker(text: str = "", confidentiality: int = 1) -> LessonWidget:
    """The 個人情報チェッカー widget: a text box, a 機密性 choice, a button, and the result.

    ``text`` and ``confidentiality`` fill the boxes in advance (a lesson's example and the 機密性
    it has); given a text, the widget checks it at once.
    """
    widgets = ipywidgets()
    start_level = check_confidentiality(confidentiality)

    box = widgets.Textarea(value=text, placeholder="点検したい文章をここに貼り付けて「点検する」を押してください。"
                                                   "（この PC の中で点検するだけで、どこにも送りません）",
                           layout=widgets.Layout(width="100%", height="9em"))
    level = widgets.Dropdown(options=[(label, n) for n, label in CLASS_LABELS.items()], value=start_level,
                             description="機密性:", style={"description_width": "initial"},
                             layout=widgets.Layout(width="auto"))
    button = widgets.Button(description="点検する", button_style="primary", icon="search")
    result = widgets.HTML()

    def run(_: object = None) -> None:
        try:
            result.value = check_text(box.value, level.value).to_html()
        except KenshuError as error:
            result.value = error_html(error)

    button.on_click(run)
    level.observe(lambda _: run() if result.value else None, names="value")  # a new class: decide again
    if text:
        run()
    return LessonWidget(widgets.VBox([box, widgets.HBox([level, button]), result]),
                        inputs={"text": box, "confidentiality": level}, outputs={"result": result},
                        buttons={"check": button})


__all__ = ["CheckResult", "check_text", "checker"]
