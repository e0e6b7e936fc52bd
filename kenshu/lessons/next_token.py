"""Lesson 01's no-code path: type a prefix, move the temperature, see the next-character candidates.

``explore`` and ``render`` hold the logic, so they can be tested without a browser;
``ngram_explorer()`` is the widget. The model itself is ``kenshu.lessons.ngram``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from kenshu.lessons import ngram
from kenshu.lessons.common import LessonWidget, ipywidgets

MATERIALS = {
    "現行の会計事務の手引き": None,
    "改正前の会計事務の手引き（2025年3月まで）": "2025-04-01",
}


@dataclass(frozen=True)
class Exploration:
    prefix: str
    context: str                          # the end of the prefix the model actually looked at
    candidates: list[tuple[str, float]]   # (next character, probability), most likely first
    continuation: str


def explore(model: ngram.NgramModel, prefix: str, temperature: float = 1.0, seed: int = 0,
            k: int = 5, length: int = 60) -> Exploration:
    """Top ``k`` next characters after ``prefix`` and one generated continuation (up to 。 or a line end)."""
    probabilities = ngram.next_char_probabilities(model, prefix, temperature)
    candidates = [(char, p) for char, p in probabilities.items() if p > 0][:k]
    continuation = ngram.generate(model, prefix, length=length, temperature=temperature, seed=seed, stop="。\n")
    return Exploration(prefix, model.context_for(prefix), candidates, continuation)


def render(result: Exploration) -> str:
    """The exploration as HTML: a table of candidates with bars, then the continued sentence."""
    rows = "".join(
        f"<tr><td style='text-align:center'>{html.escape(ngram.visible_char(char))}</td>"
        f"<td style='text-align:right'>{p:.1%}</td>"
        f"<td><div style='background:#4a7ebb;height:0.8em;width:{max(p * 200, 1):.0f}px'></div></td></tr>"
        for char, p in result.candidates)
    context = f"「{html.escape(result.context)}」" if result.context else "（手がかりなし。文字全体の出やすさ）"
    return (f"<p>直前の {len(result.context)} 文字 {context} を手がかりにした、次の文字の候補</p>"
            f"<table><tr><th>次の文字</th><th>確率</th><th></th></tr>{rows}</table>"
            f"<p>続けて書いた文: <b>{html.escape(result.prefix)}</b>{html.escape(result.continuation)}</p>"
            "<p style='color:#666'>※ もっともらしい文でも、内容が正しいとは限りません。</p>")


def ngram_explorer(prefix: str = "支出負担行為", order: int = 4) -> LessonWidget:
    """Prefix box, material choice, temperature slider, seed and a button that shows candidates and a continuation."""
    widgets = ipywidgets()
    models = {name: ngram.train(ngram.manual_texts(before), order=order) for name, before in MATERIALS.items()}
    label = {"description_width": "7em"}
    material = widgets.Dropdown(options=list(MATERIALS), description="学習した資料", style=label,
                                layout=widgets.Layout(width="36em"))
    text = widgets.Text(value=prefix, description="書き出し", placeholder="例: 請求書は", style=label,
                        layout=widgets.Layout(width="36em"))
    temperature = widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.1, description="温度",
                                      readout_format=".1f", style=label, layout=widgets.Layout(width="36em"))
    seed = widgets.IntText(value=0, description="乱数の種", style=label, layout=widgets.Layout(width="14em"))
    button = widgets.Button(description="予測する", button_style="primary")
    result = widgets.HTML(layout=widgets.Layout(border="1px solid #ccc", padding="0.5em", min_height="3em"))

    def on_click(_: object) -> None:
        if not text.value:
            result.value = "<p>書き出しが空です。「書き出し」の欄に文字を入れてから「予測する」を押してください。</p>"
            return
        found = explore(models[material.value], text.value, temperature.value, seed.value)
        result.value = render(found)

    button.on_click(on_click)
    help_text = widgets.HTML("<p>書き出しを入れて「予測する」を押すと、次の文字の候補と確率、続けて書いた文が出ます。"
                             "温度を 0 にすると、いつも一番確率の高い文字を選びます。</p>")
    box = widgets.VBox([help_text, material, text, temperature, seed, button, result])
    return LessonWidget(box, inputs={"material": material, "prefix": text, "temperature": temperature, "seed": seed},
                        outputs={"result": result}, buttons={"predict": button})


__all__ = ["MATERIALS", "Exploration", "explore", "ngram_explorer", "render"]
