"""The fictional city's data, loaded for lessons and tests so that no notebook hard-codes a path.

Every loader returns a pandas DataFrame or typed objects; a missing or broken file
raises a ``DatasetError`` whose Japanese message names the file and what to do.
See ``datasets/DATASHEET.md`` for what each file is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kenshu.errors import KenshuError
from kenshu.faq.manual import Section, load_manual
from kenshu.paths import kit_root


class DatasetError(KenshuError):
    title = "データを読み込めませんでした"


def folder() -> Path:
    """The kit's ``datasets/`` folder, or the folder named by ``KENSHU_DATASETS`` (a trainer's own copy)."""
    override = os.environ.get("KENSHU_DATASETS")
    return Path(override) if override else kit_root() / "datasets"


def _path(relative: str) -> Path:
    path = folder() / relative
    if not path.is_file():
        raise DatasetError(f"データファイル {path} が見つかりません。",
                           todo="キットを取得し直すか（git pull）、datasets フォルダーを消したり移動したりしていないか確認してください。")
    return path


def _read_csv(relative: str, **options: object) -> pd.DataFrame:
    path = _path(relative)
    try:
        return pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""], **options)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DatasetError(f"データファイル {path} の形式が正しくありません（{exc}）。",
                           todo="ファイルを表計算ソフトで保存し直した場合は、UTF-8 の CSV で保存し直すか、git で元に戻してください。") from exc


def _text(relative: str) -> str:
    return _path(relative).read_text(encoding="utf-8")


# ---------------------------------------------------------------- 会計事務の手引き

def accounting_manual() -> list[Section]:
    """The sections of 「若葉市 会計事務の手引き」, in order, the superseded ones included."""
    from kenshu.errors import ManualError

    try:
        return list(load_manual(_path("accounting/manual.md")).sections)
    except ManualError as exc:
        raise DatasetError(f"会計事務の手引き（accounting/manual.md）を読めません: {exc.what}",
                           todo="git でファイルを元に戻してください。") from exc


def accounting_sections() -> pd.DataFrame:
    """The manual as a table: one row per section."""
    return pd.DataFrame([vars(section) | {"current": section.current} for section in accounting_manual()])


def accounting_faq() -> pd.DataFrame:
    """FAQ rows; ``section_ids`` is a list (empty where the manual has no answer)."""
    frame = _read_csv("accounting/faq.csv", dtype=str)
    frame["section_ids"] = frame["section_ids"].fillna("").map(lambda ids: [i for i in ids.split(";") if i])
    frame["answerable"] = frame["answerable"].str.lower().eq("true")
    return frame


def inquiries() -> pd.DataFrame:
    """Help-desk inquiries to 会計課 over one fiscal year, with gold category and resolving section."""
    frame = _read_csv("inquiries.csv", dtype=str)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# ---------------------------------------------------------------- パブリックコメント・会議録

def public_comments() -> pd.DataFrame:
    frame = _read_csv("public_comments.csv", dtype=str)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"])
    return frame


@dataclass(frozen=True)
class MeetingRecord:
    id: str
    text: str
    summary: str             # hand-written reference summary
    actions: pd.DataFrame    # kind (決定事項 / 宿題), text, owner, due


def minutes() -> list[MeetingRecord]:
    records = []
    for path in sorted((folder() / "minutes").glob("*.md")):
        if path.name.endswith(".summary.md") or path.name == "README.md":
            continue
        ident = path.stem
        records.append(MeetingRecord(ident, path.read_text(encoding="utf-8"), _text(f"minutes/{ident}.summary.md"),
                                     _read_csv(f"minutes/{ident}.actions.csv", dtype=str)))
    if not records:
        raise DatasetError(f"会議録（{folder() / 'minutes'}）が見つかりません。", todo="git でフォルダーを元に戻してください。")
    return records


# ---------------------------------------------------------------- 文書作成・翻訳・引継ぎ・導入状況

def drafting_tasks() -> pd.DataFrame:
    frame = _read_csv("notices/drafting_tasks.csv", dtype=str)
    frame["missing"] = frame["missing"].fillna("").map(lambda items: [i for i in items.split(";") if i])
    return frame


def disaster_phrases() -> pd.DataFrame:
    """The fixed sentences (定型文) for disaster notices with their en/zh/ko renderings; {…} marks a slot."""
    return _read_csv("notices/disaster_phrases.csv", dtype=str).fillna({"note": ""})


SCENES = ("press", "tourism", "disaster")


def translation_scene(name: str) -> str:
    """One translation scene: 'press' (記者会見), 'tourism' (観光案内) or 'disaster' (避難情報)."""
    if name not in SCENES:
        raise DatasetError(f"翻訳の場面「{name}」はありません。", todo=f"{' / '.join(SCENES)} のどれかを指定してください。")
    return _text(f"notices/scene_{name}.md")


def handover_notes() -> str:
    return _text("handover/notes.md")


def handover_guidelines() -> str:
    return _text("handover/guidelines.md")


def handover_decisions() -> pd.DataFrame:
    frame = _read_csv("handover/decisions.csv", dtype={"id": str, "conflicts_with": str})
    frame["date"] = pd.to_datetime(frame["date"])
    frame["conflicts_with"] = frame["conflicts_with"].fillna("").map(lambda ids: [i for i in ids.split(";") if i])
    return frame


def adoption_figures() -> pd.DataFrame:
    """Reported figures on municipal generative-AI adoption; cite the ``source`` column."""
    return _read_csv("adoption/figures.csv")


def adoption_cases() -> pd.DataFrame:
    return _read_csv("adoption/cases.csv")


# ---------------------------------------------------------------- リスクと対策・利用規約

RISK_STAGES = ("企画", "調達・契約", "利用", "運用・見直し")


def governance_risks() -> pd.DataFrame:
    """The risk register (リスク台帳), one row per risk; ``stage`` is ordered as ``RISK_STAGES``.

    ``kit_feature`` (the kit's gate, audit log, …) and ``lessons`` (「02」「11」) are lists, empty where none.
    """
    frame = _read_csv("governance/risk_register.csv", dtype=str)
    unknown = sorted(set(frame["stage"].dropna()) - set(RISK_STAGES))
    if unknown or frame["stage"].isna().any():
        raise DatasetError(f"リスク台帳（governance/risk_register.csv）の stage 列に、知らない段階 {unknown or '（空欄）'} があります。",
                           todo=f"stage には {' / '.join(RISK_STAGES)} のどれかを書いてください。")
    frame["stage"] = pd.Categorical(frame["stage"], categories=RISK_STAGES, ordered=True)
    for column in ("kit_feature", "lessons"):
        frame[column] = frame[column].fillna("").map(lambda items: [i for i in items.split(";") if i])
    return frame


@dataclass(frozen=True)
class TermsExcerpt:
    service: str     # サービスA
    contract: str    # 契約の形: 約款型 / 個別の契約 …
    title: str
    text: str

    def clauses(self) -> list[tuple[str, str]]:
        """(article heading, clause) for each numbered item or sentence of the articles, the header left out."""
        found, heading = [], ""
        for line in self.text.splitlines():
            if line.startswith("## "):
                heading = line[3:].strip()
            elif heading and line.strip() and not line.startswith(("#", ">")):
                found.append((heading, line.strip()))
        return found

    def clauses_with(self, words: list[str] | tuple[str, ...]) -> list[str]:
        """The clauses whose article heading or text holds any of ``words``, as 「第7条 1. …」: where to read."""
        return [f"{heading.split('（')[0]} {clause}" for heading, clause in self.clauses()
                if any(word in heading + clause for word in words)]


def terms_excerpts() -> list[TermsExcerpt]:
    """The fictional terms-of-service excerpts in ``governance/terms/`` (サービスA, B, C), in file order."""
    excerpts = []
    for path in sorted((folder() / "governance" / "terms").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        fields = dict(line.split(": ", 1) for line in text.splitlines() if line.startswith(("サービス: ", "契約の形: ")))
        if len(fields) != 2 or not text.startswith("# "):
            raise DatasetError(f"利用規約の抜粋 {path} の先頭の形が正しくありません。",
                               todo="1 行目を「# 見出し」、その後に「サービス: …」と「契約の形: …」の行を書くか、git で元に戻してください。")
        excerpts.append(TermsExcerpt(fields["サービス"], fields["契約の形"], text.splitlines()[0][2:].strip(), text))
    if not excerpts:
        raise DatasetError(f"利用規約の抜粋（{folder() / 'governance' / 'terms'}）が見つかりません。",
                           todo="git でフォルダーを元に戻してください。")
    return excerpts
