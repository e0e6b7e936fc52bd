"""A valid case of the 活用事例集 and helpers to write variants of it, for the catalogue and widget tests."""

from __future__ import annotations

import copy
from pathlib import Path

import tomli_w

CASE = {
    "schema_version": 1, "id": "AB-001", "title": "会議開催通知の下書き", "category": "文書作成", "tags": ["通知"],
    "context": {"department": "総務課", "role": "庁内会議の事務局", "purpose": "開催通知の下書きを早く作る"},
    "data": {"confidentiality": 1, "personal_data": False, "backends": ["offline", "compatible", "openai", "azure"]},
    "risk": {"users": "職員だけ", "task": "庁内の連絡", "training": "公開情報のみ", "judgement": "職員が確かめる", "level": "低"},
    "prompt": {"role": "総務課の職員", "premises": "庁内の各課長あて", "instructions": "開催通知の下書きを作る",
               "rules": ["300字以内"], "template": "あなたは総務課の職員です。{{会議名}}の開催通知を{{日時}}で作ってください。",
               "placeholders": [{"name": "会議名", "description": "会議の名前", "example": "庁内DX推進会議"},
                                {"name": "日時", "description": "開催日時", "example": "5月10日（金）14時"}]},
    "example": {"input": "庁内DX推進会議、5月10日14時、第1会議室", "good_output": ["日時と場所", "議題"]},
    "checks": ["日時と場所が正しいか", "宛先が正しいか"], "failure_modes": ["曜日を間違える"],
    "effect": {"minutes_before": 20, "minutes_after": 5, "basis": "想定"},
    "provenance": {"source": "青葉町 総務課", "licence": "CC BY 4.0", "author": "総務課", "reviewer": "総務課長",
                   "created": "2026-12-01", "updated": "2026-12-01", "kit_version": "0.1.0"},
}


def write(folder: Path, data: dict, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or data['id']}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def variant(**changes) -> dict:
    data = copy.deepcopy(CASE)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        where = data
        for part in parents:
            where = where[part]
        where[last] = value
    return data
