"""氏名: personal names in context, read with the Sudachi morphological analyser.

Only short windows around cues are analysed (an honorific or title after a name,
a label such as 氏名: before it), which keeps detection fast on long texts.
A name the dictionary tags as 人名 counts; so does a katakana name before a cue.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from sudachipy import Dictionary, SplitMode, Tokenizer

from kenshu.safety.spans import Span

K = "\u4e00-\u9fff々〆\U00020000-\U0002fa1f"  # kanji, including 𠮷 and other rarer forms

HONORIFICS = ("様", "さま", "さん", "氏", "殿", "君", "くん", "ちゃん", "先生")
TITLES = ("課長補佐", "課長", "係長", "部長", "主任", "主査", "主事", "補佐", "室長", "所長", "局長", "次長", "参事",
          "議員", "委員長", "委員", "会長", "理事", "技師", "保健師", "相談員")
_AFTER_CUE = re.compile("(?=" + "|".join(map(re.escape, HONORIFICS + TITLES)) + ")")
_KATAKANA_NAME = re.compile(r"[ァ-ヶー]{2,8}(?:[ 　・][ァ-ヶー]{2,8})?$")
_KATAKANA_FULL_NAME = re.compile(r"[ァ-ヶー]{2,8}[ 　・][ァ-ヶー]{2,8}$")
_TIGHT_NAME_END = re.compile(rf"(?<![{K}])[{K}]{{2,4}}$")
_FULL_NAME_END = re.compile(rf"(?<![{K}])[{K}]{{1,4}}[ 　][{K}ぁ-ん]{{1,4}}$")

# a name written after a label (氏名：…, 起案者　総務課 …): an optional section and title, then the name
_NAME_SHAPE = (rf"(?!様|殿|各位|さん)(?P<name>[{K}]{{1,4}}[ 　](?:(?!様|殿)[{K}ぁ-ん]){{1,4}}(?![{K}ぁ-ん])"
               rf"|[ァ-ヶー]+(?:[ 　・][ァ-ヶー]{{2,}}){{1,2}}(?![{K}ァ-ヶー])|[ァ-ヶー]{{2,}}(?![{K}ァ-ヶー])"
               rf"|[{K}]{{2,5}}(?=$|[\n（(、,，）)<]|[ 　]*(?:[（(<]|様|さん|です|委員|まで|フリガナ|ふりがな|\n)))")
_SECTION = r"(?:[一-龥ァ-ヶー]{1,10}(?:課|係|部|室|局|センター|事務局)[ 　]+)*"
_ROLE = r"(?:(?:代表取締役|代表社員|代表者|理事長|相談員|主事|主査|主任|係長|課長|保健師|委員長|委員)[ 　]*)?"
_LABELLED = re.compile(
    r"(?<![一-龥ァ-ヶー])(?:(?:氏名|お名前|名前|申請者|届出人|相談者|申出人|世帯主|担当者|記入者|作成者|差出人|代理人|保護者|"
    r"報告者|回答者|依頼者|連絡者|署名|起案者|決裁者|代表者職氏名|代表者|受付者|対応者|来庁者|お客様|文責|フリガナ|ふりがな|"
    r"口座名義|受取人|宛名|異動者|対象児童)(?:[ 　]*[（(][^）)\n]{0,8}[)）])?[ 　]*[:：]?"
    r"|(?:受付|受|対応|担当|名義)[ 　]*[:：]|名義は)[ 　]*" + _SECTION + _ROLE + _NAME_SHAPE)
_LIST_LABEL = re.compile(r"^[ 　\d.．、)）]*(?:出席者|出席委員|欠席者|欠席委員|委員|参加者)(?:[ 　]*[:：][ 　]*|[ 　]+)([^\n]+)", re.M)
_LIST_ITEM = re.compile(r"^[ 　]*(?:" + _ROLE + rf")?(?P<name>[{K}]{{1,4}}[ 　]?[{K}ぁ-ん]{{1,4}}|[ァ-ヶー]{{2,}}(?:[ 　・][ァ-ヶー]{{2,}}){{0,2}})"
                        r"[ 　]*(?:[（(][^）)]*[)）])?[ 　]*$")
_TITLE_BEFORE = re.compile(r"(?:係長|課長|主事|主査|主任|保健師|委員長|所長|室長)[ 　]+" + _NAME_SHAPE)
_SPEAKER = re.compile(rf"^[○◯〇][ 　]*(?P<name>[{K}]{{1,4}}?(?:[ 　][{K}]{{1,4}})?)(?=副?(?:委員|会長|議長))", re.M)
_SELF_INTRODUCTION = re.compile(
    rf"(?:^|(?<=[\n。]))[ 　]*(?P<name>[{K}]{{1,4}}[ 　]?[{K}ぁ-ん]{{0,4}}|[ァ-ヶー]{{2,}}(?:[ 　・][ァ-ヶー]{{2,}}){{0,2}})です。"
    rf"|(?:課|係|(?<!号)室|部|センター)の(?P<staff>[{K}]{{1,4}}(?:[ 　][{K}ぁ-ん]{{1,4}})?)(?:です|が|まで|から)", re.M)
_EXTRA = re.compile(
    rf"担当の(?P<a>[{K}]{{1,4}})(?=まで|に|へ|が|です)"
    rf"|(?:^|\n)[ 　]*(?P<b>[{K}]{{1,4}}(?:[ 　][{K}ぁ-ん]{{1,4}})?)(?:[（(][^）)\n]{{0,10}}[)）])?が対応"
    rf"|[（(](?P<c>[ァ-ヶー]{{2,}}[ 　・][ァ-ヶー]{{2,}})[)）]"
    rf"|(?P<d>[{K}]{{1,4}}[ 　]?[{K}ぁ-ん]{{1,4}})[（(][^）)\n]{{4,16}}生[)）]"
    rf"|(?:母|父|妻|夫|長男|長女|次男|次女|祖母|祖父|息子|娘)[（(](?P<e>[{K}]{{1,4}}[ 　]?[{K}ぁ-ん]{{1,4}})[、,]"
    rf"|(?:した|いる|ます)(?P<f>[{K}]{{1,4}}(?:[ 　][{K}ぁ-ん]{{1,4}})?)(?:です。|と申します)", re.M)
# shapes seen in texts written apart from the kit (issue 17): a full name written with a space between its parts
_GIVEN = rf"[{K}ァ-ヶー]{{1,4}}"
_FULL_BODY = rf"[{K}]{{1,4}}[ 　]{_GIVEN}"
_FULL = rf"(?<![{K}ァ-ヶー]){_FULL_BODY}"
_KANA_FULL = r"(?<![ァ-ヶー])[ァ-ヶー]{2,8}[ 　][ァ-ヶー]{2,8}(?![ァ-ヶー])"
_HIRA_FULL = r"[ぁ-ん]{2,6}[ 　][ぁ-ん]{2,6}"
_RELATIONS = "長男|長女|次男|次女|三男|三女|妻|夫|父|母|祖父|祖母|孫|本人|世帯主|義母|義父|兄|弟|姉|妹"
# strong contexts: the shape alone says "a person" (quotes after a form field, an age or relation in brackets, 故)
_STRONG = re.compile(
    rf"(?:欄|名義|宛名|署名|氏名|名前)[^「\n]{{0,6}}「(?P<a>{_FULL}|{_KANA_FULL}|{_HIRA_FULL}|[{K}]{{1,4}}[ 　][ぁ-ん]{{1,4}})」"
    rf"|「(?P<b>{_FULL}|{_KANA_FULL})」(?=[ 　]*(?:名義|様|さん|殿))"
    rf"|(?P<c>{_FULL}|[{K}]{{1,4}}[ 　][ぁ-ん]{{1,4}})[（(](?:\d{{1,3}}歳?|{_RELATIONS})[）)、,]"
    rf"|名義人?(?:[ 　]*[:：][ 　]*|[ 　]+)(?P<d>{_KANA_FULL}|{_FULL})"
    rf"|(?:フリガナ|ふりがな)[^「\n:：]{{0,4}}[:：]?[ 　]*「?(?P<e>{_KANA_FULL}|{_HIRA_FULL})"
    rf"|(?<![{K}])故(?P<f>{_FULL_BODY})"
    rf"|(?:被保険者|[{K}]{{1,3}}氏名)[ 　]*[:：]?[ 　]*(?P<g>{_FULL})")
# weak contexts: the dictionary must read the family name as a person's name
_WEAK = re.compile(
    rf"(?P<a>{_FULL})(?=が|は|から|と(?:の|[{K}])|を|に(?:は|対)|[、,]|の(?:両|件)|[ 　]*(?:の保険証|$|\n))"
    rf"|(?:課|係|室)(?:の|[ 　]+)(?:[{K}]{{1,8}}(?:係|課|室)[ 　]+)*(?P<b>{_FULL}|[{K}]{{2,3}}(?=まで|から|が|に))"
    rf"|(?:長|委員|主任|主査)の(?P<c>{_FULL})"
    rf"|(?P<d>{_FULL})(?=[{K}]{{1,4}}(?:市|町|村)長)"
    rf"|(?<![{K}])(?P<e>[{K}]{{2,3}}?)(?=副?(?:市長|町長|村長|区長|知事)(?:は|が|と|、|の|から))", re.M)


def _family_is_a_name(candidate: str) -> bool:
    family = re.split(r"[ 　]", candidate, maxsplit=1)[0]
    return _looks_like_name(family) or _looks_like_name(candidate)


_CLOSING = re.compile(r"(お願いいたします|お願いします|よろしくお願い申し上げます)。?[ 　]*$")
_NOT_PERSON_ENDINGS = ("局", "課", "係", "部", "室", "会", "名", "長", "者", "員")
_SIGNATURE_LINE = re.compile(rf"^[ 　]*(?P<name>[{K}]{{1,4}}[ 　][{K}ぁ-ん]{{1,4}}|[{K}]{{3,5}})[ 　]*$", re.M)
_SECTION_LINE = re.compile(r"(市|町|村|課|係|部|室|センター)[ 　]*$")
_ADDRESS_LINE = re.compile(r"^[ 　]*(〒|TEL|Tel|電話|住所|E-?mail|メール)")
_WINDOW = 12
_NOT_NAMES = frozenset({"皆", "各位", "お客", "担当", "職員", "市民", "住民", "利用者", "申請者", "事業者", "関係者", "当",
                        "方", "人", "者", "私", "僕", "以上"})


@cache
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


_per_thread = threading.local()


def _tokenizer() -> Tokenizer:
    """A tokenizer for this thread: Sudachi's tokenizers must not be shared between threads."""
    tokenizer = getattr(_per_thread, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _per_thread.tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
    return tokenizer


def _is_name_token(pos: tuple[str, ...]) -> bool:
    return pos[1] == "固有名詞" and pos[2] == "人名"


def _proper_nouns_only(candidate: str) -> bool:
    """The dictionary reads every part as a proper noun (or does not know it): 千葉 yes, 運転手 no."""
    tokens = [t for t in _tokenizer().tokenize(candidate) if t.surface().strip(" 　・")]
    return bool(tokens) and all(t.part_of_speech()[1] == "固有名詞" or t.is_oov() for t in tokens)


def _looks_like_name(candidate: str) -> bool:
    """Weak contexts (「…です。」) need the dictionary's word that this is a person's name."""
    if re.fullmatch(r"[ァ-ヶー]+(?:[ 　・][ァ-ヶー]+)+", candidate):
        return True
    tokens = [t for t in _tokenizer().tokenize(candidate) if t.surface().strip(" 　・")]
    return bool(tokens) and _is_name_token(tokens[0].part_of_speech()) and _proper_nouns_only(candidate)


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
        full = _FULL_NAME_END.search(stripped)
        if full and full.start() <= start:
            start = full.start()
        return start, end
    if honorific:
        full = _FULL_NAME_END.search(stripped) or _TIGHT_NAME_END.search(stripped)
        if full and (_proper_nouns_only(full.group(0)) or (re.search("[ 　]", full.group(0))
                                                            and _family_is_a_name(full.group(0)))):
            return full.start(), end
    katakana = (_KATAKANA_NAME if honorific else _KATAKANA_FULL_NAME).search(stripped)
    if katakana and len(katakana.group(0)) >= 3:
        return katakana.start(), end
    return None


def _is_signature(lines: list[str], index: int) -> bool:
    """A line holding only a name, under a line naming a section or above an address line."""
    before = lines[index - 1] if index > 0 else ""
    after = lines[index + 1] if index + 1 < len(lines) else ""
    earlier = next((line for line in reversed(lines[:index]) if line.strip()), "")
    last = not any(line.strip() for line in lines[index + 1:])
    return bool(_SECTION_LINE.search(before) or _ADDRESS_LINE.match(after) or _CLOSING.search(earlier)
                or (last and index > 0))


def find(text: str, folded: str) -> list[Span]:
    spans: dict[tuple[int, int], Span] = {}

    def add(start: int, end: int) -> None:
        value = text[start:end]
        if value.strip() and value.strip() not in _NOT_NAMES and not value.endswith(_NOT_PERSON_ENDINGS):
            spans[(start, end)] = Span(start, end, "person_name", value)

    for match in _AFTER_CUE.finditer(text):
        window = text[max(0, match.start() - _WINDOW):match.start()].split("\n")[-1]
        offset = match.start() - len(window)
        if text.startswith(("氏名", "様式", "殿堂"), match.start()):
            continue  # not an honorific here
        found = _name_before(window, honorific=text.startswith(HONORIFICS, match.start()))
        if found:
            add(offset + found[0], offset + found[1])
    for match in _LABELLED.finditer(text):
        add(match.start("name"), match.end("name"))
    for pattern in (_TITLE_BEFORE, _SPEAKER):  # weaker contexts: the dictionary must agree
        for match in pattern.finditer(text):
            if _looks_like_name(match.group("name")) or _proper_nouns_only(match.group("name")):
                add(match.start("name"), match.end("name"))
    for match in _SELF_INTRODUCTION.finditer(text):
        group = "name" if match.group("name") else "staff"
        if _looks_like_name(match.group(group)):
            add(match.start(group), match.end(group))
    for match in _LIST_LABEL.finditer(text):
        position = match.start(1)
        for item in re.split(r"([、,，])", match.group(1)):
            found = _LIST_ITEM.match(item)
            if found and item not in "、,，" and not found.group("name").endswith(_NOT_PERSON_ENDINGS):
                add(position + found.start("name"), position + found.end("name"))
            position += len(item)
    for match in _EXTRA.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value)
        if group in ("c", "d", "e") or _proper_nouns_only(match.group(group)):
            add(match.start(group), match.end(group))
    for match in _STRONG.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value)
        add(match.start(group), match.end(group))
    for match in _WEAK.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value)
        if _family_is_a_name(match.group(group)):
            add(match.start(group), match.end(group))
    lines = text.split("\n")
    offset = 0
    for index, line in enumerate(lines):
        found = _SIGNATURE_LINE.match(line)
        if found and _is_signature(lines, index):
            add(offset + found.start("name"), offset + found.end("name"))
        offset += len(line) + 1
    return sorted(spans.values())
