"""The trainer's page (``grader/class_admin.ipynb``): ``class_admin``, a class from roster to certificates with no terminal.

One tab per step, each doing exactly what its ``kenshu class`` command does (the same functions, the same
Japanese messages): 名簿 → 配布 → 取り込み → 採点 (with a progress bar) → 結果 (with each learner's feedback
linked) → 修了証. Paths are typed as the trainer sees them: relative to the kit's folder, or in full. What the
page writes (the bundle, the Excel file, the certificates) goes into ``grader/``, which learners never see.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kenshu.errors import KenshuError
from kenshu.lessons.common import LessonWidget, error_html, ipywidgets, notice_html

ALL = "（すべての課題）"
REPORT_NAME = "研修結果.xlsx"
CERTIFICATES = "修了証"


def _kit_path(kit: Path, typed: str) -> Path:
    path = Path(typed.strip().strip('"'))
    return path if path.is_absolute() else kit / path


def _assignments(kit: Path) -> list[str]:
    from kenshu.cli.exercises import find_assignments

    return [name for name in find_assignments(kit / "solutions") if name != "demo"] + \
        (["demo"] if (kit / "solutions" / "demo").is_dir() else [])


def _run(output: Any, action: Callable[[], Any]) -> None:
    """Run one step with its printed lines in ``output``; a problem is a Japanese message, never a traceback."""
    from IPython.display import HTML, display

    output.clear_output()
    with output:
        try:
            action()
        except KenshuError as error:
            display(HTML(error_html(error)))
        except Exception as error:  # noqa: BLE001 -- the trainer gets a message and the page stays usable
            display(HTML(notice_html(f"⚠ 予期しない問題が起きました（{type(error).__name__}: {error}）。"
                                     "入力を確かめて、もう一度試してください。")))


def feedback_links(kit: Path, assignment: str | None) -> str:
    """Links, relative to ``grader/``, to each learner's feedback pages (HTML)."""
    folder = kit / "grader" / "feedback"
    pages = sorted(folder.glob(f"*/{assignment or '*'}/*.html")) if folder.is_dir() else []
    if not pages:
        return ""
    items = []
    for page in pages:
        relative = page.relative_to(kit / "grader").as_posix()
        learner, name = page.parent.parent.name, page.parent.name
        items.append(f"<a href='{html.escape(relative)}' target='_blank'>{html.escape(learner)}（{html.escape(name)}）</a>")
    return "<div>受講者に返す結果（クリックで開きます）: " + "、".join(items) + "</div>"


def learners_table(results: Any) -> str:
    columns = [c for c in ("受講者ID", "氏名", "所属課", "修了", "要確認") if c in results.learners.columns]
    return results.learners[columns].to_html(index=False, escape=True, border=0)


def class_admin(kit: str | Path | None = None) -> LessonWidget:
    """The six steps as tabs; every button writes its result under it."""
    from kenshu.paths import kit_root

    widgets = ipywidgets()
    root = Path(kit) if kit else kit_root()
    grader = root / "grader"
    names = _assignments(root)
    wide = widgets.Layout(width="40em")
    style = {"description_width": "10em"}

    def field(description: str, placeholder: str = "", value: str = "") -> Any:
        return widgets.Text(value=value, description=description, placeholder=placeholder, style=style, layout=wide)

    def button(text: str) -> Any:
        return widgets.Button(description=text, button_style="primary", layout=widgets.Layout(width="auto"))

    def choose(with_all: bool) -> Any:
        options = ([ALL] if with_all else []) + names
        return widgets.Dropdown(options=options, value=options[0] if options else None, description="課題",
                                style=style, layout=wide)

    outputs = {step: widgets.Output() for step in ("roster", "pack", "collect", "grade", "report", "certificates")}

    # 名簿
    roster_path = field("名簿のファイル", "例: 名簿.xlsx（キットのフォルダーからの場所か、フルパス）")
    roster_button = button("名簿を読み込む")

    def import_roster(_: Any = None) -> None:
        from kenshu.cli.class_run import roster_import

        if not roster_path.value.strip():
            _run(outputs["roster"], lambda: print("名簿のファイルの場所を入れてください（CSV か Excel。受講者ID・氏名・所属課の列）。"))
            return
        _run(outputs["roster"], lambda: roster_import(_kit_path(root, roster_path.value)))

    roster_button.on_click(import_roster)

    # 配布
    pack_choice = choose(with_all=True)
    pack_button = button("配布用の zip を作る")

    def make_pack(_: Any = None) -> None:
        from kenshu.cli.class_pack import run_pack

        chosen = [] if pack_choice.value in (ALL, None) else [pack_choice.value]
        stamp = "all" if not chosen else chosen[0]
        _run(outputs["pack"], lambda: run_pack(chosen, grader / f"受講者用_{stamp}.zip"))

    pack_button.on_click(make_pack)

    # 取り込み
    shared = field("提出フォルダー", "例: //fileserver/研修/提出 や D:/提出（フルパス）")
    collect_button = button("提出を取り込む")

    def take_in(_: Any = None) -> None:
        from kenshu.cli.class_run import collect_submissions

        if not shared.value.strip():
            _run(outputs["collect"], lambda: print("提出フォルダーの場所を入れてください。"))
            return
        _run(outputs["collect"], lambda: collect_submissions(_kit_path(root, shared.value)))

    collect_button.on_click(take_in)

    # 採点
    grade_choice = choose(with_all=False)
    jobs = widgets.BoundedIntText(value=os.cpu_count() or 1, min=1, max=64, description="同時に採点する数",
                                  style=style, layout=widgets.Layout(width="16em"))
    with_feedback = widgets.Checkbox(value=True, description="受講者に返す結果（日本語）も作る", indent=False)
    again = widgets.Checkbox(value=False, description="採点済みの提出も採点し直す", indent=False)
    progress = widgets.IntProgress(value=0, min=0, max=1, description="採点", style=style, layout=wide)
    progress_label = widgets.Label("")
    grade_button = button("採点する")

    def grade(_: Any = None) -> None:
        from kenshu.cli.class_run import class_grade

        progress.value, progress.max, progress.bar_style = 0, 1, ""
        progress_label.value = "準備しています…"

        def advance(done: Any, count: int, total: int) -> None:
            progress.max, progress.value = total, count
            progress_label.value = f"{count} / {total} 人"

        def action() -> None:
            class_grade(grade_choice.value, jobs=jobs.value, force=again.value, feedback=with_feedback.value,
                        progress=advance)
            progress.bar_style = "success"

        grade_button.disabled = True
        try:
            _run(outputs["grade"], action)
        finally:
            grade_button.disabled = False
            if progress_label.value == "準備しています…":
                progress_label.value = ""

    grade_button.on_click(grade)

    # 結果
    report_choice = choose(with_all=True)
    pass_percent = widgets.BoundedFloatText(value=60, min=1, max=100, description="修了の基準（％）", style=style,
                                            layout=widgets.Layout(width="16em"))
    report_button = button("結果を Excel に書き出す")

    def report(_: Any = None) -> None:
        from IPython.display import HTML, display

        from kenshu.classroom.records import class_results
        from kenshu.cli.class_run import class_report

        chosen = [] if report_choice.value in (ALL, None) else [report_choice.value]

        def action() -> None:
            class_report(chosen, grader / REPORT_NAME, pass_percent.value)
            results = class_results(grader, chosen or None, pass_share=pass_percent.value / 100)
            display(HTML(learners_table(results)))
            links = feedback_links(root, chosen[0] if chosen else None)
            display(HTML(links or "<div>受講者に返す結果はまだありません（採点のときに「受講者に返す結果も作る」を選びます）。</div>"))

        _run(outputs["report"], action)

    report_button.on_click(report)

    # 修了証
    course = field("研修名", value="生成AI研修")
    day = field("実施日", "例: 2027-04-15（空欄なら今日）")
    hours = widgets.BoundedFloatText(value=6, min=0.5, max=100, step=0.5, description="時間", style=style,
                                     layout=widgets.Layout(width="16em"))
    issuer = field("発行者", value="若葉市長")
    certificates_button = button("修了証を作る")

    def certificates(_: Any = None) -> None:
        from kenshu.cli.class_run import class_certificates

        _run(outputs["certificates"], lambda: class_certificates(
            [], grader / CERTIFICATES, course=course.value.strip() or "生成AI研修", day=day.value.strip() or None,
            hours=hours.value, issuer=issuer.value.strip() or "若葉市長", pass_percent=pass_percent.value))

    certificates_button.on_click(certificates)

    def page(*children: Any) -> Any:
        return widgets.VBox(list(children), layout=widgets.Layout(padding="6px"))

    hint = widgets.HTML
    tabs = widgets.Tab(children=[
        page(hint("受講者ID・氏名・所属課の列がある CSV か Excel を読み込みます。誤りのある行があれば、行ごとに示して何も読み込みません。"),
             roster_path, roster_button, outputs["roster"]),
        page(hint("受講者に配る一式（解答と採点記録は入りません）を grader/ に zip で作ります。共有フォルダーや USB メモリーで配ります。"),
             pack_choice, pack_button, outputs["pack"]),
        page(hint("共有フォルダーに集まった提出を、受講者ごと・課題ごとに取り込みます。新しい提出を古いもので置き換えることはありません。"),
             shared, collect_button, outputs["collect"]),
        page(hint("取り込んだ提出を採点します。受講者のコードは提出ごとに別の制限付きプロセスで実行します。"),
             grade_choice, jobs, with_feedback, again, grade_button, widgets.HBox([progress, progress_label]),
             outputs["grade"]),
        page(hint(f"受講者・所属課・問ごとの結果を grader/{REPORT_NAME} に書き出し、受講者の一覧と返す結果へのリンクを示します。"),
             report_choice, pass_percent, report_button, outputs["report"]),
        page(hint(f"修了した受講者の修了証（Word）と、人事向けの研修記録（CSV）を grader/{CERTIFICATES}/ に作ります。"
                  "修了の基準は「結果」の欄の値です。"),
             course, day, hours, issuer, certificates_button, outputs["certificates"]),
    ])
    tabs.titles = ("1 名簿", "2 配布", "3 取り込み", "4 採点", "5 結果", "6 修了証")
    return LessonWidget(
        tabs,
        inputs={"roster": roster_path, "pack": pack_choice, "shared": shared, "grade": grade_choice, "jobs": jobs,
                "feedback": with_feedback, "again": again, "report": report_choice, "pass": pass_percent,
                "course": course, "day": day, "hours": hours, "issuer": issuer},
        outputs={**outputs, "progress": progress},
        buttons={"roster": roster_button, "pack": pack_button, "collect": collect_button, "grade": grade_button,
                 "report": report_button, "certificates": certificates_button})


__all__ = ["class_admin", "feedback_links", "learners_table"]
