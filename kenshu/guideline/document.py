"""The guideline as a Word file (python-docx): title, articles in 例規 form, the services table, sources."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from kenshu.errors import GuidelineError
from kenshu.guideline.choices import Choices
from kenshu.guideline.clauses import SOURCES, Article, articles

FONT = "MS 明朝"
ITEM_NUMBERS = "一二三四五六七八九十"


def title(choices: Choices) -> str:
    return f"{choices.municipality}生成AI利用ガイドライン"


def _paragraph_text(article: Article, index: int, text: str) -> str:
    if index == 0:
        return f"{article.label}　{text}" if article.number else text
    return f"{index + 1}　{text}"


def write_docx(choices: Choices, path: str | Path) -> Path:
    """Write the guideline for ``choices`` to ``path`` (.docx) and return the path."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise GuidelineError(f"{path.name} は Word のファイル名ではありません。", todo="名前の最後を .docx にしてください。")
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title(choices))
    run.bold = True
    run.font.size = Pt(14)
    document.add_paragraph()

    for article in articles(choices):
        document.add_paragraph(f"（{article.heading}）" if article.number else article.heading)
        for index, text in enumerate(article.paragraphs):
            document.add_paragraph(_paragraph_text(article, index, text))
            for number, item in enumerate(article.items.get(index, ())):
                document.add_paragraph(f"（{ITEM_NUMBERS[number]}）{item}").paragraph_format.left_indent = Pt(10.5)
            if index == 0 and article.table:
                table = document.add_table(rows=0, cols=len(article.table[0]))
                table.style = "Table Grid"
                for row in article.table:
                    cells = table.add_row().cells
                    for cell, value in zip(cells, row, strict=True):
                        cell.text = value
    document.add_paragraph()
    document.add_paragraph("参考にした資料")
    for source in SOURCES:
        document.add_paragraph(f"・{source}")
    document.add_paragraph("この指針の第3条と第4条は、kenshu の送信ルール（kenshu guideline policy で作るファイル）と"
                           "同じ選択から作られています。送信ルールを変えるときは、この指針も作り直してください。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(path))
    except OSError as exc:
        raise GuidelineError(f"{path} に保存できませんでした（{exc.strerror or exc}）。",
                             todo="Word でそのファイルを開いていれば閉じるか、別の名前で保存してください。") from None
    return path
