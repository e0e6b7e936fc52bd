"""The catalogue for people: an Excel table (one row per case) and a Word booklet (one page per case)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kenshu.cases.catalogue import Catalogue
from kenshu.errors import CatalogueError


def _lines(items: list[str]) -> str:
    return "\n".join(f"・{item}" for item in items)


# (column, width, value)
COLUMNS: list[tuple[str, int, Callable[[dict[str, Any]], Any]]] = [
    ("番号", 10, lambda d: d["id"]),
    ("題名", 28, lambda d: d["title"]),
    ("分類", 16, lambda d: d["category"]),
    ("課の例", 14, lambda d: d["context"]["department"]),
    ("目的", 36, lambda d: d["context"]["purpose"]),
    ("機密性", 8, lambda d: d["data"]["confidentiality"]),
    ("個人情報", 9, lambda d: "あり" if d["data"]["personal_data"] else "なし"),
    ("送ってよい接続先", 20, lambda d: "・".join(d["data"]["backends"])),
    ("リスク", 8, lambda d: d["risk"]["level"]),
    ("依頼文のひな形", 60, lambda d: d["prompt"]["template"]),
    ("確かめること", 40, lambda d: _lines(d["checks"])),
    ("よくある失敗", 36, lambda d: _lines(d["failure_modes"])),
    ("使う前（分）", 10, lambda d: d["effect"]["minutes_before"]),
    ("使った後（分）", 10, lambda d: d["effect"]["minutes_after"]),
    ("効果の根拠", 18, lambda d: d["effect"]["basis"]),
    ("作成元", 18, lambda d: d["provenance"]["source"]),
    ("利用条件", 12, lambda d: d["provenance"]["licence"]),
    ("更新日", 12, lambda d: d["provenance"]["updated"]),
]


def _save(save: Callable[[str], None], path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save(str(path))
    except OSError as exc:
        raise CatalogueError(f"{path} に保存できませんでした（{exc.strerror or exc}）。",
                             todo="そのファイルを Excel や Word で開いていれば閉じるか、別の名前にしてください。") from None
    return path


def export_xlsx(catalogue: Catalogue, path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "事例集"
    sheet.append([name for name, _, _ in COLUMNS])
    for case in catalogue:
        sheet.append([value(case.data) for _, _, value in COLUMNS])
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    return _save(book.save, Path(path))


def export_docx(catalogue: Catalogue, path: str | Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    document.add_heading("活用事例集", level=0)
    for number, case in enumerate(catalogue):
        d = case.data
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(f"{d['id']} {d['title']}", level=1)
        document.add_paragraph(f"分類: {d['category']}　課の例: {d['context']['department']}　リスク: {d['risk']['level']}")
        document.add_paragraph(f"目的: {d['context']['purpose']}")
        document.add_paragraph(f"扱う情報: 機密性{d['data']['confidentiality']}、個人情報"
                               f"{'あり' if d['data']['personal_data'] else 'なし'}。送ってよい接続先: "
                               f"{'・'.join(d['data']['backends'])}")
        document.add_heading("依頼文のひな形", level=2)
        document.add_paragraph(d["prompt"]["template"])
        for title, items in (("確かめること", d["checks"]), ("よくある失敗", d["failure_modes"]),
                             ("よい出力に含まれること", d["example"]["good_output"])):
            document.add_heading(title, level=2)
            for item in items:
                document.add_paragraph(item, style="List Bullet")
        provenance = d["provenance"]
        document.add_paragraph(f"作成元: {provenance['source']}（{provenance['licence']}）　更新日: {provenance['updated']}")
    return _save(document.save, Path(path))
