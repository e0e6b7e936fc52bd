"""A manual (会計事務の手引き) as sections: ID, heading, 施行日, 状態 and text.

Read from Markdown (``## ACC-01 見出し`` then ``分類:`` ``施行日:`` ``状態:`` lines), Word (.docx: a
paragraph in a heading style, or one that starts with a section ID, opens a section) or PDF (a line that
starts with a section ID opens a section). A file that cannot be read, or that has no sections, raises
``ManualError`` with what to do; a manual is built whole or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kenshu.errors import ManualError

_ID = r"[A-Z]{2,6}-\d{1,3}[a-z]?"
_HEADING = re.compile(rf"^(?P<id>{_ID})[ 　]+(?P<title>.+)$")
_FIELD = re.compile(r"^(分類|施行日|状態)[:：][ 　]*(.+)$")
_REPLACED_BY = re.compile(rf"({_ID})\s*(?:により|に)(?:改正|廃止|置き換え)")
SUPPORTED = (".md", ".markdown", ".txt", ".docx", ".pdf")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    category: str               # 分類, 「第3章 支出の特例」
    effective: str | None       # 施行日 (YYYY-MM-DD), when stated
    status: str                 # 現行, or 廃止（… により改正）
    body: str
    replaced_by: str = ""       # the ID that superseded this one

    @property
    def current(self) -> bool:
        return not self.status.startswith("廃止")

    @property
    def effective_date(self) -> date | None:
        return date.fromisoformat(self.effective) if self.effective else None

    def label(self) -> str:
        """「[ACC-27a] 契約の区分と随意契約の金額基準（改正後）（施行日 2025-04-01）」"""
        when = f"（施行日 {self.effective}）" if self.effective else ""
        gone = "・廃止" if not self.current else ""
        return f"[{self.id}] {self.title}{when}{gone}"


@dataclass(frozen=True)
class Manual:
    title: str
    sections: tuple[Section, ...]
    source: str

    def __post_init__(self) -> None:
        if not self.sections:
            raise ManualError(f"{self.source} に節が見つかりませんでした。",
                              todo="各節の見出しを「ACC-01 予算執行の基本」のように、節の番号・空白・見出しの形にしてください。")

    def get(self, section_id: str) -> Section:
        return self._by_id()[section_id]

    def _by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    def successor(self, section: Section) -> Section | None:
        return self._by_id().get(section.replaced_by)

    def predecessors(self, section: Section) -> list[Section]:
        return [s for s in self.sections if s.replaced_by == section.id]


def _date(text: str) -> str | None:
    found = re.search(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", unicodedata.normalize("NFKC", text))
    return date(*map(int, found.groups())).isoformat() if found else None


def _section(section_id: str, title: str, lines: list[str]) -> Section:
    fields: dict[str, str] = {}
    body = []
    for line in lines:
        found = _FIELD.match(line.strip())
        if found and not body:
            fields[found.group(1)] = found.group(2).strip()
        else:
            body.append(line.rstrip())
    status = fields.get("状態", "現行")
    replaced = _REPLACED_BY.search(status)
    return Section(section_id, title.strip(), fields.get("分類", ""), _date(fields.get("施行日", "")), status,
                   "\n".join(body).strip(), replaced.group(1) if replaced else "")


def sections_from_lines(lines: list[str], starts: set[int] | None = None) -> tuple[str, list[Section]]:
    """Split lines into sections at headings (``starts``: the line numbers that are headings, else any ID line)."""
    title, found, current, collected = "", [], None, []
    for number, raw in enumerate(lines):
        line = raw.strip().lstrip("#").strip()
        heading = _HEADING.match(line) if (starts is None or number in starts) else None
        if heading:
            if current:
                found.append(_section(*current, collected))
            current, collected = (heading.group("id"), heading.group("title")), []
        elif current:
            collected.append(raw)
        elif line and not title:
            title = line
    if current:
        found.append(_section(*current, collected))
    return title, found


def _markdown(path: Path) -> tuple[str, list[Section]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    headings = {n for n, line in enumerate(lines) if re.match(r"^#{2,4}\s", line)}
    return sections_from_lines(lines, headings or None)


def _docx(path: Path) -> tuple[str, list[Section]]:
    import docx  # python-docx

    paragraphs = docx.Document(str(path)).paragraphs
    lines = [p.text for p in paragraphs]
    headings = {n for n, p in enumerate(paragraphs)
                if (p.style is not None and (p.style.name or "").lower().startswith(("heading", "見出し")))}
    with_ids = {n for n in headings if _HEADING.match(lines[n].strip())}
    return sections_from_lines(lines, with_ids or None)


def _pdf(path: Path) -> tuple[str, list[Section]]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    lines = [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]
    return sections_from_lines(lines)


def load_manual(path: str | Path) -> Manual:
    """The manual in ``path`` (.md, .txt, .docx or .pdf), or ``ManualError`` saying what to fix."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ManualError(f"手引きのファイル {path} が見つかりません。", todo="ファイルの場所と名前を確かめてください。")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ManualError(f"{path.name} は読めない形式です（{suffix or '拡張子なし'}）。",
                          todo="Markdown（.md）、Word（.docx）、PDF（.pdf）のどれかで保存してください。")
    try:
        if suffix == ".docx":
            title, sections = _docx(path)
        elif suffix == ".pdf":
            title, sections = _pdf(path)
        else:
            title, sections = _markdown(path)
    except ManualError:
        raise
    except UnicodeDecodeError as exc:
        raise ManualError(f"{path.name} を UTF-8 の文字として読めませんでした。",
                          todo="メモ帳などで開き、文字コードを UTF-8 にして保存し直してください。") from exc
    except Exception as exc:  # a damaged .docx/.pdf: python-docx and pypdf raise many kinds
        raise ManualError(f"{path.name} を読み込めませんでした（{exc.__class__.__name__}: {exc}）。",
                          todo="ファイルが壊れていないか、Word や PDF の閲覧ソフトで開けるか確かめてください。"
                               "パスワード付きの PDF は読めません。") from exc
    ids = [s.id for s in sections]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ManualError(f"{path.name} に同じ番号の節が複数あります（{'、'.join(repeated)}）。",
                          todo="節の番号を一つずつ別にしてください。改正した節は「ACC-27a」のように別の番号にします。")
    return Manual(title or path.stem, tuple(sections), str(path))
