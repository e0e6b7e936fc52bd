"""Reading a manual: the kit's Markdown, and a trainer's own Word and PDF files made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from kenshu.errors import ManualError
from kenshu.faq import FaqBot, load_manual

ROOT = Path(__file__).resolve().parents[2]

SECTIONS = [("TST-01", "旅費の支給", "出張の日当は1日2,200円とする。宿泊料は1泊10,900円を上限とする。"),
            ("TST-02", "郵便切手の管理", "郵便切手は受払簿で管理し、月末に残高を確かめる。"),
            ("TST-03", "問い合わせ先", "判断に迷うときは会計課審査係（内線2345）に照会すること。")]


def test_the_kits_manual_has_its_45_sections_with_dates_and_the_revision():
    manual = load_manual(ROOT / "datasets" / "accounting" / "manual.md")
    assert len(manual.sections) == 45 and manual.title == "若葉市 会計事務の手引き"
    old, new = manual.get("ACC-27"), manual.get("ACC-27a")
    assert (old.current, old.replaced_by, old.effective) == (False, "ACC-27a", "2016-04-01")
    assert (new.current, new.effective) == (True, "2025-04-01")
    assert manual.successor(old) == new and manual.predecessors(new) == [old]
    assert not new.body.startswith(("分類", "施行日", "状態"))


def _docx(path, heading_style=True):
    import docx

    document = docx.Document()
    document.add_heading("研修用 会計事務の手引き", level=1)
    for section_id, title, text in SECTIONS:
        if heading_style:
            document.add_heading(f"{section_id} {title}", level=2)
        else:
            document.add_paragraph(f"{section_id} {title}")
        document.add_paragraph("施行日: 2024-04-01")
        document.add_paragraph(text)
    document.save(path)
    return path


def _pdf(path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib_fontja  # noqa: F401  (the Japanese font)

    matplotlib.rcParams["pdf.fonttype"] = 42
    figure = plt.figure(figsize=(8.27, 11.69))
    lines = ["研修用 会計事務の手引き"] + [line for s in SECTIONS for line in (f"{s[0]} {s[1]}", s[2])]
    for number, line in enumerate(lines):
        figure.text(0.08, 0.92 - number * 0.04, line, fontsize=11)
    figure.savefig(path)
    plt.close(figure)
    return path


@pytest.mark.parametrize("make", [_docx, lambda p: _docx(p, heading_style=False), _pdf],
                         ids=["docx-headings", "docx-plain", "pdf"])
def test_a_trainers_word_or_pdf_manual_is_read_into_sections(tmp_path, make):
    suffix = ".pdf" if make is _pdf else ".docx"
    manual = load_manual(make(tmp_path / f"手引き{suffix}"))
    assert [s.id for s in manual.sections] == ["TST-01", "TST-02", "TST-03"]
    assert manual.get("TST-02").title == "郵便切手の管理"
    assert "受払簿" in manual.get("TST-02").body


def test_the_bot_answers_from_a_word_manual_with_its_citation(tmp_path):
    bot = FaqBot(_docx(tmp_path / "手引き.docx"))  # the offline engine, through the gate
    answer = bot.answer("郵便切手はどうやって管理しますか")
    assert not answer.refused and answer.cited_ids() == ["TST-02"]
    assert "受払簿" in answer.text and "TST-02" in answer.text


@pytest.mark.parametrize(("name", "content", "says"), [
    ("手引き.xlsx", b"PK\x03\x04", "読めない形式"),
    ("手引き.docx", b"this is not a zip", "読み込めませんでした"),
    ("手引き.pdf", b"%PDF-1.4 broken", "読み込めませんでした"),
    ("手引き.md", "# 手引き\n\n見出しのない文章だけ。\n".encode(), "節が見つかりませんでした"),
    ("手引き.md", "## A-1 x\n".encode("cp932") + "本文".encode("cp932"), "UTF-8"),
    ("手引き.md", "## ACC-01 支出\n本文\n## ACC-01 支出\n本文\n".encode(), "同じ番号の節"),
])
def test_a_file_that_cannot_be_read_gets_a_japanese_message(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ManualError) as raised:
        load_manual(path)
    assert says in str(raised.value) and raised.value.todo


def test_a_missing_manual_says_where_it_looked(tmp_path):
    with pytest.raises(ManualError, match="見つかりません"):
        load_manual(tmp_path / "ない.md")
