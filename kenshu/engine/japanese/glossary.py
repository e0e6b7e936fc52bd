"""The やさしい日本語 glossary: hard words and their plain replacements, verbs in every form.

``kenshu/engine/data/plain_japanese.toml`` lists verbs (提出する→出す: 提出してください→出してください,
提出した→出した …), words (速やかに→すぐに) and notes (a word kept and explained in brackets the first
time it appears).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from kenshu.engine.datafiles import read_data
from kenshu.engine.japanese.characters import KANJI_RANGES, is_kanji
from kenshu.engine.japanese.conjugation import Verb, verb_from_dictionary

# a glossary word is not matched right after a kanji (再提出, 指定避難所), except after these adverbs
_ADVERBS_BEFORE = ("大変", "再度", "一層", "随時", "至急", "直接", "必ず", "早急")
_KANJI_BEFORE = f"(?:(?<![{KANJI_RANGES}])|" + "|".join(f"(?<={a})" for a in _ADVERBS_BEFORE) + ")"
_KANJI_AFTER = f"(?![{KANJI_RANGES}])"


@dataclass(frozen=True)
class _Entry:
    target: str
    label: str  # the dictionary pair shown to people, e.g. 提出する→出す
    note: bool = False  # keep the word, explain it in brackets the first time


@dataclass(frozen=True)
class PlainGlossary:
    entries: dict[str, _Entry]
    pattern: re.Pattern[str]
    size: int  # dictionary entries (verbs + words + notes), not generated forms


def _verb_pairs(source: Verb, target: Verb) -> dict[str, str]:
    pairs = dict(zip(source.forms().values(), target.forms().values(), strict=True))
    if source.kind == "suru":
        noun = source.base
        request = target.te + "ください"
        pairs.update({f"ご{noun}ください": request, f"ご{noun}をお願いします": request,
                      f"ご{noun}をお願いいたします": request, f"ご{noun}の上": target.te + "から",
                      f"{noun}の上": target.te + "から", f"ご{noun}いただ": target.te + "いただ"})
    return pairs


@functools.cache
def plain_glossary() -> PlainGlossary:
    """The やさしい日本語 glossary, compiled once per process into one longest-first pattern."""
    data = tomllib.loads(read_data("plain_japanese.toml"))
    entries: dict[str, _Entry] = {}
    guards: dict[str, str] = {}
    for word, spec in data["verbs"].items():
        source = verb_from_dictionary(word, spec.get("from"))
        target = verb_from_dictionary(spec["to"], spec["type"])
        if source is None or target is None:
            raise ValueError(f"plain_japanese.toml: cannot conjugate {word} → {spec['to']}")
        label = f"{word}→{spec['to']}"
        for form, plain in _verb_pairs(source, target).items():
            entries.setdefault(form, _Entry(plain, label))
        if "noun" in spec:
            entries[source.base] = _Entry(spec["noun"], f"{source.base}→{spec['noun']}")
            guards[source.base] = "\u3400-\u9fff"  # 申請書 is not 申請 + 書
    for word, spec in data["words"].items():
        if isinstance(spec, dict):
            entries[word] = _Entry(spec["to"], f"{word}→{spec['to']}")
            guards[word] = re.escape(spec.get("not_before", ""))
        else:
            entries[word] = _Entry(spec, f"{word}→{spec}")
    for word, meaning in data["notes"].items():
        entries[word] = _Entry(meaning, f"{word}（{meaning}）", note=True)
    alternatives = []
    for word in sorted(entries, key=lambda w: (-len(w), w)):
        piece = re.escape(word)
        if is_kanji(word[0]):
            piece = _KANJI_BEFORE + piece
        if entries[word].note and word not in _ADVERBS_BEFORE:  # an adverb may sit before a verb's kanji
            piece += _KANJI_AFTER
        elif guards.get(word):
            piece += f"(?![{guards[word]}])"
        alternatives.append(piece)
    size = len(data["verbs"]) + len(data["words"]) + len(data["notes"])
    return PlainGlossary(entries, re.compile("|".join(alternatives)), size)


def simplify_words(text: str, used: list[str], explained: set[str]) -> str:
    """Replace hard words from the glossary; ``used`` collects the pairs applied, ``explained`` the notes given."""
    glossary = plain_glossary()

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        entry = glossary.entries[word]
        if entry.note:
            if word in explained:
                return word
            explained.add(word)
            replacement = f"{word}（{entry.target}）"
        else:
            replacement = entry.target
        if entry.label not in used:
            used.append(entry.label)
        return replacement

    return glossary.pattern.sub(replace, text)

