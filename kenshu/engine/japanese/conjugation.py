"""Japanese verbs: recognise a verb from one of its forms and conjugate it (godan, ichidan, する, くる).

``Verb`` splits a verb into what never changes and how it conjugates; ``verb_from_*`` read a verb
from its dictionary, ます-stem, ない, た/だ or よう form, and return None when the form is ambiguous
(行った can be 行く or 行う).
"""

from __future__ import annotations

from dataclasses import dataclass

from kenshu.engine.japanese.characters import is_kanji, trailing_kanji

GODAN_ROWS = {  # godan verb ending → its あ・い・う・え・お row
    "う": "わいうえお", "く": "かきくけこ", "ぐ": "がぎぐげご", "す": "さしすせそ", "つ": "たちつてと",
    "ぬ": "なにぬねの", "ぶ": "ばびぶべぼ", "む": "まみむめも", "る": "らりるれろ",
}
_A_ROW = {row[0]: ending for ending, row in GODAN_ROWS.items()}
_I_ROW = {row[1]: ending for ending, row in GODAN_ROWS.items()}
_O_ROW = {row[4]: ending for ending, row in GODAN_ROWS.items()}
_E_ROW = set("えけげせぜてでねへべぺめれ")
_I_ROW_ALL = set(_I_ROW) | set("じ")
_TE = {"う": "って", "つ": "って", "る": "って", "く": "いて", "ぐ": "いで", "す": "して",
       "ぬ": "んで", "ぶ": "んで", "む": "んで"}


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
        return GODAN_ROWS[self.ending][index]

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
    if len(word) < 2 or word[-1] not in GODAN_ROWS:
        return None
    if kind == "ichidan":
        return Verb(word[:-1], "ichidan")
    if kind == "godan" or word[-1] != "る":
        return Verb(word[:-1], "godan", word[-1])
    # a る verb: ichidan after an え/い-row kana (受ける, できる) or a one-kanji ichidan verb (見る);
    # godan otherwise (なる, 終わる, 帰る, 取る)
    before = word[-2]
    one_kanji_ichidan = before in _ICHIDAN_KANJI and not is_kanji(word[-3:-2])
    if one_kanji_ichidan or (not is_kanji(before) and (before in _E_ROW or before in _I_ROW_ALL)):
        return Verb(word[:-1], "ichidan")
    return Verb(word[:-1], "godan", "る")


def is_suru_noun(text: str) -> bool:
    """Whether ``text`` + し is a する verb (提出し, お願いし, サインし) rather than godan す (話し)."""
    if not text or not is_kanji(text[-1]):
        return True
    return trailing_kanji(text) >= 2 or text[-1] in _SURU_SINGLE


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
        return Verb(before, "suru") if is_suru_noun(before) else Verb(before, "godan", "す")
    if last == "来":
        return Verb(before, "kuru", "来")
    if last == "き" and before.endswith(("て", "んで", "いで")):
        return Verb(before, "kuru", "く")  # 〜てきます, 読んできます (but 提出できます is できる)
    if is_kanji(last):
        return Verb(stem, "ichidan") if last in _ICHIDAN_KANJI else None
    if last == "い" and (not before or before[-1] in _BEFORE_IRU):
        return Verb(stem, "ichidan")  # いる
    if stem.endswith(_ICHIDAN_I_STEMS) or last == "じ" or last in _E_ROW:
        return Verb(stem, "ichidan")
    if last in _I_ROW and before:
        return Verb(before, "godan", _I_ROW[last])
    return None


def verb_from_negative(text: str) -> Verb | None:
    """The verb of a 〜ない form (しない, 行わない, できない), or None for adjectives and nouns."""
    stem = text[:-2]
    if len(stem) < 1:
        return None
    last = stem[-1]
    if stem.endswith("し") and is_suru_noun(stem[:-1]):
        return Verb(stem[:-1], "suru")
    if last == "来" or stem.endswith(("てこ", "でこ")):
        return Verb(stem[:-1], "kuru", "来" if last == "来" else "く")
    if last in _A_ROW and len(stem) >= 2:
        # わ・さ・ら・ま・ば come only from verbs (行わない, わからない); か・た・な also end nouns and
        # adverbs (しかたない), so one kanji must come first (書かない); が is usually the particle
        if last in "わさらまば" or (last == "が" and stem[-2] in _GU_VERBS) or (
                last in "かたな" and is_kanji(stem[-2]) and trailing_kanji(stem[:-1]) == 1):
            return Verb(stem[:-1], "godan", _A_ROW[last])
        return None
    if last in _E_ROW or last in _I_ROW_ALL:
        return Verb(stem, "ichidan")
    return None


def verb_from_past(text: str) -> Verb | None:
    """The verb of a past form in た/だ, or None when the ending is ambiguous (行った)."""
    if text.endswith("した") and len(text) > 2:
        before = text[:-2]
        return Verb(before, "suru") if is_suru_noun(before) else Verb(before, "godan", "す")
    if text.endswith("いた"):
        before = text[:-2]
        if not before or before[-1] in _BEFORE_IRU:
            return Verb(text[:-1], "ichidan")
        if before.endswith(("用", "報", "率", "強", "老")):
            return Verb(text[:-1], "ichidan")
        return Verb(before, "godan", "く") if is_kanji(before[-1]) else None
    if text.endswith("いだ") and len(text) > 2 and is_kanji(text[-3]):
        return Verb(text[:-2], "godan", "ぐ")
    if text.endswith(("った", "んだ")) and len(text) > 2:
        before = text[:-2]
        key = before[-1]
        if text.endswith("った") and key in _PAST_RU_KANA and not is_kanji(key):
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
        if last in _ICHIDAN_KANJI and not is_kanji(text[-3:-2]):
            return Verb(text[:-1], "ichidan")
    return None


def verb_from_volitional(text: str) -> Verb | None:
    if text.endswith("しよう"):
        return Verb(text[:-3], "suru")
    if text.endswith("よう") and len(text) > 2 and (text[-3] in _E_ROW or text[-3] in _I_ROW_ALL):
        return Verb(text[:-2], "ichidan")
    if text.endswith("う") and len(text) > 2 and text[-2] in _O_ROW and text[-2] != "よ":
        return Verb(text[:-2], "godan", _O_ROW[text[-2]])
    return None
