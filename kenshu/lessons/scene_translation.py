"""Lesson 07's no-code path: choose a scene and a language, see the approach, the reply and the checklist.

The three scenes are the notices in ``datasets/notices/scene_*.md``. For each, the kit
recommends one approach (A: translate as it is; B: rewrite for the reader first; C: fixed
phrases and a person's check); the checklist a person uses before release is read from the
scene file's 「確認すべき点」 section, so it is written once. ``run_scene`` holds the logic
(testable without a browser); ``scene_translator()`` is the widget.

``missing_numbers`` compares the quantities of an original with a translation (万・億 and
million/billion, 割 and %), the check that catches a dropped figure or a wrong 位取り.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from kenshu import datasets
from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_text, ipywidgets, text_area


@dataclass(frozen=True)
class Approach:
    code: str     # A, B or C
    label: str
    steps: tuple[str, ...]


APPROACHES = {
    "A": Approach("A", "直訳してよい（内容を足さず・引かず・言い換えずに訳す）", (
        "原文をそのまま訳します。読み手に合わせて内容を足したり削ったりしません。",
        "数値・日付・固有名詞は、原文と一つずつ照らします。",
        "補足が必要なときは訳注として、発言と区別して示します。",
    )),
    "B": Approach("B", "読み手に合わせて書き直してから訳す", (
        "読み手（国・地域、知っていること・知らないこと）を決め、伝える内容を日本語で書き直します（翻訳用原稿）。",
        "翻訳用原稿を、担当課と施設が確認してから翻訳します。",
        "訳文は、その言語の母語話者が、不自然・失礼な表現がないか確かめます。",
    )),
    "C": Approach("C", "定型文を使い、人が必ず確認する", (
        "平時に用意した定型文（各言語の対訳）を使い、地区名・施設名・時刻だけを差し替えます。",
        "用語は毎回同じ語を使います（避難指示を別の言葉で訳さない）。",
        "定型文にない文は、人が訳して確かめます。やさしい日本語版も同時に出します。",
    )),
}

# scene -> (name shown to the learner, recommended approach)
SCENES: dict[str, tuple[str, str]] = {
    "press": ("市長の記者会見", "A"),
    "tourism": ("祭りと温泉の観光案内", "B"),
    "disaster": ("避難指示", "C"),
}

LANGUAGES: dict[str, str] = {"en": "英語", "zh": "中国語（簡体字）", "ko": "韓国語", "easy": "やさしい日本語"}

# the words each scene's request uses, so the engine (or a real model) knows the scene
_SCENE_WORDS = {"press": "記者会見での市長の発言", "tourism": "観光客向けの観光案内", "disaster": "避難指示（災害情報）"}


def _scene(name: str) -> str:
    if name not in SCENES:
        raise datasets.DatasetError(f"場面「{name}」はありません。", todo=f"{' / '.join(SCENES)} のどれかを選んでください。")
    return datasets.translation_scene(name)


def _section(text: str, heading: str) -> str:
    """The body under ``## heading`` up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def original(name: str) -> str:
    """The scene's Japanese original: its paragraphs, a heading kept as a plain line, the length note left out."""
    lines = []
    for line in _section(_scene(name), "原文（日本語）").splitlines():
        line = line.strip()
        if not line or line.startswith("（本文"):
            continue
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def checklist(name: str) -> list[str]:
    """The checks a person makes before release (the scene file's 「確認すべき点」)."""
    body = _section(_scene(name), "確認すべき点")
    return [match.group(1).strip() for match in re.finditer(r"^- \[ \] (.+)$", body, re.M)]


def approach(name: str) -> Approach:
    """The approach the kit recommends for the scene."""
    _scene(name)
    return APPROACHES[SCENES[name][1]]


def request_for(name: str, language: str, text: str | None = None) -> str:
    """The request sent for the scene: a translation, or a やさしい日本語 rewrite for ``easy``."""
    if language not in LANGUAGES:
        raise KenshuError(f"言語「{language}」はありません。", todo=f"{' / '.join(LANGUAGES)} のどれかを選んでください。")
    body = original(name) if text is None else text
    if language == "easy":
        return f"次の文章を、やさしい日本語に書き換えてください。\n---\n{body}"
    return f"次の{_SCENE_WORDS[name]}を{LANGUAGES[language]}に翻訳してください。\n---\n{body}"


@dataclass(frozen=True)
class SceneResult:
    scene: str
    language: str
    approach: Approach
    request: str
    reply: str
    checklist: tuple[str, ...]

    def approach_text(self) -> str:
        steps = "\n".join(f"・{step}" for step in self.approach.steps)
        return f"{self.approach.code}: {self.approach.label}\n{steps}"

    def checklist_text(self) -> str:
        return "\n".join(f"□ {item}" for item in self.checklist)


CONFIDENTIALITY = 1   # the three notices are written to be published


def run_scene(name: str, language: str = "en", *, ask: Callable[..., str] | None = None) -> SceneResult:
    """The approach, the request, the model's reply (an error as a Japanese message) and the checklist."""
    request = request_for(name, language)
    if ask is None:
        from kenshu.simple_ask import ask
    try:
        reply = ask(request, confidentiality=CONFIDENTIALITY)
    except KenshuError as error:
        reply = error_text(error)
    return SceneResult(name, language, approach(name), request, reply, tuple(checklist(name)))


# ---------------------------------------------------------------- numbers kept in a translation

_UNITS = {"億": 10**8, "万": 10**4, "千": 10**3,
          "billion": 10**9, "million": 10**6, "thousand": 10**3}
_QUANTITY = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(億|万|千|billion|million|thousand|割|%|パーセント)?", re.I)
# a number followed by one of these is a date or a time (月名 or 午前・午後 differ by language)
_DATE_OR_TIME = re.compile(r"\s*(?:年度|年|月|日|時|分|曜|:)")


def quantities(text: str) -> list[float]:
    """The quantities in ``text``: 「2億4,000万」→240000000, 「1万1,000」→11000, 「240 million」, 「7割」→0.7, 「70%」→0.7.

    Dates and times (11月9日, 午後3時20分, 15:20) are left out: month names and a.m./p.m. differ
    by language, so a person checks them. Full-width digits count as half-width.
    """
    text = unicodedata.normalize("NFKC", text)
    found: list[float] = []
    pending: float | None = None   # a 億/万 amount that the next number may continue (2億 + 4,000万)
    end = -1
    for match in _QUANTITY.finditer(text):
        if text[match.start() - 1:match.start()] == ":" or _DATE_OR_TIME.match(text, match.end()) and not match.group(2):
            continue
        value = float(match.group(1).replace(",", ""))
        unit = (match.group(2) or "").lower()
        if unit in ("割",):
            value, unit = value / 10, "ratio"
        elif unit in ("%", "パーセント"):
            value, unit = value / 100, "ratio"
        elif unit:
            value *= _UNITS[unit]
        joined = pending is not None and match.start() == end and unit in ("万", "千", "")
        if joined:
            found[-1] += value
        else:
            found.append(value)
        pending = found[-1] if unit in ("億", "万") else None
        end = match.end()
    return found


def missing_numbers(source: str, translation: str) -> list[float]:
    """The quantities of ``source`` that do not appear in ``translation`` (each counted as often as it occurs)."""
    left = quantities(translation)
    missing = []
    for value in quantities(source):
        match = next((other for other in left if abs(other - value) < 1e-9), None)
        if match is None:
            missing.append(value)
        else:
            left.remove(match)
    return missing


def _shown(value: float) -> str:
    if value < 1:
        return f"{value:.0%}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def number_check(source: str, translation: str) -> str:
    """A short Japanese verdict for ``missing_numbers``: what to look at, never that the translation is right."""
    missing = missing_numbers(source, translation)
    if not missing:
        return ("✓ 原文の数（金額・人数・割合など）は、すべて訳文にあります。"
                "「約」「およそ」、日付と時刻、固有名詞は、読んで確かめてください。")
    shown = "、".join(_shown(value) for value in missing)
    return f"✗ 原文の数のうち、訳文に見つからないものがあります: {shown}。万・億の位取りと、数が抜けていないかを確かめてください。"


# ---------------------------------------------------------------- the widget

def scene_translator() -> LessonWidget:
    """Choose a scene and a language; 「実行」 shows the approach, the request, the reply and the checklist."""
    widgets = ipywidgets()
    scene = widgets.Dropdown(options=[(label, name) for name, (label, _) in SCENES.items()], value="press",
                             description="場面:", layout=widgets.Layout(width="24em"))
    language = widgets.Dropdown(options=[(label, code) for code, label in LANGUAGES.items()], value="en",
                                description="言語:", layout=widgets.Layout(width="24em"))
    run = widgets.Button(description="実行", button_style="primary", icon="play")

    approach_box, request_box, reply_box, checklist_box = text_area("7em"), text_area("8em"), text_area("14em"), text_area("10em")

    def on_run(_: object) -> None:
        result = run_scene(scene.value, language.value)
        approach_box.value = result.approach_text()
        request_box.value = result.request
        reply_box.value = result.reply
        checklist_box.value = result.checklist_text()

    run.on_click(on_run)
    rows = [widgets.HBox([scene, language, run]),
            widgets.Label("この場面で勧める進め方:"), approach_box,
            widgets.Label("送った依頼文:"), request_box,
            widgets.Label("AI の返答:"), reply_box,
            widgets.Label("公開する前に人が確かめること（チェックリスト）:"), checklist_box]
    return LessonWidget(widgets.VBox(rows), inputs={"scene": scene, "language": language},
                        outputs={"approach": approach_box, "request": request_box, "reply": reply_box,
                                 "checklist": checklist_box},
                        buttons={"run": run})


__all__ = ["APPROACHES", "CONFIDENTIALITY", "LANGUAGES", "SCENES", "Approach", "SceneResult", "approach", "checklist",
           "missing_numbers", "number_check", "original", "quantities", "request_for", "run_scene",
           "scene_translator"]
