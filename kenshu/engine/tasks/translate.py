"""Translation requests: the engine cannot translate, so it says so and helps with set phrases.

It lists the set phrases of ``kenshu/engine/data/phrasebook.toml`` (municipal notices, tourist
guidance, disaster notices) that occur in the text, with their renderings in the asked languages,
and adds a note on the scene (市長の記者会見, 観光案内, 災害情報) when the request names one.

For disaster information it goes sentence by sentence: a sentence that is one of the fixed
sentences (定型文) of ``datasets/notices/disaster_phrases.csv`` is replaced by the table's rendering,
its slots ({地区} …) filled with the original words; every other sentence is marked 【未翻訳】 and left
to a person. Nothing is translated that the table does not hold.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass

from kenshu.engine.coach import HEADER
from kenshu.engine.datafiles import read_data
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.prompt import Prompt

LANGUAGES = {"en": "英語", "zh": "中国語（簡体字）", "ko": "韓国語", "easy": "やさしい日本語"}
_LANGUAGE_WORDS = {
    "en": r"英語|英訳|English|英文",
    "zh": r"中国語|中文|簡体|簡体字|Chinese",
    "ko": r"韓国語|朝鮮語|ハングル|Korean",
    "easy": r"やさしい日本語|易しい日本語",
}
_ALL_LANGUAGES = re.compile(r"多言語|各言語|すべての言語|全言語")

CANNOT_TRANSLATE = (
    "この練習エンジンは文章を翻訳できません。文全体の翻訳には、実際の生成AIのモデルが必要です。"
    "生成AIの翻訳も誤ることがあるため、公開する前に、必ずその言語がわかる人が確認してください。"
)


@dataclass(frozen=True)
class Phrase:
    ja: str
    renderings: dict[str, str]  # language code → rendering
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scene:
    name: str
    pattern: re.Pattern[str]
    advice: str


SCENES = (
    Scene("市長の記者会見", re.compile(r"記者会見|会見|市長|町長|村長|区長|知事|談話"),
          "記者会見での発言は、内容をそのまま翻訳して構いません。ただし、役職名・氏名・組織名は"
          "公式の英語表記（例: Mayor of 〇〇 City）と照らして確認してください。"),
    Scene("観光案内", re.compile(r"観光|旅行者|訪日|インバウンド|観光客"),
          "観光案内は、そのまま訳すのではなく、まず読み手の国・地域の文化的な背景（習慣、関心、"
          "知らないこと）に合わせて、言語ごとに内容を書き直してから翻訳しましょう。"),
    Scene("災害情報", re.compile(r"災害|避難|防災|地震|津波|台風|大雨|洪水|警報"),
          "災害情報は、短い文と命令形（例: Evacuate now.）で書き、同じものには最後まで同じ用語を使ってください。"
          "外国人住民の多くは、やさしい日本語でも情報を受け取れます。やさしい日本語での発信も併せると、"
          "より多くの住民に届きます。"),
)


def _key(text: str) -> str:
    """The form used for matching: NFKC (full-width letters and digits to half-width), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@functools.cache
def phrasebook() -> tuple[Phrase, ...]:
    """The set phrases, loaded once per process."""
    data = tomllib.loads(read_data("phrasebook.toml"))
    return tuple(
        Phrase(entry["ja"], {code: entry[code] for code in LANGUAGES if code in entry},
               tuple(entry.get("variants", ())))
        for entry in data["phrase"]
    )


@functools.cache
def _matcher() -> tuple[re.Pattern[str], dict[str, Phrase]]:
    """One longest-first pattern over every phrase and variant (避難所 before 避難)."""
    by_form: dict[str, Phrase] = {}
    for phrase in phrasebook():
        for form in (phrase.ja, *phrase.variants):
            by_form.setdefault(_key(form), phrase)
    alternatives = sorted(by_form, key=lambda form: (-len(form), form))
    return re.compile("|".join(re.escape(form) for form in alternatives)), by_form


def find_phrases(text: str) -> list[tuple[str, Phrase]]:
    """(form found, phrase) for each set phrase in ``text``, in order of first appearance, without overlaps."""
    pattern, by_form = _matcher()
    found: list[tuple[str, Phrase]] = []
    seen: set[str] = set()
    for match in pattern.finditer(_key(text)):
        phrase = by_form[match.group()]
        if phrase.ja not in seen:
            seen.add(phrase.ja)
            found.append((match.group(), phrase))
    return found


def target_languages(request: str) -> list[str]:
    if _ALL_LANGUAGES.search(request):
        return list(LANGUAGES)
    wanted = [code for code, words in _LANGUAGE_WORDS.items() if re.search(words, request, re.I)]
    return wanted or ["en"]


def scenes(request: str) -> list[Scene]:
    return [scene for scene in SCENES if scene.pattern.search(request)]


def _line(form: str, phrase: Phrase, languages: list[str]) -> str:
    shown = phrase.ja if form == _key(phrase.ja) else f"{form}（{phrase.ja}）"
    if len(languages) == 1:
        rendering = phrase.renderings.get(languages[0])
        return f"- {shown} → {rendering or '（この言語の対訳は辞書にありません）'}"
    parts = [f"{LANGUAGES[code]}: {phrase.renderings[code]}" for code in languages if code in phrase.renderings]
    return f"- {shown} → {' ／ '.join(parts)}"


def _text_of(prompt: Prompt) -> str:
    return prompt.material.strip() or prompt.instruction.strip()


@dataclass(frozen=True)
class FixedSentence:
    ident: str
    ja: str
    renderings: dict[str, str]  # language code → rendering with the same {slots}
    pattern: re.Pattern[str]
    slots: tuple[str, ...]


TABLE_LANGUAGES = ("en", "zh", "ko")
UNTRANSLATED = "【未翻訳】定型文の表にない文です。その言語がわかる人が訳し、原文と照らしてください。"
_SLOT = re.compile(r"\{([^{}]+)\}")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _template_pattern(template: str) -> re.Pattern[str]:
    """A template such as 避難所：{避難所} as a pattern: spaces optional, each slot a non-empty group."""
    parts = []
    for index, piece in enumerate(_SLOT.split(_normal(template))):
        if index % 2:
            parts.append(r"\s*(.+?)\s*")
        else:
            parts.append("".join(r"\s*" if char == " " else re.escape(char) for char in piece))
    return re.compile("".join(parts))


@functools.cache
def _fixed_sentences(folder: str) -> tuple[FixedSentence, ...]:
    from kenshu import datasets  # pandas only when a disaster text is translated

    try:
        frame = datasets.disaster_phrases()
    except datasets.DatasetError:
        return ()  # a trainer's dataset folder without the table: phrases only
    return tuple(
        FixedSentence(row.id, row.ja, {code: getattr(row, code) for code in TABLE_LANGUAGES},
                      _template_pattern(row.ja), tuple(_SLOT.findall(row.ja)))
        for row in frame.itertuples()
    )


def fixed_sentences() -> tuple[FixedSentence, ...]:
    """The fixed sentences of the kit's (or the trainer's, via KENSHU_DATASETS) dataset folder."""
    from kenshu import datasets

    return _fixed_sentences(str(datasets.folder()))


def match_fixed(sentence: str) -> tuple[FixedSentence, dict[str, str]] | None:
    """The fixed sentence that ``sentence`` is, with its slot values in the original words, or None."""
    text = _normal(sentence)
    for fixed in fixed_sentences():
        found = fixed.pattern.fullmatch(text)
        if found:
            return fixed, dict(zip(fixed.slots, found.groups(), strict=True))
    return None


def _fill(rendering: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda slot: values[slot.group(1)], rendering)


def _fixed_sentence_lines(text: str, languages: list[str]) -> list[str]:
    sentences = split_sentences(text)
    table = fixed_sentences()
    matched = [match_fixed(sentence) for sentence in sentences]
    names = "・".join(LANGUAGES[code] for code in languages)
    lines = ["", f"代わりに、災害情報の定型文の表（datasets/notices/disaster_phrases.csv、{len(table)}文）にある文だけを、"
                 f"表の{names}に置き換えました。表にない文は訳さず、【未翻訳】と示します。"
                 f"{len(sentences)}文のうち{sum(m is not None for m in matched)}文が定型文でした。", ""]
    for number, (sentence, found) in enumerate(zip(sentences, matched, strict=True), start=1):
        lines.append(f"{number}. {sentence}")
        if found is None:
            lines.append(f"   → {UNTRANSLATED}")
            continue
        fixed, values = found
        for code in languages:
            label = f"{LANGUAGES[code]}: " if len(languages) > 1 else ""
            lines.append(f"   → {label}{_fill(fixed.renderings[code], values)}")
        kept = "・".join(f"「{value}」" for value in values.values())
        lines.append(f"   （定型文 {fixed.ident}" + (f"。{kept}は原文のまま入れました。用語集の表記に置き換えてください）"
                                                 if values else "）"))
    return lines


def run(prompt: Prompt) -> str:
    languages = target_languages(prompt.request)
    lines = [HEADER, CANNOT_TRANSLATE]
    table_languages = [code for code in languages if code in TABLE_LANGUAGES]
    if (prompt.material.strip() and table_languages and fixed_sentences()
            and any(scene.name == "災害情報" for scene in scenes(prompt.request))):
        lines += _fixed_sentence_lines(_text_of(prompt), table_languages)
        lines += ["", "訳した文も、公開の前に、その言語がわかる人が原文と照らしてください。地区名・施設名・時刻は特に確かめます。"]
        for scene in scenes(prompt.request):
            lines += ["", f"【{scene.name}の翻訳で気をつけること】", scene.advice]
        return "\n".join(lines)
    found = find_phrases(_text_of(prompt))
    names = "・".join(LANGUAGES[code] for code in languages)
    if found:
        lines += ["", f"代わりに、自治体の案内でよく使う定型語句の対訳辞書（{len(phrasebook())}語句）から、"
                      f"本文にある語句の{names}を示します。文脈に合うかは、人が確かめてください。", ""]
        lines += [_line(form, phrase, languages) for form, phrase in found]
    elif prompt.material.strip():
        lines += ["", f"本文には、対訳辞書（{len(phrasebook())}語句）にある定型語句が見つかりませんでした。"]
    else:
        lines += ["", "翻訳したい文章が見当たりません。依頼文の後に改行して、文章を貼り付けてください。"]
    for scene in scenes(prompt.request):
        lines += ["", f"【{scene.name}の翻訳で気をつけること】", scene.advice]
    return "\n".join(lines)
