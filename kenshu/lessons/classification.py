"""情報の分類クイズ: read a document excerpt, pick its 機密性 and the widest backend it may go to as is, check.

Destinations are the kit's backend names (``offline``, ``compatible``, ``openai``; ``azure``
is treated like ``openai``), and each item's answer is what the default policy decides.

In a notebook (lesson 02)::

    from kenshu.lessons import classification_quiz
    classification_quiz()

``grade`` holds the logic (is the choice right, and the explanation), so it can be
tested without a browser. Nothing is sent anywhere.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from kenshu.lessons.common import LessonWidget, ipywidgets

LEVELS = {1: "機密性1", 2: "機密性2", 3: "機密性3"}
# destinations by the kit's backend names, safest first; azure is treated like openai
DESTINATIONS = {
    "offline": "offline（この PC の中だけ。練習エンジン）",
    "compatible": "compatible（庁内・LGWAN 側のゲートウェイ）",
    "openai": "openai（インターネット上のサービス。azure も同じ扱い）",
}


@dataclass(frozen=True)
class QuizItem:
    """One excerpt, its 機密性, the widest backend it may be sent to as it is, and why."""

    excerpt: str
    level: int
    destination: str
    explanation: str

    def __post_init__(self) -> None:
        if self.level not in LEVELS or self.destination not in DESTINATIONS:
            raise ValueError(f"bad quiz item: level={self.level!r}, destination={self.destination!r}")


@dataclass(frozen=True)
class Feedback:
    complete: bool          # both choices were made
    level_ok: bool
    destination_ok: bool
    message: str            # Japanese, plain text

    @property
    def correct(self) -> bool:
        return self.complete and self.level_ok and self.destination_ok


QUIZ_ITEMS: tuple[QuizItem, ...] = (
    QuizItem(
        "【市ホームページに掲載中】住民票の写しは、市民課の窓口のほか、郵送でも請求できます。"
        "請求書は市ホームページからダウンロードできます。",
        1, "openai",
        "公開済みの案内文なので機密性1です。個人情報も含まないので、openai にも送れます。"),
    QuizItem(
        "【窓口の相談記録】若葉一郎様（電話 090-1234-5678）から、児童手当の申請書の書き方について問い合わせ。"
        "記入例を郵送すると回答した。",
        2, "compatible",
        "住民の氏名と電話番号を含む記録で、公表を前提としないので機密性2です。"
        "openai には送れません。送れるのは compatible までで、氏名と電話番号はゲートが記号に置き換えます。"),
    QuizItem(
        "【起案文書】市民体育館改修工事の入札について、予定価格と最低制限価格を次のとおり定める。",
        3, "offline",
        "入札の予定価格は、漏れると公正な入札ができなくなる情報で、秘密文書に相当する機密性3です。"
        "この PC の外には出しません。個人情報ではないので、ゲートは自動では見つけられません。"
        "機密性3と宣言するのは送る人です。"),
    QuizItem(
        "【課内の打合せメモ】来月の窓口混雑への対策案。番号札の発券機を増やす案と、"
        "予約制を試行する案を比べ、次回までに費用を調べる。",
        2, "compatible",
        "個人情報はありませんが、検討中の案で公表を前提としないので機密性2です。"
        "openai（約款型のサービス）には送れず、compatible までです。"),
    QuizItem(
        "【報道発表済み】若葉市市民活動表彰の受賞者が決まりました。受賞者は 緑川さくら様（若葉町内会長）ほか 3 名です。",
        1, "compatible",
        "発表済みなので機密性1ですが、個人の氏名を含みます。openai には個人情報を送らないので、"
        "このままではゲートが止めます。そのまま送れるのは compatible まで（氏名は記号に置き換わります）。"
        "氏名を記号に置き換え、人が分かる書き方が残っていないか目で確かめた文章なら、openai に送れます。"),
    QuizItem(
        "【介護認定の調査票】本人は昨年から持病が悪化し、長男と二人暮らし。日中はほとんど一人で過ごしている。",
        3, "offline",
        "病歴は要配慮個人情報（法律で特に慎重な扱いが求められる個人情報）に当たります。"
        "この研修の分類の基準では機密性3で、この PC の外には出しません。"
        "氏名がなくても、家族の状況と合わせると本人が特定されやすくなります。"),
    QuizItem(
        "【国保年金課の資料】個人番号と国民健康保険料の滞納額を並べた一覧表の一部。",
        3, "offline",
        "個人番号（マイナンバー）を含む情報は、この研修の分類の基準では機密性3です。"
        "この PC の外には出しません。"),
)


def grade(item: QuizItem, level: int | None, destination: str | None) -> Feedback:
    """Compare the learner's choices with ``item``; the message says what was right or wrong and why."""
    if level is None or destination is None:
        missing = "・".join(name for name, value in (("機密性", level), ("送り先", destination)) if value is None)
        return Feedback(False, False, False, f"{missing}を選んでから「答え合わせ」を押してください。")
    level_ok = level == item.level
    destination_ok = destination == item.destination
    if level_ok and destination_ok:
        head = "✓ 正解です。"
    else:
        wrong = []
        if not level_ok:
            wrong.append(f"機密性は {LEVELS[item.level]} です（選んだのは {LEVELS.get(level, level)}）")
        if not destination_ok:
            wrong.append(f"送り先は「{DESTINATIONS[item.destination]}」までです"
                         f"（選んだのは「{DESTINATIONS.get(destination, destination)}」）")
        head = "✗ " + "。".join(wrong) + "。"
    return Feedback(True, level_ok, destination_ok, f"{head}\n解説: {item.explanation}")


def classification_quiz(items: Sequence[QuizItem] = QUIZ_ITEMS) -> LessonWidget:
    """The quiz widget: an excerpt, two choices, 答え合わせ / 次の問題, and the explanation."""
    widgets = ipywidgets()

    if not items:
        raise ValueError("classification_quiz needs at least one item")
    state = {"index": 0, "answered": 0, "correct": 0, "checked": False}
    counter = widgets.HTML()
    excerpt = widgets.HTML(layout=widgets.Layout(border="1px solid #ccc", padding="0.5em", width="auto"))
    level = widgets.RadioButtons(options=[(label, n) for n, label in LEVELS.items()], value=None,
                                 description="機密性:", style={"description_width": "initial"})
    destination = widgets.RadioButtons(options=[(label, key) for key, label in DESTINATIONS.items()], value=None,
                                       description="そのまま送れる、いちばん外側の接続先:",
                                       style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
    check = widgets.Button(description="答え合わせ", button_style="primary", icon="check")
    following = widgets.Button(description="次の問題", icon="arrow-right")
    result = widgets.HTML()

    def show() -> None:
        item = items[state["index"]]
        counter.value = (f"<b>問 {state['index'] + 1} / {len(items)}</b>"
                         f"　（ここまでの正解: {state['correct']} / {state['answered']}）")
        excerpt.value = html.escape(item.excerpt)
        level.value = None
        destination.value = None
        result.value = ""
        state["checked"] = False

    def on_check(_: object) -> None:
        feedback = grade(items[state["index"]], level.value, destination.value)
        if feedback.complete and not state["checked"]:
            state["checked"] = True
            state["answered"] += 1
            state["correct"] += int(feedback.correct)
            counter.value = (f"<b>問 {state['index'] + 1} / {len(items)}</b>"
                             f"　（ここまでの正解: {state['correct']} / {state['answered']}）")
        colour = "#1e7b34" if feedback.correct else ("#b3261e" if feedback.complete else "#555")
        result.value = (f'<div style="color:{colour};white-space:pre-wrap">{html.escape(feedback.message)}</div>')

    def on_next(_: object) -> None:
        state["index"] = (state["index"] + 1) % len(items)
        show()

    check.on_click(on_check)
    following.on_click(on_next)
    show()
    box = widgets.VBox([counter, excerpt, level, destination, widgets.HBox([check, following]), result])
    return LessonWidget(box, inputs={"level": level, "destination": destination},
                        outputs={"counter": counter, "excerpt": excerpt, "result": result},
                        buttons={"check": check, "next": following})


__all__ = ["DESTINATIONS", "LEVELS", "QUIZ_ITEMS", "Feedback", "QuizItem", "classification_quiz", "grade"]
