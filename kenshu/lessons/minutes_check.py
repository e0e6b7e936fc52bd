"""Lesson 06: summaries and action items of meeting records, checked against the reference.

- ``summary_request`` / ``actions_request``: the requests the lesson sends with a record.
- ``reference_items(record)``: the record's decisions and tasks (``*.actions.csv``) as ``ActionItem``.
- ``table_items(reply)``: the rows of a Markdown table 区分・担当・内容・期限 in a reply (any backend).
- ``compare_items(reference, items)`` / ``found_text``: which reference items a table recovered,
  and whether its owner and due date agree (the matching of ``kenshu.engine.tasks.summarise``).
- ``minutes_checker()``: the no-code widget: pick a record, see summary and table next to the reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kenshu.datasets import MeetingRecord, minutes
from kenshu.engine.tasks.summarise import ActionItem, ActionMatch, action_recall, match_actions
from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_text, ipywidgets, text_area

SUMMARY_REQUEST = "次の会議録を、決定事項と宿題がわかるように3点の箇条書きで要約してください。"
ACTIONS_REQUEST = "次の会議録から、決定事項と宿題を、区分・担当・内容・期限の表にしてください。"
_DATE = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})")


def records() -> dict[str, MeetingRecord]:
    return {record.id: record for record in minutes()}


def title(record: MeetingRecord) -> str:
    """「会計事務の引継ぎと…検討会議」: the record's first heading without 「会議録」."""
    first = record.text.splitlines()[0].lstrip("# ").strip()
    return re.sub(r"\s*会議録$", "", first)


def summary_request(record: MeetingRecord) -> str:
    return f"{SUMMARY_REQUEST}\n\n{record.text}"


def actions_request(record: MeetingRecord) -> str:
    return f"{ACTIONS_REQUEST}\n\n{record.text}"


def reference_items(record: MeetingRecord) -> list[ActionItem]:
    frame = record.actions.fillna("")
    return [ActionItem(row.kind, row.text, row.owner, row.due) for row in frame.itertuples(index=False)]


def _iso(due: str) -> str:
    found = _DATE.search(due)
    return f"{found.group(1)}-{int(found.group(2)):02d}-{int(found.group(3)):02d}" if found else ""


def table_items(reply: str) -> list[ActionItem]:
    """The rows of the first Markdown table in ``reply`` whose header names 担当, 内容 and 期限."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in reply.splitlines() if line.strip().startswith("|")]
    if not rows:
        return []
    header = rows[0]
    where = {name: next((i for i, cell in enumerate(header) if name in cell), None) for name in ("区分", "担当", "内容", "期限")}
    if where["内容"] is None:
        return []

    def cell(row: list[str], name: str) -> str:
        index = where[name]
        return row[index] if index is not None and index < len(row) else ""

    items = []
    for row in rows[1:]:
        if all(set(c) <= set("-: ") for c in row):
            continue  # the |---| line
        items.append(ActionItem(cell(row, "区分"), cell(row, "内容"), cell(row, "担当"), _iso(cell(row, "期限"))))
    return items


def compare_items(reference: Sequence[ActionItem], items: Sequence[ActionItem]) -> list[ActionMatch]:
    return match_actions(reference, items)


def found_text(matches: Sequence[ActionMatch]) -> str:
    """One line per reference item: ✓ found (担当 ✓/✗, 期限 ✓/✗) or ✗ not found; the recall last."""
    lines = []
    for match in matches:
        ref = match.reference
        due = ref.due or "期限なし"
        if match.found is None:
            lines.append(f"✗ 見つからない: {ref.text}（{ref.owner}、{due}）")
            continue
        owner = "✓" if match.owner_ok else f"✗（表では「{match.found.owner}」）"
        when = "✓" if match.due_ok else f"✗（表では「{match.found.due or '期限なし'}」）"
        lines.append(f"✓ 見つかった: {ref.text}（{ref.owner}、{due}） 担当 {owner} 期限 {when}")
    found = sum(m.found is not None for m in matches)
    lines.append(f"参照の {len(matches)} 件のうち {found} 件が表にありました"
                 f"（内容・担当・期限を1点ずつ数えた再現率 {action_recall(matches):.2f}）。")
    return "\n".join(lines)


@dataclass(frozen=True)
class MinutesResult:
    record: MeetingRecord
    summary: str
    actions: str
    matches: list[ActionMatch]


def check_minutes(record_id: str, *, ask: Callable[..., str] | None = None) -> MinutesResult:
    """Ask for the summary and the action table of one record; compare the table with the reference."""
    if ask is None:
        import kenshu

        ask = kenshu.ask
    record = records()[record_id]
    summary = ask(summary_request(record), confidentiality=1)
    actions = ask(actions_request(record), confidentiality=1)
    return MinutesResult(record, summary, actions, compare_items(reference_items(record), table_items(actions)))


def minutes_checker() -> LessonWidget:
    """Choose a meeting record; 「実行」 shows the summary and the table next to the reference."""
    widgets = ipywidgets()
    choice = widgets.Dropdown(options=[(title(r), r.id) for r in records().values()], value="kaikei_minaoshi",
                              description="会議録:", layout=widgets.Layout(width="44em"))
    run = widgets.Button(description="実行", button_style="primary", icon="play")

    summary_box, reference_box, actions_box, found_box = text_area("10em"), text_area("10em"), text_area("14em"), text_area("14em")

    def on_run(_: object) -> None:
        try:
            result = check_minutes(choice.value)
        except KenshuError as error:
            summary_box.value = error_text(error)
            return
        summary_box.value = result.summary
        reference_box.value = result.record.summary
        actions_box.value = result.actions
        found_box.value = found_text(result.matches)

    run.on_click(on_run)
    rows = [widgets.HBox([choice, run]),
            widgets.Label("AI の要約:"), summary_box,
            widgets.Label("参照用の要約（人が書いたもの）:"), reference_box,
            widgets.Label("AI が作った決定事項・宿題の表:"), actions_box,
            widgets.Label("参照の決定事項・宿題のうち、表で見つかったもの（担当・期限が合っているか）:"), found_box]
    return LessonWidget(widgets.VBox(rows), inputs={"record": choice},
                        outputs={"summary": summary_box, "reference": reference_box, "actions": actions_box,
                                 "found": found_box},
                        buttons={"run": run})


__all__ = ["ACTIONS_REQUEST", "SUMMARY_REQUEST", "MinutesResult", "actions_request", "check_minutes",
           "compare_items", "found_text", "minutes_checker", "records", "reference_items", "summary_request",
           "table_items", "title"]
