"""Extract fields from the material: as readable lines (or a table, 「表で」), as a JSON object, or to a JSON schema."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from kenshu.engine.fields import FINDERS, Found
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.layout import table
from kenshu.engine.prompt import Prompt
from kenshu.engine.text import coverage, ngrams

LABELS = {"date": "日付", "amount": "金額", "phone": "電話番号", "email": "メールアドレス",
          "department": "部署", "deadline": "期限", "name": "氏名"}

# words in a key or description that say which finder fills it
_KIND_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("deadline", ("deadline", "due", "期限", "締切", "締め切り")),
    ("date", ("date", "day", "日付", "年月日", "日時", "期日")),
    ("amount", ("amount", "price", "cost", "fee", "yen", "金額", "費用", "額", "円", "料金", "予算")),
    ("phone", ("phone", "tel", "電話")),
    ("email", ("email", "mail", "メール")),
    ("department", ("department", "section", "division", "部署", "担当課", "所属", "課")),
    ("name", ("name", "person", "氏名", "名前", "申請者", "担当者")),
)


def kind_for(key: str, description: str = "") -> str | None:
    words = f"{key} {description}".lower()
    for kind, hints in _KIND_HINTS:
        if any(hint in words for hint in hints):
            return kind
    return None


def _source(prompt: Prompt) -> str:
    return prompt.material or prompt.user


def find_all(text: str) -> dict[str, list[Found]]:
    return {kind: finder(text) for kind, finder in FINDERS.items()}


def _requested_keys(prompt: Prompt) -> list[str]:
    """Keys the prompt names for its JSON: {"date": ...} examples or 「キーは a, b」."""
    keys = re.findall(r'"([A-Za-z_][\w]*)"\s*:', prompt.request)
    listed = re.search(r"(?:キー|項目|フィールド)(?:名)?\s*(?:は|:|：)\s*([^\n。]+)", prompt.request)
    if listed:
        body = re.sub(r"[（(][^）)]*[）)]", "", listed.group(1))  # a note in brackets is not a key
        body = re.split(r"\s*(?:[とに]して(?:ください|下さい)|とします|でお願いします)", body)[0]
        keys += [k.strip(" 「」\"'`") for k in re.split(r"[、,，/・\s]+", body) if k.strip(" 「」\"'`")]
    return list(dict.fromkeys(k for k in keys if k))


def extract_object(prompt: Prompt) -> dict[str, Any]:
    """A JSON object: the keys the prompt names, else every kind of field that was found."""
    found = find_all(_source(prompt))
    keys = _requested_keys(prompt)
    if not keys:
        return {kind: [item.value for item in items] for kind, items in found.items() if items}
    result: dict[str, Any] = {}
    for key in keys:
        kind = kind_for(key)
        values = [item.value for item in found[kind]] if kind else []
        result[key] = values[0] if values else None
    return result


def fill_schema(schema: Mapping[str, Any], prompt: Prompt) -> Any:
    """A value that validates against ``schema``, filled from the material where possible."""
    return _fill(schema, "", "", prompt, find_all(_source(prompt)))


def _fill(schema: Mapping[str, Any], key: str, description: str, prompt: Prompt,
          found: dict[str, list[Found]]) -> Any:
    if "enum" in schema:
        return _best_choice([v for v in schema["enum"]], prompt)
    if "const" in schema:
        return schema["const"]
    kind_of_type = schema.get("type")
    types = kind_of_type if isinstance(kind_of_type, list) else [kind_of_type]
    description = str(schema.get("description", description))
    if "anyOf" in schema:
        return _fill(schema["anyOf"][0], key, description, prompt, found)
    if "object" in types or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: _fill(sub, name, str(sub.get("description", "")), prompt, found)
                for name, sub in properties.items()}
    kind = kind_for(key, description)
    values = [item.value for item in found[kind]] if kind else []
    if "array" in types:
        items = schema.get("items", {})
        if values and items.get("type") in ("string", "integer", "number", None):
            return [_cast(v, items.get("type")) for v in values]
        return []
    if values:
        for wanted in types:
            cast = _cast(values[0], wanted)
            if cast is not None:
                return cast
    if "null" in types:
        return None
    if "integer" in types or "number" in types:
        return 0
    if "boolean" in types:
        return False
    return _best_sentence(f"{key} {description}", prompt)


def _cast(value: object, wanted: str | None) -> Any:
    if wanted in ("integer", "number"):
        return value if isinstance(value, int) else None
    if wanted in ("string", None):
        return str(value)
    return None


def _best_choice(options: list[Any], prompt: Prompt) -> Any:
    text = ngrams(_source(prompt))
    scored = [(coverage(ngrams(str(option)), text), -index) for index, option in enumerate(options)]
    return options[-max(scored)[1]] if options else None


def _best_sentence(topic: str, prompt: Prompt) -> str:
    candidates = split_sentences(prompt.material) if prompt.material else []
    if not candidates:
        return ""
    query = ngrams(topic)
    return max(candidates, key=lambda s: (coverage(query, ngrams(s)), -candidates.index(s)))


def run(prompt: Prompt) -> str:
    source = _source(prompt)
    if prompt.asks("JSON", "json"):
        return json.dumps(extract_object(prompt), ensure_ascii=False, indent=2)
    found = find_all(source)
    lines = [f"{LABELS[kind]}: {'、'.join(item.text for item in items)}" for kind, items in found.items() if items]
    if not lines:
        return "指定された文章から、日付・金額・電話番号・部署・期限・氏名などの項目は見つかりませんでした。"
    if prompt.asked.layout.kind == "table":
        return table(("項目", "値"), [(LABELS[kind], item.text) for kind, items in found.items() for item in items])
    return "\n".join(lines)
