"""Reading and checking cases: the JSON Schema, the placeholders, and the backends against the sending rule."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from kenshu.errors import CatalogueError

SCHEMA_PATH = Path(__file__).with_name("schema.json")
PLACEHOLDER = re.compile(r"{{([^{}]+)}}")
FIELD_NAMES = {  # how messages name a field
    "id": "番号", "title": "題名", "category": "分類", "tags": "タグ", "context": "業務の背景", "department": "課",
    "role": "役割", "purpose": "目的", "data": "扱う情報", "confidentiality": "機密性", "personal_data": "個人情報",
    "backends": "送ってよい接続先", "risk": "リスク", "users": "利用者", "task": "業務の性質", "training": "学習への利用",
    "judgement": "職員の判断", "level": "リスクの程度", "prompt": "依頼文", "premises": "前提", "instructions": "指示",
    "rules": "条件", "template": "依頼文のひな形", "placeholders": "差し込む所", "name": "名前", "description": "説明",
    "example": "例", "input": "入力例", "good_output": "よい出力", "checks": "確かめること", "failure_modes": "よくある失敗",
    "effect": "効果", "minutes_before": "使う前の時間（分）", "minutes_after": "使った後の時間（分）", "basis": "根拠",
    "provenance": "出典", "source": "作成元", "licence": "利用条件", "author": "作成者", "reviewer": "確認者",
    "created": "作成日", "updated": "更新日", "kit_version": "キットの版", "references": "参考資料",
    "schema_version": "形式の版", "merged_from": "取り込み元", "notes": "備考",
}


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def shipped_folder() -> Path:
    from kenshu import datasets

    return datasets.folder() / "cases"


@dataclass(frozen=True)
class Case:
    data: dict[str, Any]
    path: Path | None = None

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def category(self) -> str:
        return self.data["category"]

    @property
    def confidentiality(self) -> int:
        return self.data["data"]["confidentiality"]

    @property
    def personal_data(self) -> bool:
        return self.data["data"]["personal_data"]

    @property
    def backends(self) -> list[str]:
        return list(self.data["data"]["backends"])

    @property
    def placeholders(self) -> list[dict[str, str]]:
        return list(self.data["prompt"]["placeholders"])

    @property
    def checks(self) -> list[str]:
        return list(self.data["checks"])

    def fill(self, values: dict[str, str] | None = None) -> str:
        """The prompt with each {{名前}} replaced by ``values[名前]``, else by its example."""
        given = values or {}
        examples = {p["name"]: p["example"] for p in self.placeholders}
        return PLACEHOLDER.sub(lambda m: given.get(m.group(1)) or examples.get(m.group(1), m.group(0)),
                               self.data["prompt"]["template"])


@dataclass
class Catalogue:
    folder: Path
    cases: list[Case] = field(default_factory=list)

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def get(self, case_id: str) -> Case:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise CatalogueError(f"事例 {case_id} は {self.folder} にありません。",
                             todo="`python3 run.py cases list` で番号を確かめてください。")

    def frame(self):
        import pandas as pd

        return pd.DataFrame([{"id": c.id, "分類": c.category, "題名": c.title, "機密性": c.confidentiality,
                              "個人情報": "あり" if c.personal_data else "なし", "接続先": "・".join(c.backends),
                              "リスク": c.data["risk"]["level"]} for c in self.cases])


def _where(path: list[Any] | Any) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"{part + 1}番目")
        else:
            parts.append(f"{FIELD_NAMES.get(part, part)}（{part}）")
    return " の ".join(parts) or "ファイル全体"


def _message(error: jsonschema.ValidationError) -> str:
    where = _where(list(error.absolute_path))
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = [k for k in value if isinstance(error.instance, dict) and k not in error.instance]
        names = "、".join(f"{FIELD_NAMES.get(k, k)}（{k}）" for k in missing)
        return f"{where} に {names} がありません。"
    if kind == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return f"{where} に知らない項目 {', '.join(extra)} があります（書き間違いではありませんか）。"
    if kind == "enum":
        return f"{where} は {' / '.join(map(str, value))} のどれかです（いまは {error.instance!r}）。"
    if kind == "const":
        return f"{where} は {value} です（いまは {error.instance!r}）。"
    if kind == "type":
        named = {"string": "文字列（\"…\"）", "integer": "整数", "boolean": "true か false", "array": "配列（[ … ]）",
                 "object": "表（[見出し]）"}.get(value, value)
        return f"{where} は {named} で書きます（いまは {error.instance!r}）。"
    if kind in ("minLength", "maxLength"):
        return f"{where} は {value} 文字{'以上' if kind == 'minLength' else '以内'}で書きます。"
    if kind in ("minItems",):
        return f"{where} には {value} 個以上書きます。"
    if kind == "uniqueItems":
        return f"{where} に同じものが二度あります。"
    if kind == "pattern":
        return f"{where} の形が違います（いまは {error.instance!r}）。" + (
            "番号は「KS-001」のように、英大文字の接頭辞・ハイフン・3〜4桁の数字です。" if error.absolute_path and
            list(error.absolute_path)[-1] == "id" else "")
    if kind in ("minimum", "maximum"):
        return f"{where} は {value} {'以上' if kind == 'minimum' else '以下'}です（いまは {error.instance!r}）。"
    return f"{where}: {error.message}"


def _plain(value: Any) -> Any:
    """TOML dates as ISO text, so that a date written without quotes is read as the schema means it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def allowed_backends(confidentiality: int, personal_data: bool) -> list[str]:
    """The backends the kit's default policy lets receive this 機密性 and, if any, personal data."""
    from kenshu.gate.policy import BACKEND_ORDER, load_policy

    policy = load_policy(None)
    return [b for b in BACKEND_ORDER if (rule := policy.rule(b)).allowed and rule.max_confidentiality >= confidentiality
            and not (personal_data and rule.action_for("person_name") == "block")]


def problems(data: Any) -> list[str]:
    """Everything wrong with one case, each a Japanese sentence naming the field."""
    validator = jsonschema.Draft202012Validator(schema())
    found = [_message(e) for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if found or not isinstance(data, dict):
        return found or ["事例は表（キーと値）で書きます。"]
    prompt = data["prompt"]
    used = PLACEHOLDER.findall(prompt["template"])
    named = [p["name"] for p in prompt["placeholders"]]
    for name in dict.fromkeys(used):
        if name not in named:
            found.append(f"依頼文のひな形（prompt.template）の {{{{{name}}}}} に、差し込む所（prompt.placeholders）の説明がありません。")
    for name in dict.fromkeys(named):
        if name not in used:
            found.append(f"差し込む所（prompt.placeholders）の「{name}」が、依頼文のひな形（prompt.template）にありません。")
        if named.count(name) > 1:
            found.append(f"差し込む所（prompt.placeholders）の「{name}」が二度あります。")
    where = data["data"]
    allowed = allowed_backends(where["confidentiality"], where["personal_data"])
    wrong = [b for b in where["backends"] if b not in allowed]
    if wrong:
        found.append(f"扱う情報の送ってよい接続先（data.backends）の {', '.join(wrong)} は、機密性{where['confidentiality']}"
                     f"{'で個人情報を含む' if where['personal_data'] else ''}情報を受け取れません（送信ルールで送れるのは "
                     f"{', '.join(allowed)}）。")
    if data["effect"]["minutes_after"] > data["effect"]["minutes_before"]:
        found.append("効果（effect）の使った後の時間が、使う前の時間より長くなっています。")
    return found


def read_toml(path: Path) -> Any:
    try:
        return _plain(tomllib.loads(path.read_text(encoding="utf-8")))
    except UnicodeDecodeError:
        raise CatalogueError(f"事例のファイル {path.name} の文字コードが読めません。", todo="UTF-8 で保存してください。") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"事例のファイル {path.name} の書式が TOML として正しくありません（{exc}）。",
                             todo="引用符の閉じ忘れや、= の抜けがないか確かめてください。") from None
    except OSError as exc:
        raise CatalogueError(f"事例のファイル {path} を開けませんでした（{exc.strerror or exc}）。") from None


def load_case(path: str | Path) -> Case:
    """One case file, checked; raises ``CatalogueError`` naming the case and every field that is wrong."""
    path = Path(path)
    data = read_toml(path)
    found = problems(data)
    ident = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    if not found and path.stem != ident:
        found.append(f"ファイル名 {path.name} が番号 {ident} と違います。{ident}.toml にしてください。")
    if found:
        name = f"事例 {ident}（{path.name}）" if ident else f"事例のファイル {path.name}"
        raise CatalogueError(f"{name} に誤りがあります。\n" + "\n".join(f"  - {p}" for p in found),
                             todo="直してから `python3 run.py cases validate` で確かめてください。")
    return Case(data, path)


def case_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CatalogueError(f"事例集 {path} が見つかりません。", todo="事例のファイル（.toml）か、それが入ったフォルダーを指定してください。")
    return sorted(path.glob("*.toml"))


def load_cases(files: list[Path]) -> tuple[list[Case], list[str]]:
    """The cases that read and check cleanly, and a Japanese message for each file that does not."""
    cases, errors = [], []
    for file in files:
        try:
            cases.append(load_case(file))
        except CatalogueError as error:
            errors.append(error.what)
    return cases, errors


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Every case in a folder (default: the kit's), each checked; every bad file is reported at once."""
    folder = Path(path) if path else shipped_folder()
    cases, errors = load_cases(case_files(folder))
    seen: dict[str, Path] = {}
    for case in cases:
        if case.id in seen:
            errors.append(f"番号 {case.id} が {seen[case.id].name} と {case.path.name} の両方にあります。")
        seen.setdefault(case.id, case.path)
    if errors:
        raise CatalogueError(f"事例集 {folder} に誤りがあります（{len(errors)} 件）。\n" + "\n".join(errors),
                             todo="直してから `python3 run.py cases validate` で確かめてください。")
    return Catalogue(folder, sorted(cases, key=lambda c: c.id))
