"""氏名: personal names in context, read with the Sudachi morphological analyser.

Only short windows around cues are analysed (an honorific or title after a name,
a label such as 氏名: before it), which keeps detection fast on long texts.
A name the dictionary tags as 人名 counts; so does a katakana name before a cue.
"""

from __future__ import annotations

import re
from functools import cache

from sudachipy import Dictionary, SplitMode, Tokenizer

from kenshu.safety.spans import Span

HONORIFICS = ("様", "さま", "さん", "氏", "殿", "君", "くん", "ちゃん", "先生")
TITLES = ("課長補佐", "課長", "係長", "部長", "主任", "主査", "主事", "補佐", "室長", "所長", "局長", "次長", "参事",
          "副市長", "市長", "町長", "村長", "議員", "委員長", "委員", "会長", "理事", "技師", "保健師", "相談員")
_AFTER_CUE = re.compile("(?=" + "|".join(map(re.escape, HONORIFICS + TITLES)) + ")")
_LABEL = re.compile(r"(?:氏名|お名前|名前|申請者|届出人|相談者|申出人|世帯主|担当者?|記入者|作成者|差出人|代理人|本人|保護者|"
                    r"報告者|回答者|依頼者|連絡者|署名)\s*(?:[（(][^）)]{0,6}[)）])?\s*[:：]\s*")
_KATAKANA_NAME = re.compile(r"[ァ-ヶー]{2,8}(?:[ 　・][ァ-ヶー]{2,8})?$")
_KATAKANA_FULL_NAME = re.compile(r"[ァ-ヶー]{2,8}[ 　・][ァ-ヶー]{2,8}$")
_WINDOW = 12
_NOT_NAMES = frozenset({"皆", "各位", "お客", "担当", "職員", "市民", "住民", "利用者", "申請者", "事業者", "関係者", "当"})


@cache
def _tokenizer() -> Tokenizer:
    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def _is_name_token(pos: tuple[str, ...]) -> bool:
    return pos[1] == "固有名詞" and pos[2] == "人名"


def _name_before(window: str, honorific: bool) -> tuple[int, int] | None:
    """The name that ends a window of text (the cue follows it): its start and end in the window.

    A katakana word the dictionary does not know counts as a name before an honorific
    (ジョンソンさん), but before a title only when written as two parts (ヤマダ・ハナコ課長).
    """
    stripped = window.rstrip(" 　")
    tokens = list(_tokenizer().tokenize(stripped))
    end = len(stripped)
    start = end
    found_person = False
    for token in reversed(tokens):
        pos = token.part_of_speech()
        surface = token.surface()
        if _is_name_token(pos):
            start = token.begin()
            found_person = True
        elif surface.strip(" 　・") == "" and found_person:
            continue  # the space or dot between family and given name
        else:
            break
    if found_person:
        return start, end
    katakana = (_KATAKANA_NAME if honorific else _KATAKANA_FULL_NAME).search(stripped)
    if katakana and len(katakana.group(0)) >= 3:
        return katakana.start(), end
    return None


def _name_after(window: str) -> tuple[int, int] | None:
    tokens = list(_tokenizer().tokenize(window))
    start = end = None
    for token in tokens:
        pos = token.part_of_speech()
        if _is_name_token(pos) or (start is not None and token.surface().strip() == "" and end == token.begin()):
            start = token.begin() if start is None else start
            end = token.end() if _is_name_token(pos) else end
        elif start is not None:
            break
        elif token.begin() > 0:
            break
    if start is None:
        match = re.match(r"[一-龥々]{1,4}[ 　][一-龥々]{1,4}|[ァ-ヶー]{2,8}[ 　・][ァ-ヶー]{2,8}", window)
        return (match.start(), match.end()) if match else None
    return start, end


def find(text: str, folded: str) -> list[Span]:
    spans: dict[tuple[int, int], Span] = {}

    def add(start: int, end: int) -> None:
        value = text[start:end]
        if value.strip() and value.strip() not in _NOT_NAMES:
            spans[(start, end)] = Span(start, end, "person_name", value)

    for match in _AFTER_CUE.finditer(text):
        window = text[max(0, match.start() - _WINDOW):match.start()].split("\n")[-1]
        offset = match.start() - len(window)
        found = _name_before(window, honorific=text.startswith(HONORIFICS, match.start()))
        if found:
            add(offset + found[0], offset + found[1])
    for match in _LABEL.finditer(text):
        window = text[match.end():match.end() + 16].split("\n")[0]
        found = _name_after(window)
        if found:
            add(match.end() + found[0], match.end() + found[1])
    return sorted(spans.values())
