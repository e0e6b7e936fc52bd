"""The two views of a text the search ranks on: Sudachi content words and character bigrams.

Words: NFKC, then Sudachi's short (A) and long (C) units, each as its ``normalized_form`` (振込 and
振り込み match), without particles, auxiliaries, symbols and dependent verbs. Bigrams: every two
characters of the text without spaces and punctuation, which catch what the dictionary splits oddly.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache

from sudachipy import Dictionary, SplitMode

_SKIPPED = {"助詞", "助動詞", "補助記号", "記号", "空白"}
_PUNCTUATION = re.compile(r"[\s、。，．・「」『』（）()［］\[\]【】:：!?！？,.\-―ー〜~]")
# the question's own words that say nothing about its topic
GENERIC_NOUNS = frozenset({"お金", "違い", "いくら", "何", "自分", "タイミング", "場合", "方法", "やり方", "書き方",
                           "注意点", "今年度", "来年度", "前", "後", "今週", "毎回", "いつも", "代わり", "そもそも",
                           "何日", "何曜", "何回", "用意", "こと", "もの", "とき", "時", "ため", "ところ"})
_local = threading.local()


@cache
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def _tokenizer():
    if not hasattr(_local, "tokenizer"):  # a Sudachi tokenizer is not shared between threads
        _local.tokenizer = _dictionary().tokenizer()
    return _local.tokenizer


def content_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    found = []
    for mode in (SplitMode.A, SplitMode.C):
        for morpheme in _tokenizer().tokenize(text, mode):
            pos = morpheme.part_of_speech()
            if pos[0] in _SKIPPED or (pos[0] in ("動詞", "形容詞") and pos[1] == "非自立可能"):
                continue
            found.append(morpheme.normalized_form())
    return found


def topic_nouns(text: str) -> list[tuple[str, str]]:
    """(surface, normalised form) of the common and proper nouns (short units), the generic ones left out."""
    text = unicodedata.normalize("NFKC", text)
    return [(m.surface(), m.normalized_form()) for m in _tokenizer().tokenize(text, SplitMode.A)
            if m.part_of_speech()[0] == "名詞" and m.part_of_speech()[1] in ("普通名詞", "固有名詞")
            and m.surface() not in GENERIC_NOUNS]


def bigrams(text: str) -> list[str]:
    plain = _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text))
    return [plain[i:i + 2] for i in range(len(plain) - 1)] or ([plain] if plain else [])
