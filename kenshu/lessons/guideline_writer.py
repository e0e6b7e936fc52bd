"""Lesson 12: ``guideline_builder``, the municipality's guideline from a few choices, as Word and as the gate's rules.

The defaults are a complete guideline: pressing 「ガイドラインを作る」 without changing anything writes it.
The same choices write the policy file the gate enforces, shown next to the text. A file that already exists is
never overwritten: the new one gets the next free name.
"""

from __future__ import annotations

import html
from pathlib import Path

from kenshu.errors import KenshuError
from kenshu.guideline import DEFAULT_CHOICES, Article, Choices, articles, policy_toml, write_docx
from kenshu.guideline.choices import REVIEW_MONTHS, SERVICE_NAMES, SERVICES
from kenshu.guideline.document import ITEM_NUMBERS, title
from kenshu.lessons.common import LessonWidget, error_html, ipywidgets


def article_html(article: Article) -> str:
    parts = [f"<div style='margin-top:8px'>（{html.escape(article.heading)}）</div>" if article.number else
             f"<div style='margin-top:8px'>{html.escape(article.heading)}</div>"]
    for index, text in enumerate(article.paragraphs):
        lead = f"{article.label}　" if index == 0 and article.number else (f"{index + 1}　" if index else "")
        parts.append(f"<div>{html.escape(lead + text)}</div>")
        parts += [f"<div style='margin-left:1.5em'>（{ITEM_NUMBERS[n]}）{html.escape(item)}</div>"
                  for n, item in enumerate(article.items.get(index, ()))]
        if index == 0 and article.table:
            rows = "".join("<tr>" + "".join(f"<td style='border:1px solid #999;padding:2px 6px'>{html.escape(c)}</td>"
                                            for c in row) + "</tr>" for row in article.table)
            parts.append(f"<table style='border-collapse:collapse;margin:4px 0'>{rows}</table>")
    return "\n".join(parts)


def preview_html(choices: Choices) -> str:
    body = "\n".join(article_html(a) for a in articles(choices))
    return (f"<div style='font-family:serif;line-height:1.6;max-width:46em'>"
            f"<div style='text-align:center;font-weight:bold'>{html.escape(title(choices))}</div>{body}</div>")


def free_paths(folder: Path, stems: tuple[str, ...], suffixes: tuple[str, ...]) -> list[Path]:
    """``folder/stem.suffix`` for each pair, all with the same free number (``_2`` …) so that a pair stays a pair;
    an existing file (perhaps edited in Word) is never overwritten."""
    number = 1
    while True:
        tail = "" if number == 1 else f"_{number}"
        paths = [folder / f"{stem}{tail}{suffix}" for stem, suffix in zip(stems, suffixes, strict=True)]
        if not any(p.exists() for p in paths):
            return paths
        number += 1


def guideline_builder(folder: str | Path = "ガイドライン") -> LessonWidget:
    """Choices on the left, 「ガイドラインを作る」; the text, the saved files and the policy below."""
    widgets = ipywidgets()
    d = DEFAULT_CHOICES
    wide = widgets.Layout(width="34em")
    style = {"description_width": "14em"}
    municipality = widgets.Text(value=d.municipality, description="団体名", style=style, layout=wide)
    services = {s: widgets.Checkbox(value=s in d.services, description=SERVICE_NAMES[s], indent=False,
                                    layout=widgets.Layout(width="34em")) for s in SERVICES}
    gateway_limit = widgets.Dropdown(options=[("機密性2まで", 2), ("機密性1まで", 1)], value=d.gateway_max_confidentiality,
                                     description="庁内の生成AIに入力できる情報", style=style, layout=wide)
    gateway_personal = widgets.Dropdown(options=[("記号に置き換えてから入力する", "mask"), ("入力しない", "block")],
                                        value=d.gateway_personal_data, description="庁内の生成AIでの個人情報",
                                        style=style, layout=wide)
    approver = widgets.Text(value=d.approver, description="承認する人（職名）", style=style, layout=wide)
    logging = widgets.Checkbox(value=d.logging, description="利用記録を残す", indent=False)
    retention = widgets.BoundedIntText(value=d.log_retention_years, min=1, max=10, description="記録の保存（年）",
                                       style=style, layout=widgets.Layout(width="20em"))
    training = widgets.Checkbox(value=d.training_required, description="使う前に研修を受ける", indent=False)
    review = widgets.Dropdown(options=[(f"{m}か月ごと", m) for m in REVIEW_MONTHS], value=d.review_months,
                              description="見直し", style=style, layout=widgets.Layout(width="24em"))
    effective = widgets.Text(value=d.effective, description="施行日（空欄可）", placeholder="2027-04-01",
                             style=style, layout=widgets.Layout(width="24em"))
    make = widgets.Button(description="ガイドラインを作る", button_style="primary", icon="file",
                          layout=widgets.Layout(width="14em"))
    saved = widgets.HTML()
    text = widgets.HTML()
    policy = widgets.HTML()

    def chosen() -> Choices:
        return Choices(municipality=municipality.value.strip(), services=tuple(s for s, box in services.items() if box.value),
                       gateway_max_confidentiality=gateway_limit.value, gateway_personal_data=gateway_personal.value,
                       approver=approver.value.strip(), logging=logging.value, log_retention_years=retention.value,
                       training_required=training.value, review_months=review.value,
                       effective=effective.value.strip())

    def on_make(_: object) -> None:
        try:
            choices = chosen()
            target = Path(folder)
            document, rules = free_paths(target, (f"{choices.municipality}_生成AI利用ガイドライン",
                                                  f"{choices.municipality}_送信ルール"), (".docx", ".toml"))
            write_docx(choices, document)
            rules.write_text(policy_toml(choices), encoding="utf-8")
        except KenshuError as error:
            saved.value, text.value, policy.value = error_html(error), "", ""
            return
        except OSError as error:
            saved.value, text.value, policy.value = error_html(KenshuError(
                f"ファイルを保存できませんでした（{error.strerror or error}）。",
                todo="保存先のフォルダーに書き込めるか確かめてください。")), "", ""
            return
        saved.value = (f"<b>保存しました</b>: {html.escape(str(document))}（Word）、{html.escape(str(rules))}（送信ルール）")
        text.value = preview_html(choices)
        policy.value = ("<b>同じ選択から作った送信ルール</b>（kenshu がこのとおりに送信を点検します）:"
                        f"<pre style='background:#f6f6f6;padding:6px'>{html.escape(policy_toml(choices))}</pre>")

    make.on_click(on_make)
    form = widgets.VBox([municipality, widgets.HTML("<b>使うサービス</b>（オフライン練習エンジンはいつでも使えます）:"),
                         *services.values(), gateway_limit, gateway_personal, approver,
                         widgets.HBox([logging, retention]), training, review, effective, make])
    box = widgets.VBox([form, saved, text, policy])
    return LessonWidget(box, inputs={"municipality": municipality, **{f"service_{s}": b for s, b in services.items()},
                                     "gateway_limit": gateway_limit, "gateway_personal": gateway_personal,
                                     "approver": approver, "logging": logging, "retention": retention,
                                     "training": training, "review": review, "effective": effective},
                        outputs={"saved": saved, "text": text, "policy": policy}, buttons={"make": make})
