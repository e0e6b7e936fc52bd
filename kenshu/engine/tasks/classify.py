"""Classify text into the labels the prompt names, by lexical similarity over Japanese text.

Labels come from the request (「A」「B」のいずれか, カテゴリ: A、B、C, or a list of
``- A: 説明`` lines); few-shot examples from ``例: 文 → A`` lines or earlier turns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kenshu.engine.prompt import Prompt, text_of
from kenshu.engine.text import cosine, ngrams, normalise

_QUOTED = re.compile(r"「([^「」\n]{1,20})」")
_INLINE = re.compile(r"(?:カテゴリー?|分類|ラベル|区分|選択肢|候補|いずれか|どれか)[^:：\n「」]{0,15}[:：]\s*([^\n]+)")
_LIST_ITEM = re.compile(r"^\s*(?:[-・*●]|\d+[.)．])\s*([^:：（(\n]{1,20})\s*(?:[:：（(]\s*([^\n)）]*)[)）]?)?\s*$", re.M)
_EXAMPLE = re.compile(r"^\s*(?:例\d*\s*[:：]?\s*)?「?([^「」\n→]{2,}?)」?\s*(?:→|=>|⇒|->)\s*「?([^「」\n]{1,20}?)」?\s*$", re.M)
_ITEM_PREFIX = re.compile(r"^\s*(?:\d+[.)．、]|[・\-*●])\s*")
_OTHER = ("その他", "該当なし", "不明", "分類不能")
# 「決められないときは「判定不能」と答えて」: the answer when no label's keywords match
_UNDECIDED = re.compile(r"(?:決められない|判断できない|判定できない|当てはまらない|分からない|わからない)(?:とき|場合)は、?「([^「」\n]{1,10})」")
_THRESHOLD = 0.02


@dataclass
class Label:
    name: str
    description: str = ""
    examples: list[str] = field(default_factory=list)

    def profile(self) -> Counter[str]:
        grams = ngrams(self.name)
        for gram in list(grams):
            grams[gram] *= 3
        grams.update(ngrams(self.description))
        return grams


def parse_labels(prompt: Prompt) -> list[Label]:
    request = prompt.request
    labels: dict[str, Label] = {}
    inline = _INLINE.search(request)
    if inline:
        names = split_labels(inline.group(1))
        if len(names) < 2:
            names += _label_lines(request[inline.end():])
        if len(names) >= 2:
            for name in names:
                labels.setdefault(name, Label(name))
    if not labels:
        quoted = [m.group(1) for m in _QUOTED.finditer(request)]
        if len(quoted) >= 2:
            for name in quoted:
                labels.setdefault(name, Label(name))
    if not labels:
        for match in _LIST_ITEM.finditer(request):
            name = match.group(1).strip()
            labels.setdefault(name, Label(name, (match.group(2) or "").strip()))
    for match in _EXAMPLE.finditer(request):
        text, name = match.group(1).strip(), match.group(2).strip()
        labels.setdefault(name, Label(name)).examples.append(text)
    _examples_from_history(prompt, labels)
    return list(labels.values())


def split_labels(text: str) -> list[str]:
    """Label names written on one line: separated by 、 , / ／ | or または; by ・ only when nothing else separates.

    ``支出、決算・年度末`` is two labels (the ・ belongs to a name); ``賛成・反対・その他`` is three.
    The list ends at いずれか/どれか (「… のいずれかに分類し、…」 is not a label).
    """
    text = _ITEM_PREFIX.sub("", re.split(r"(?:の|から)?(?:いずれか|どれか|どちらか)", text)[0])
    strong = r"[、,，/／|｜]+|\s+or\s+|または"
    parts = re.split(strong, text) if re.search(strong, text) else re.split(r"[・･]+", text)
    names = [part.strip(" \u3000「」『』\"'。.") for part in parts]
    return [name for name in names if name]


def _label_lines(text: str) -> list[str]:
    """Labels written one a line right after 「カテゴリ:」 (up to a blank line or ---)."""
    names = []
    for line in text.splitlines()[1:]:
        line = _ITEM_PREFIX.sub("", line).strip(" \u3000「」『』")
        if not line or line.startswith(("---", "###")) or len(line) > 20 or "。" in line:
            break
        if re.search(r"[:：]", line):
            return []  # 「- 旅費: 説明」 lines: the list-item reader takes them with their descriptions
        names.append(line)
    return names


def _examples_from_history(prompt: Prompt, labels: dict[str, Label]) -> None:
    """Earlier user → assistant turns whose answer is a label are few-shot examples."""
    turns = list(prompt.history)
    for asked, answered in zip(turns, turns[1:], strict=False):
        if asked.get("role") == "user" and answered.get("role") == "assistant":
            answer = text_of(answered.get("content")).strip()
            if answer in labels:
                labels[answer].examples.append(text_of(asked.get("content")))


def classify_text(text: str, labels: list[Label]) -> tuple[Label, float]:
    grams = ngrams(text)
    plain = normalise(text)
    best: tuple[float, int] = (-1.0, 0)
    for index, label in enumerate(labels):
        score = cosine(grams, label.profile())
        if label.examples:
            score = max(score, max(cosine(grams, ngrams(example)) for example in label.examples))
        if label.name and label.name in plain:
            score += 0.3
        best = max(best, (score, -index))
    score, index = best[0], -best[1]
    if score <= _THRESHOLD:
        fallback = next((label for label in labels if label.name in _OTHER), None)
        if fallback:
            return fallback, score
    return labels[index], score


def items_to_classify(prompt: Prompt) -> list[str]:
    """The material, item by item when it is a numbered or bulleted list.

    When the system message holds the request, the user's whole message is the item.
    """
    text = prompt.material or prompt.user
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(_ITEM_PREFIX.match(line) for line in lines):
        return [_ITEM_PREFIX.sub("", line).strip() for line in lines]
    return [text.strip()]


def run(prompt: Prompt) -> str:
    labels = parse_labels(prompt)
    if len(labels) < 2:
        return ("分類先（ラベル）が読み取れませんでした。「次のいずれかに分類してください: 苦情、要望、質問」のように、"
                "分類先を二つ以上、読点（、）・「／」で区切るか、1 行に 1 つずつ書いてください。")
    if not prompt.material.strip() and not prompt.system.strip():
        return "分類する文章が見当たりません。依頼文の後に改行して、分類したい文章を貼り付けてください。"
    undecided = _UNDECIDED.search(prompt.request)
    items = items_to_classify(prompt)
    results = []
    for item in items:
        label, score = classify_text(item, labels)
        results.append(undecided.group(1) if undecided and score <= _THRESHOLD else label.name)
    if len(results) == 1:
        return results[0]
    return "\n".join(f"{number}. {name}" for number, name in enumerate(results, start=1))
