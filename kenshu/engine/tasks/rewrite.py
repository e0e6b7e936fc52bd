"""Rewrite a text as asked: やさしい日本語, です・ます ⇄ である, or within a length limit.

Rules, not a model. The text's content is never changed beyond what a rule does:

* やさしい日本語: sentences over about 40 characters are split at clause boundaries
  (〜ますが、→〜ます。でも、 / 〜ので、→〜。ですから、 / 〜するため、→〜します。そのため、 /
  〜ており、→〜ています。 / 〜であり、→〜です。); hard words are replaced from the glossary
  ``kenshu/engine/data/plain_japanese.toml`` (verbs in every form: 提出してください→出してください);
  endings become です・ます; one sentence per line. Numbers, dates and amounts are not touched.
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
* A length limit (「200字以内」): whole sentences are kept in order while they fit; when even the
  first one is too long, it is cut at a clause boundary and ended with 「。」.

An ending no rule recognises is left as it was, and the reply says how many were left.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources

from kenshu.engine.coach import HEADER
from kenshu.engine.prompt import Prompt

# ---------------------------------------------------------------- characters

_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヶ]")
_OPENERS, _CLOSERS = "「『（(【［[〈《“", "」』）)】］]〉》”"
_ENDS = "。！？!?"
_ROWS = {  # godan verb ending → its あ・い・う・え・お row
    "う": "わいうえお", "く": "かきくけこ", "ぐ": "がぎぐげご", "す": "さしすせそ", "つ": "たちつてと",
    "ぬ": "なにぬねの", "ぶ": "ばびぶべぼ", "む": "まみむめも", "る": "らりるれろ",
}
_A_ROW = {row[0]: ending for ending, row in _ROWS.items()}
_I_ROW = {row[1]: ending for ending, row in _ROWS.items()}
_O_ROW = {row[4]: ending for ending, row in _ROWS.items()}
_E_ROW = set("えけげせぜてでねへべぺめれ")
_I_ROW_ALL = set(_I_ROW) | set("じ")
_TE = {"う": "って", "つ": "って", "る": "って", "く": "いて", "ぐ": "いで", "す": "して",
       "ぬ": "んで", "ぶ": "んで", "む": "んで"}


def _is_kanji(char: str) -> bool:
    return bool(char) and bool(_KANJI.match(char))


def _trailing_kanji(text: str) -> int:
    count = 0
    while count < len(text) and _is_kanji(text[-1 - count]):
        count += 1
    return count


# ---------------------------------------------------------------- verbs

# single kanji that take する (要する, 関する …); other kanji＋し are godan す verbs (話す, 出す)
_SURU_SINGLE = set("要関対反達接属課有期資付称愛発適介制")
# ichidan verbs written with one kanji and no kana stem (見る, 出る, 着る …)
_ICHIDAN_KANJI = set("見出寝着似居得経煮干射")
# ichidan stems ending in an い-row kana (others of that shape are godan: 書き→書く)
_ICHIDAN_I_STEMS = ("起き", "生き", "尽き", "飽き", "過ぎ", "落ち", "借り", "降り", "足り", "浴び", "延び",
                    "伸び", "帯び", "満ち", "用い", "報い", "率い", "強い", "老い", "でき")
# words before いる (〜ています, 職員がいます); anything else before い makes a godan う verb (使います)
_BEFORE_IRU = set("てでがはもにへとや、 　")
# past forms in った/んだ whose verb is known (行った is left: 行く or 行う)
_PAST_ENDING = {**dict.fromkeys("使言払思買従伴争失会合扱違願向補", "う"), **dict.fromkeys("持待立保打育", "つ"),
                **dict.fromkeys("取作送守残入帰限知配図通困減乗登渡移戻走切張貼刷絞降回", "る"),
                **dict.fromkeys("読住進済込含望休頼産組", "む"), **dict.fromkeys("選呼運学結並遊喜飛", "ぶ"),
                "死": "ぬ"}
# kanji of godan ぐ verbs (急がない); elsewhere が before ない is the particle (問題がない)
_GU_VERBS = set("急泳防稼注仰繋継騒脱剥嗅研漕")
# kana before った that make a る verb: あった, なった, 終わった, 集まった, わかった
_PAST_RU_KANA = set("あなわまがらか")


@dataclass(frozen=True)
class Verb:
    """A verb split into what never changes (``base``) and how it conjugates.

    ``kind`` is godan / ichidan / suru / kuru; for godan, ``ending`` is the う-row kana;
    for kuru, ``ending`` is 来 (written in kanji) or く (in kana).
    """

    base: str
    kind: str
    ending: str = ""

    def _row(self, index: int) -> str:
        """The godan ending moved to another row: 0 あ, 1 い, 3 え, 4 お (書く → か, き, け, こ)."""
        return _ROWS[self.ending][index]

    def _kuru(self, kanji: str, kana: str) -> str:
        """くる conjugates by changing its vowel; in kanji only the okurigana changes (来る, 来ます)."""
        return self.base + ("来" + kanji if self.ending == "来" else kana)

    @property
    def dictionary(self) -> str:
        match self.kind:
            case "godan":
                return self.base + self.ending
            case "ichidan":
                return self.base + "る"
            case "suru":
                return self.base + "する"
        return self._kuru("る", "くる")

    @property
    def masu_stem(self) -> str:
        match self.kind:
            case "godan":
                return self.base + self._row(1)
            case "ichidan":
                return self.base
            case "suru":
                return self.base + "し"
        return self._kuru("", "き")

    @property
    def negative(self) -> str:
        match self.kind:
            case "godan" if self.ending == "る" and self.base.endswith(("あ", "有")):
                return self.base[:-1] + "ない"  # ある → ない
            case "godan":
                return self.base + self._row(0) + "ない"
            case "ichidan":
                return self.base + "ない"
            case "suru":
                return self.base + "しない"
        return self._kuru("ない", "こない")

    @property
    def te(self) -> str:
        match self.kind:
            case "godan" if self.ending == "く" and self.base.endswith(("行", "い")):
                return self.base + "って"  # 行く → 行って, 〜ていく → 〜ていって
            case "godan":
                return self.base + _TE[self.ending]
            case "ichidan":
                return self.base + "て"
            case "suru":
                return self.base + "して"
        return self._kuru("て", "きて")

    @property
    def ta(self) -> str:
        te = self.te
        return te[:-1] + ("た" if te.endswith("て") else "だ")

    @property
    def volitional(self) -> str:
        match self.kind:
            case "godan":
                return self.base + self._row(4) + "う"
            case "ichidan":
                return self.base + "よう"
            case "suru":
                return self.base + "しよう"
        return self._kuru("よう", "こよう")

    @property
    def potential(self) -> Verb:
        """出せる, 逃げられる, 提出できる: an ichidan verb."""
        match self.kind:
            case "godan":
                return Verb(self.base + self._row(3), "ichidan")
            case "ichidan":
                return Verb(self.base + "られ", "ichidan")
            case "suru":
                return Verb(self.base + "でき", "ichidan")
        return Verb(self._kuru("られ", "こられ"), "ichidan")

    @property
    def passive(self) -> Verb:
        """出される, 書かれる, 提出される: an ichidan verb."""
        match self.kind:
            case "godan":
                return Verb(self.base + self._row(0) + "れ", "ichidan")
            case "ichidan":
                return Verb(self.base + "られ", "ichidan")
            case "suru":
                return Verb(self.base + "され", "ichidan")
        return Verb(self._kuru("られ", "こられ"), "ichidan")

    def basic_forms(self) -> dict[str, str]:
        stem = self.masu_stem
        return {"dict": self.dictionary, "te": self.te, "ta": self.ta, "nai": self.negative,
                "masu": stem + "ます", "mashita": stem + "ました", "masen": stem + "ません"}

    def forms(self) -> dict[str, str]:
        """The forms a notice uses, by name, so two verbs can be matched form for form."""
        stem = self.masu_stem
        found = {**self.basic_forms(), "nakatta": self.negative[:-1] + "かった",
                 "nakereba": self.negative[:-1] + "ければ", "vol": self.volitional, "tai": stem + "たい",
                 "renyou": stem + "、", "masendeshita": stem + "ませんでした", "mashou": stem + "ましょう"}
        for prefix, derived in (("pot_", self.potential), ("pas_", self.passive)):
            found.update({prefix + name: form for name, form in derived.basic_forms().items()})
        return found


def verb_from_dictionary(word: str, kind: str | None = None) -> Verb | None:
    """A verb from its dictionary form; ``kind`` overrides the guess (needed for some る verbs)."""
    if word.endswith("する") and kind in (None, "suru"):
        return Verb(word[:-2], "suru")
    if word.endswith("来る"):
        return Verb(word[:-2], "kuru", "来")
    if word.endswith("くる") and (kind == "kuru" or word[:-2].endswith(("て", "で"))):
        return Verb(word[:-2], "kuru", "く")
    if len(word) < 2 or word[-1] not in _ROWS:
        return None
    if kind == "ichidan":
        return Verb(word[:-1], "ichidan")
    if kind == "godan" or word[-1] != "る":
        return Verb(word[:-1], "godan", word[-1])
    # a る verb: ichidan after an え/い-row kana (受ける, できる) or a one-kanji ichidan verb (見る);
    # godan otherwise (なる, 終わる, 帰る, 取る)
    before = word[-2]
    one_kanji_ichidan = before in _ICHIDAN_KANJI and not _is_kanji(word[-3:-2])
    if one_kanji_ichidan or (not _is_kanji(before) and (before in _E_ROW or before in _I_ROW_ALL)):
        return Verb(word[:-1], "ichidan")
    return Verb(word[:-1], "godan", "る")


def _is_suru_noun(text: str) -> bool:
    """Whether ``text`` + し is a する verb (提出し, お願いし, サインし) rather than godan す (話し)."""
    if not text or not _is_kanji(text[-1]):
        return True
    return _trailing_kanji(text) >= 2 or text[-1] in _SURU_SINGLE


def verb_from_masu_stem(stem: str) -> Verb | None:
    """The verb whose ます-stem ends ``stem`` (everything before ます), or None when unsure."""
    if not stem:
        return None
    if stem.endswith(("いたし", "致し")):
        return Verb(stem[:-3], "suru")  # いたします → する
    if stem.endswith("おり"):
        return Verb(stem[:-2] + "い", "ichidan")  # おります → いる
    last, before = stem[-1], stem[:-1]
    if last == "し":
        return Verb(before, "suru") if _is_suru_noun(before) else Verb(before, "godan", "す")
    if last == "来":
        return Verb(before, "kuru", "来")
    if last == "き" and before.endswith(("て", "んで", "いで")):
        return Verb(before, "kuru", "く")  # 〜てきます, 読んできます (but 提出できます is できる)
    if _is_kanji(last):
        return Verb(stem, "ichidan") if last in _ICHIDAN_KANJI else None
    if last == "い" and (not before or before[-1] in _BEFORE_IRU):
        return Verb(stem, "ichidan")  # いる
    if stem.endswith(_ICHIDAN_I_STEMS) or last == "じ" or last in _E_ROW:
        return Verb(stem, "ichidan")
    if last in _I_ROW and before:
        return Verb(before, "godan", _I_ROW[last])
    return None


def _verb_from_negative(text: str) -> Verb | None:
    """The verb of a 〜ない form (しない, 行わない, できない), or None for adjectives and nouns."""
    stem = text[:-2]
    if len(stem) < 1:
        return None
    last = stem[-1]
    if stem.endswith("し") and _is_suru_noun(stem[:-1]):
        return Verb(stem[:-1], "suru")
    if last == "来" or stem.endswith(("てこ", "でこ")):
        return Verb(stem[:-1], "kuru", "来" if last == "来" else "く")
    if last in _A_ROW and len(stem) >= 2:
        # わ・さ・ら・ま・ば come only from verbs (行わない, わからない); か・た・な also end nouns and
        # adverbs (しかたない), so one kanji must come first (書かない); が is usually the particle
        if last in "わさらまば" or (last == "が" and stem[-2] in _GU_VERBS) or (
                last in "かたな" and _is_kanji(stem[-2]) and _trailing_kanji(stem[:-1]) == 1):
            return Verb(stem[:-1], "godan", _A_ROW[last])
        return None
    if last in _E_ROW or last in _I_ROW_ALL:
        return Verb(stem, "ichidan")
    return None


def _verb_from_past(text: str) -> Verb | None:
    """The verb of a past form in た/だ, or None when the ending is ambiguous (行った)."""
    if text.endswith("した") and len(text) > 2:
        before = text[:-2]
        return Verb(before, "suru") if _is_suru_noun(before) else Verb(before, "godan", "す")
    if text.endswith("いた"):
        before = text[:-2]
        if not before or before[-1] in _BEFORE_IRU:
            return Verb(text[:-1], "ichidan")
        if before.endswith(("用", "報", "率", "強", "老")):
            return Verb(text[:-1], "ichidan")
        return Verb(before, "godan", "く") if _is_kanji(before[-1]) else None
    if text.endswith("いだ") and len(text) > 2 and _is_kanji(text[-3]):
        return Verb(text[:-2], "godan", "ぐ")
    if text.endswith(("った", "んだ")) and len(text) > 2:
        before = text[:-2]
        key = before[-1]
        if text.endswith("った") and key in _PAST_RU_KANA and not _is_kanji(key):
            return Verb(before, "godan", "る")
        ending = _PAST_ENDING.get(key)
        if ending and (ending in "うつる") == text.endswith("った"):
            return Verb(before, "godan", ending)
        return None
    if text.endswith("た") and len(text) > 1:
        last = text[-2]
        if last in _E_ROW or last in _I_ROW_ALL:
            return Verb(text[:-1], "ichidan")
        if last == "来":
            return Verb(text[:-2], "kuru", "来")
        if last in _ICHIDAN_KANJI and not _is_kanji(text[-3:-2]):
            return Verb(text[:-1], "ichidan")
    return None


def _verb_from_volitional(text: str) -> Verb | None:
    if text.endswith("しよう"):
        return Verb(text[:-3], "suru")
    if text.endswith("よう") and len(text) > 2 and (text[-3] in _E_ROW or text[-3] in _I_ROW_ALL):
        return Verb(text[:-2], "ichidan")
    if text.endswith("う") and len(text) > 2 and text[-2] in _O_ROW and text[-2] != "よ":
        return Verb(text[:-2], "godan", _O_ROW[text[-2]])
    return None


# ---------------------------------------------------------------- adjectives

_I_ADJECTIVES = (
    "多い", "少ない", "高い", "低い", "安い", "早い", "速い", "遅い", "大きい", "小さい", "古い", "近い", "遠い",
    "広い", "狭い", "長い", "短い", "良い", "よい", "いい", "悪い", "強い", "弱い", "重い", "軽い", "危ない",
    "明るい", "暗い", "深い", "浅い", "太い", "細い", "若い", "痛い", "怖い", "暑い", "寒い", "熱い", "冷たい",
    "面白い", "おもしろい", "ひどい", "すごい", "うまい", "まずい", "幼い", "固い", "硬い", "堅い",
    "辛い", "甘い", "緩い", "ゆるい", "鋭い", "鈍い", "薄い", "厚い", "濃い", "丸い", "青い", "赤い", "白い",
    "黒い", "黄色い", "温かい", "暖かい", "柔らかい", "細かい", "やわらかい", "あたたかい", "易い", "づらい",
    "にくい", "やすい", "っぽい", "らしい", "しい", "たい",
)
# words in い that take である/です like nouns
_NOUNS_IN_I = ("きれい", "綺麗", "嫌い", "お願い", "違い", "扱い", "払い", "伺い", "向かい", "幸い", "次第")


def _is_i_adjective(text: str) -> bool:
    """Whether ``text`` ends with an い-adjective (not a noun such as お願い, or きれい)."""
    return not text.endswith(_NOUNS_IN_I) and text.endswith(_I_ADJECTIVES)


# ---------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[str]:
    """Sentences, each with its 。！？; quotes and brackets are never split; line breaks end a sentence."""
    found: list[str] = []
    for line in text.splitlines():
        depth, start = 0, 0
        for index, char in enumerate(line):
            if char in _OPENERS:
                depth += 1
            elif char in _CLOSERS:
                depth = max(depth - 1, 0)
            elif char in _ENDS and depth == 0 and not (index + 1 < len(line) and line[index + 1] in _ENDS):
                found.append(line[start:index + 1])
                start = index + 1
        found.append(line[start:])
    return [sentence.strip() for sentence in found if sentence.strip()]


def _top_level(text: str) -> list[bool]:
    """For each character, whether it is outside any quote or bracket."""
    flags, depth = [], 0
    for char in text:
        if char in _OPENERS:
            depth += 1
        flags.append(depth == 0)
        if char in _CLOSERS:
            depth = max(depth - 1, 0)
    return flags


def _split_end(sentence: str) -> tuple[str, str]:
    """(body, end): the end is the final 。！？ and spaces, plus a question か kept aside."""
    body = sentence.rstrip(_ENDS + " 　")
    return body, sentence[len(body):]


def tidy_spaces(text: str) -> str:
    """Collapse runs of spaces and drop the spaces between Japanese characters (内容は変えない)."""
    text = re.sub(r"[ \t\u3000]+", " ", text)
    japanese = r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
    text = re.sub(rf"(?<={japanese}) (?={japanese})", "", text)
    return "\n".join(line.strip() for line in text.splitlines())


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
        if _is_i_adjective(stem) or stem.endswith("ない"):
            return stem  # 多いです → 多い, 必要はないです → 必要はない
        if stem.endswith(("の", "ん")):
            return stem[:-1] + "のである"
        if not stem or (stem.endswith("い") and not stem.endswith(_NOUNS_IN_I)):
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
    if core.endswith("して") and _is_suru_noun(core[:-2]):
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
            verb = _verb_from_past(body)
            return verb.masu_stem + "ました" if verb else None
        return body[:-1] + "です"
    if body.endswith("なかった"):
        verb = _verb_from_negative(body[:-3] + "い")
        if verb:
            return verb.masu_stem + "ませんでした"
        return body + "です" if _is_i_adjective(body[:-3] + "い") else body[:-4] + "ありませんでした"
    if body.endswith("ない"):
        verb = _verb_from_negative(body)
        if verb:
            return verb.masu_stem + "ません"
        return body + "です" if _is_i_adjective(body) else body[:-2] + "ありません"
    if body.endswith("かった") and _is_i_adjective(body[:-3] + "い"):
        return body + "です"
    if body.endswith(("た", "だ")):
        verb = _verb_from_past(body)
        return verb.masu_stem + "ました" if verb else None
    if body.endswith("い"):
        return body + "です" if _is_i_adjective(body) else body
    if body.endswith("う") and (verb := _verb_from_volitional(body)):
        return verb.masu_stem + "ましょう"
    if body[-1] in _ROWS and len(body) >= 2 and not body.endswith(("よう",)):
        verb = verb_from_dictionary(body)
        return verb.masu_stem + "ます" if verb else None
    return body


def _polite_request(body: str) -> str:
    """〇〇すること → 〇〇してください, 〜しないこと → 〜しないでください, 守ること → 守ってください."""
    core = body[:-2]
    if core.endswith("ない"):
        return core + "でください"
    verb = verb_from_dictionary(core) if core and core[-1] in _ROWS else None
    return verb.te + "ください" if verb else body


# ---------------------------------------------------------------- style: whole texts

_CLAUSE_LINKS = re.compile(r"(?:けれども|けれど|ので|から|が)、")


@dataclass
class StyleResult:
    text: str
    unchanged: list[str] = field(default_factory=list)  # sentences whose ending no rule understood


def _convert_clauses(body: str, convert: Callable[[str], str | None], polite: bool) -> str:
    """Convert the predicates before が、/ので、/から、/けれども、 that stand outside quotes."""
    top = _top_level(body)
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
            body, end = _split_end(sentence)
            body = _convert_clauses(body, convert, polite)
            new_body = convert(body)
            if new_body is None:
                result.unchanged.append(sentence)
                new_body = body
            converted.append(new_body + end)
        indent = line[:len(line) - len(line.lstrip())]
        lines.append(indent + "".join(converted))
    result.text = "\n".join(lines).strip("\n")
    return result


# ---------------------------------------------------------------- やさしい日本語: glossary

# a glossary word is not matched right after a kanji (再提出, 指定避難所), except after these adverbs
_ADVERBS_BEFORE = ("大変", "再度", "一層", "随時", "至急", "直接", "必ず", "早急")
_KANJI_BEFORE = "(?:(?<![\u3400-\u9fff\uf900-\ufaff々〆ヶ])|" + "|".join(f"(?<={a})" for a in _ADVERBS_BEFORE) + ")"
_KANJI_AFTER = r"(?![\u3400-\u9fff\uf900-\ufaff々〆ヶ])"


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


def _data_text(name: str) -> str:
    return resources.files("kenshu.engine").joinpath("data", name).read_text(encoding="utf-8")


@functools.cache
def plain_glossary() -> PlainGlossary:
    """The やさしい日本語 glossary, compiled once per process into one longest-first pattern."""
    data = tomllib.loads(_data_text("plain_japanese.toml"))
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
        if _is_kanji(word[0]):
            piece = _KANJI_BEFORE + piece
        if entries[word].note:
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


# ---------------------------------------------------------------- やさしい日本語: short sentences

# (pattern, what the left clause gets, how the next sentence starts)
_BOUNDARIES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"(?:けれども|けれど|が)、"), "", "でも、"),
    (re.compile(r"(?:ので|から)、"), "", "ですから、"),
    (re.compile(r"ため、"), "", "そのため、"),
    (re.compile(r"(?<=[てで])おり、"), "いる", ""),
    (re.compile(r"(?<=[でが])あり、"), "ある", ""),
    # 〜書いてから、出してください → 〜書いてください。それから、出してください (requests only)
    (re.compile(r"(?<=[てで])から、"), "ください", "それから、"),
)
# a が、 after these opens a polite request; splitting there would read oddly
_PREFACES = ("おかけします", "恐れ入ります", "お手数です", "恐縮です", "申し訳ありません", "失礼します",
             "存じます", "残念です")
_CLAUSE_ENDS = ("ます", "ました", "ません", "です", "でした", "でしょう", "ください")
_PLAIN_ENDS = ("る", "た", "だ", "ない", "う")
PLAIN_SENTENCE_LENGTH = 40
_MIN_PIECE = 8


@dataclass(frozen=True)
class _Cut:
    left: str  # the first sentence, ended with 。
    right: str  # the rest, starting with its connector


def _cuts(sentence: str, polite: bool = True) -> Iterator[_Cut]:
    """Every clause boundary where ``sentence`` can become two whole sentences."""
    body, end = _split_end(sentence)
    top = _top_level(body)
    for pattern, suffix, connector in _BOUNDARIES:
        for match in pattern.finditer(body):
            if not top[match.start()]:
                continue
            if suffix == "ください" and not (polite and body.endswith("ください")):
                continue
            left = body[:match.start()] + suffix
            if connector == "ですから、" and left.endswith("な"):
                left = left[:-1] + "だ"  # 必要なので → 必要だ → 必要です
            converted = polite_ending(left) if polite else left
            if not converted or not converted.endswith(_CLAUSE_ENDS if polite else _CLAUSE_ENDS + _PLAIN_ENDS):
                continue  # not a whole clause (9時から、 / 本市が、)
            if connector == "でも、" and converted.endswith(_PREFACES):
                continue
            rest = body[match.end():] + (end or "。")
            yield _Cut(converted + "。", (connector if polite else "") + rest)


def split_long(sentence: str, limit: int = PLAIN_SENTENCE_LENGTH) -> list[str]:
    """Split a long sentence at the clause boundary nearest its middle, again until each part fits."""
    if len(sentence) <= limit:
        return [sentence]
    middle = len(sentence) / 2
    candidates = [cut for cut in _cuts(sentence)
                  if len(cut.left) >= _MIN_PIECE and len(cut.right) >= _MIN_PIECE]
    if not candidates:
        return [sentence]
    best = min(candidates, key=lambda cut: abs(len(cut.left) - middle))
    return split_long(best.left, limit) + split_long(best.right, limit)


@dataclass
class PlainResult:
    text: str
    replaced: list[str]
    unchanged: list[str]


def plain_japanese(text: str, sentence_limit: int = PLAIN_SENTENCE_LENGTH) -> PlainResult:
    """やさしい日本語: glossary words, です・ます endings, short sentences, one per line."""
    replaced: list[str] = []
    explained: set[str] = set()
    unchanged: list[str] = []
    lines: list[str] = []
    for sentence in split_sentences(tidy_spaces(text)):
        simple = simplify_words(sentence, replaced, explained)
        body, end = _split_end(simple)
        polite = polite_ending(_convert_clauses(body, polite_ending, True))
        if polite is None:
            unchanged.append(sentence)
            polite = body
        lines.extend(split_long(polite + end, sentence_limit))
    return PlainResult("\n".join(lines), replaced, unchanged)


# ---------------------------------------------------------------- length limit


def _is_polite_text(text: str) -> bool:
    polite = len(re.findall(r"(?:ます|です|ました|でした|ません)[。！？]", text))
    plain = len(re.findall(r"(?:である|だ|る|た|ない)[。！？]", text))
    return polite >= plain


def clip_sentence(sentence: str, limit: int, polite: bool) -> str:
    """Cut one sentence to ``limit`` characters at a clause boundary, ending it with 。."""
    fitting = [cut.left for cut in _cuts(sentence, polite) if len(cut.left) <= limit]
    if fitting:
        return max(fitting, key=len)
    body, _ = _split_end(sentence)
    top = _top_level(body)
    commas = [i for i, char in enumerate(body) if char in "、，" and top[i] and i + 1 <= limit]
    if commas:
        return body[:commas[-1]] + "。"
    cut = max(limit - 1, 1)
    while cut > 1 and body[cut - 1:cut + 1].isdigit():
        cut -= 1  # never split a number
    return body[:cut] + "。"


def fit_length(sentences: list[str], limit: int) -> list[str]:
    """Keep whole sentences, in order, while they fit in ``limit`` characters (line breaks not counted).

    When even the first sentence is too long, it is cut at a clause boundary instead.
    """
    kept: list[str] = []
    used = 0
    for sentence in sentences:
        if used + len(sentence) > limit:
            break
        kept.append(sentence)
        used += len(sentence)
    if kept or not sentences:
        return kept
    return [clip_sentence(sentences[0], limit, _is_polite_text("".join(sentences)))]


# ---------------------------------------------------------------- reading the request

_PLAIN_WORDS = ("やさしい日本語", "易しい日本語", "優しい日本語", "やさしく", "易しく", "平易", "わかりやすく",
                "分かりやすく", "わかりやすい言葉", "分かりやすい言葉", "簡単な言葉", "かんたんな言葉",
                "子どもにもわかる", "外国人にもわかる")
_PLAIN_STYLE = re.compile(r"である調|である体|だ・である|だである|常体")
_POLITE_STYLE = re.compile(r"です・?ます|ですます|敬体|丁寧語|丁寧な(?:文|表現|言葉)|丁寧に")
_SENTENCE_LIMIT = re.compile(r"(?:一文|1文|１文|各文|文は|文を|一つの文|1つの文)[^。\n]{0,8}?"
                             r"(\d+|[０-９]+)\s*(?:字|文字)")


@dataclass(frozen=True)
class Request:
    plain_japanese: bool = False
    style: str | None = None  # "polite" or "plain" (である調)
    limit: int | None = None
    sentence_limit: int = PLAIN_SENTENCE_LENGTH

    @property
    def recognised(self) -> bool:
        return self.plain_japanese or self.style is not None or self.limit is not None


def _target_style(request: str) -> str | None:
    """である or です・ます: the one asked for (「です・ます調をである調に」 asks for である)."""
    found = [(m.start(), m.end(), "plain") for m in _PLAIN_STYLE.finditer(request)]
    found += [(m.start(), m.end(), "polite") for m in _POLITE_STYLE.finditer(request)]
    if not found:
        return None
    targets = [kind for start, end, kind in sorted(found)
               if not re.match(r"調?(?:を|から|の文(?:章)?を)", request[end:end + 6])]
    kinds = targets or [kind for _, _, kind in sorted(found)]
    return kinds[-1]


def read_request(prompt: Prompt) -> Request:
    request = prompt.request
    sentence_limit = _SENTENCE_LIMIT.search(request)
    per_sentence = int(sentence_limit.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))) \
        if sentence_limit else None
    limit = prompt.char_limit
    if per_sentence is not None and limit == per_sentence:
        limit = None  # 「一文を30字以内に」 limits each sentence, not the whole text
    plain = prompt.asks(*_PLAIN_WORDS)
    return Request(plain_japanese=plain, style=_target_style(request), limit=limit,
                   sentence_limit=per_sentence or PLAIN_SENTENCE_LENGTH)


_QUOTED = re.compile(r"「([^「」]{10,})」")
_AFTER_COLON = re.compile(r"[:：]\s*(.+)$", re.S)


_REWRITE_WORDS = re.compile("|".join(_PLAIN_WORDS) + r"|書き換|書き直|言い換|直して|字以内|文字以内|調に|調で|体に")


def source_text(prompt: Prompt) -> str:
    """The text to rewrite: the material, else a quotation, text after a colon, or lines after the first.

    When the system message holds the request and the user message does not, the user message is the text.
    """
    if prompt.material.strip():
        return prompt.material.strip()
    instruction = prompt.instruction
    if prompt.system.strip() and not _REWRITE_WORDS.search(instruction):
        return instruction.strip()
    quotes: list[str] = [q for q in _QUOTED.findall(instruction)
                         if not _PLAIN_STYLE.search(q) and not _POLITE_STYLE.search(q)]
    if quotes:
        return max(quotes, key=len)
    colon = _AFTER_COLON.search(instruction)
    if colon and len(colon.group(1).strip()) >= 10:
        return colon.group(1).strip()
    lines = instruction.strip().splitlines()
    return "\n".join(lines[1:]).strip() if len(lines) > 1 else ""


# ---------------------------------------------------------------- the task

NO_TEXT = ("書き換える文章が見当たりません。「次の文章を、やさしい日本語に書き換えてください。」と書いた後に、"
           "改行して文章を貼り付けてください。")
NOT_UNDERSTOOD = (f"{HEADER}書き換えの指示（やさしい日本語、です・ます調、である調、「200字以内」などの字数）を"
                  "読み取れなかったため、文章を1文ずつの行に整えただけです。内容は変えていません。")


def _unchanged_note(unchanged: list[str]) -> str:
    example = unchanged[0] if len(unchanged[0]) <= 30 else unchanged[0][:30] + "…"
    return (f"※ 文末を規則で判断できなかった {len(unchanged)} 文は、元のままにしています"
            f"（例: 「{example}」）。")


def rewrite(text: str, request: Request) -> str:
    """Apply the recognised rewrites in order: やさしい日本語, style, then the length limit."""
    notes: list[str] = []
    if request.plain_japanese:
        plain = plain_japanese(text, request.sentence_limit)
        body, unchanged = plain.text, plain.unchanged
        if request.style == "plain":
            styled = convert_style(body, polite=False)
            body, unchanged = styled.text, unchanged + styled.unchanged
        lines_joined = True
    elif request.style is not None:
        styled = convert_style(tidy_spaces(text), polite=request.style == "polite")
        body, unchanged = styled.text, styled.unchanged
        lines_joined = False
    else:
        body, unchanged, lines_joined = tidy_spaces(text), [], False
    if request.limit is not None:
        return ("\n" if lines_joined else "").join(fit_length(split_sentences(body), request.limit))
    if unchanged:
        notes.append(_unchanged_note(unchanged))
    return "\n".join([body, *(["", *notes] if notes else [])])


def run(prompt: Prompt) -> str:
    text = source_text(prompt)
    if not text:
        return NO_TEXT
    request = read_request(prompt)
    if not request.recognised:
        return NOT_UNDERSTOOD + "\n\n" + "\n".join(split_sentences(tidy_spaces(text)))
    return rewrite(text, request)
