"""です・ます ⇄ である: sentence endings and clause-final predicates, by rule.

* です・ます → である (sentence endings, and predicates before が、/ので、/から、/けれども、):
  です→である (い-adjective＋です→drop です, のです→のである), でした→であった, でしょう→であろう,
  ではありません→ではない, でございます→である, ございます→ある; 〜ます/ました/ません/ませんでした/
  ましょう → the verb's dictionary/た/ない/なかった/よう form for godan, ichidan, する and くる verbs
  (します→する, できます→できる, あります→ある, います→いる, 行います→行う, おります→いる,
  いたします→する); 〜してください / ご〇〇ください → 〇〇すること; other 〜てください are kept.
* である → です・ます: である/だ→です, であった/だった→でした, であろう/だろう→でしょう,
  ではない→ではありません, 〜ない→〜ません (or ありません after a noun), verbs in dictionary /
  た / ない / よう form → ます / ました / ません / ましょう, い-adjectives → 〜いです,
  〇〇すること → 〇〇してください. 〜った/〜んだ are converted only for verbs in a known list
  (行った can be 行く or 行う).
* A sentence ending in brackets (「起票した（ACC-36）。」) is converted before its brackets.

An ending no rule recognises is left as it was and reported in ``StyleResult.unchanged``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kenshu.engine.japanese.adjectives import NOUNS_IN_I, is_i_adjective
from kenshu.engine.japanese.conjugation import (
    GODAN_ROWS,
    Verb,
    is_suru_noun,
    verb_from_dictionary,
    verb_from_masu_stem,
    verb_from_negative,
    verb_from_past,
    verb_from_volitional,
)
from kenshu.engine.japanese.sentences import split_end, split_sentences, top_level

# ---------------------------------------------------------------- style: です・ます → である

_TO_PLAIN_LITERALS = (
    ("でございます", "である"), ("ございます", "ある"), ("ございません", "ない"), ("ございました", "あった"),
    ("ではありませんでした", "ではなかった"), ("ではありません", "ではない"), ("じゃありません", "ではない"),
    ("でしょう", "であろう"), ("でした", "であった"),
)
_POLITE_ENDINGS = ("ます", "ました", "ません", "ませんでした", "ましょう", "です", "でした", "でしょう",
                   "ください", "下さい")
_MASU_FORMS: tuple[tuple[str, Callable[[Verb], str]], ...] = (
    ("ませんでした", lambda v: v.negative[:-1] + "かった"), ("ません", lambda v: v.negative),
    ("ました", lambda v: v.ta), ("ましょう", lambda v: v.volitional), ("ます", lambda v: v.dictionary),
)


def plain_ending(body: str) -> str | None:
    """``body`` (a sentence or clause without its 。) in である style; None if its ending is not understood.

    A body that is not in です・ます style (a noun, a heading) comes back unchanged.
    """
    if body.endswith("か") and body[:-1].endswith(_POLITE_ENDINGS):
        converted = plain_ending(body[:-1])
        return None if converted is None else converted + "か"
    for polite, plain in _TO_PLAIN_LITERALS:
        if body.endswith(polite) and not (polite == "でした" and body.endswith("ませんでした")):
            return body[:-len(polite)] + plain
    if body.endswith("です"):
        stem = body[:-2]
        if is_i_adjective(stem) or stem.endswith("ない"):
            return stem  # 多いです → 多い, 必要はないです → 必要はない
        if stem.endswith(("の", "ん")):
            return stem[:-1] + "のである"
        if not stem or (stem.endswith("い") and not stem.endswith(NOUNS_IN_I)):
            return None  # an adjective not in the list: leave it rather than write 〜いである
        return stem + "である"
    if body.endswith(("ください", "下さい")):
        return _plain_request(body)
    for ending, form in _MASU_FORMS:
        if body.endswith(ending):
            verb = verb_from_masu_stem(body[:-len(ending)])
            return form(verb) if verb else None
    return body


def _plain_request(body: str) -> str:
    """〜してください / ご〇〇ください → 〜すること (公用文の常体); other requests are kept."""
    core = body[:-4]
    if core.endswith("ないで"):
        return core[:-1] + "こと"
    if core.endswith("して") and is_suru_noun(core[:-2]):
        return core[:-2] + "すること"
    match = re.search(r"ご([\u3400-\u9fff]{2,})$", core)
    if match:
        return core[:match.start()] + match.group(1) + "すること"
    return body


# ---------------------------------------------------------------- style: である → です・ます

_TO_POLITE_LITERALS = (
    ("ではなかった", "ではありませんでした"), ("でなかった", "ではありませんでした"), ("ではない", "ではありません"),
    ("でない", "ではありません"), ("じゃない", "ではありません"), ("であった", "でした"), ("だった", "でした"),
    ("であろう", "でしょう"), ("だろう", "でしょう"), ("である", "です"), ("のだ", "のです"),
)
_NOT_INSTRUCTION = ("目的", "ねらい", "趣旨", "方針", "ことは", "のは", "ということ", "とのこと", "のこと")


def polite_ending(body: str) -> str | None:
    """``body`` (a sentence or clause without its 。) in です・ます style; None if not understood.

    A body that is already polite, or is not a predicate (a noun, a heading), comes back unchanged.
    """
    if not body or body.endswith(_POLITE_ENDINGS):
        return body
    for plain, polite in _TO_POLITE_LITERALS:
        if body.endswith(plain):
            return body[:-len(plain)] + polite
    if body.endswith("こと") and not any(word in body for word in _NOT_INSTRUCTION):
        return _polite_request(body)
    if body.endswith("だ"):
        if body[-2:-1] in ("ん", "い"):
            verb = verb_from_past(body)
            return verb.masu_stem + "ました" if verb else None
        return body[:-1] + "です"
    if body.endswith("なかった"):
        verb = verb_from_negative(body[:-3] + "い")
        if verb:
            return verb.masu_stem + "ませんでした"
        return body + "です" if is_i_adjective(body[:-3] + "い") else body[:-4] + "ありませんでした"
    if body.endswith("ない"):
        verb = verb_from_negative(body)
        if verb:
            return verb.masu_stem + "ません"
        return body + "です" if is_i_adjective(body) else body[:-2] + "ありません"
    if body.endswith("かった") and is_i_adjective(body[:-3] + "い"):
        return body + "です"
    if body.endswith(("た", "だ")):
        verb = verb_from_past(body)
        return verb.masu_stem + "ました" if verb else None
    if body.endswith("い"):
        return body + "です" if is_i_adjective(body) else body
    if body.endswith("う") and (verb := verb_from_volitional(body)):
        return verb.masu_stem + "ましょう"
    if body[-1] in GODAN_ROWS and len(body) >= 2 and not body.endswith(("よう",)):
        verb = verb_from_dictionary(body)
        return verb.masu_stem + "ます" if verb else None
    return body


def _polite_request(body: str) -> str:
    """〇〇すること → 〇〇してください, 〜しないこと → 〜しないでください, 守ること → 守ってください."""
    core = body[:-2]
    if core.endswith("ない"):
        return core + "でください"
    verb = verb_from_dictionary(core) if core and core[-1] in GODAN_ROWS else None
    return verb.te + "ください" if verb else body


# ---------------------------------------------------------------- style: whole texts

_CLAUSE_LINKS = re.compile(r"(?:けれども|けれど|ので|から|が)、")


def split_trailing_brackets(body: str) -> tuple[str, str]:
    """(predicate, brackets): 「起票した（ACC-36）」 → (起票した, （ACC-36）); a body that is all brackets is kept."""
    top = top_level(body)
    cut = len(body)
    while cut > 0 and not top[cut - 1]:
        cut -= 1
    return (body[:cut], body[cut:]) if 0 < cut < len(body) else (body, "")


@dataclass
class StyleResult:
    text: str
    unchanged: list[str] = field(default_factory=list)  # sentences whose ending no rule understood


def convert_clauses(body: str, convert: Callable[[str], str | None], polite: bool) -> str:
    """Convert the predicates before が、/ので、/から、/けれども、 that stand outside quotes."""
    top = top_level(body)
    for match in reversed(list(_CLAUSE_LINKS.finditer(body))):
        if not top[match.start()]:
            continue
        left = body[:match.start()]
        if polite and match.group().startswith("ので") and left.endswith("な"):
            converted: str | None = left[:-1] + "です"  # 必要なので → 必要ですので
        elif not polite and match.group().startswith("ので") and left.endswith("です"):
            converted = left[:-2] + "な"  # 必要ですので → 必要なので
        else:
            converted = convert(left)
        if converted is not None:
            body = converted + body[match.start():]
    return body


def convert_style(text: str, polite: bool) -> StyleResult:
    """Convert every sentence ending (and clause-final predicate) to です・ます or である, keeping the layout."""
    convert = polite_ending if polite else plain_ending
    result = StyleResult("")
    lines = []
    for line in text.splitlines():
        converted = []
        for sentence in split_sentences(line):
            body, end = split_end(sentence)
            body, brackets = split_trailing_brackets(body)
            body = convert_clauses(body, convert, polite)
            new_body = convert(body)
            if new_body is None:
                result.unchanged.append(sentence)
                new_body = body
            converted.append(new_body + brackets + end)
        indent = line[:len(line) - len(line.lstrip())]
        lines.append(indent + "".join(converted))
    result.text = "\n".join(lines).strip("\n")
    return result

