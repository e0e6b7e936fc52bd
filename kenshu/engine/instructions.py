"""What a request asks the written text to be: length, style, layout, role and focus.

Read once from the request wording (system message and the user's instruction, never the material),
so every task that writes text follows the same reading:

- length: 「200字以内」「二百字以下」「150文字まで」 (never exceeded), 「200字程度」「200字前後」 (a target,
  also never exceeded), 「一文は30字以内」 (a limit on each sentence, not on the whole text);
  「200字以上」 is a minimum and is not read as a limit
- style: です・ます調 or である調 (「です・ます調をである調に」 asks for である)
- layout: 「3点の箇条書き」「箇条書きで3点」「3項目」 (bullets), 「3行で」 (lines), 「2文で」 (sentences),
  「表で」「表（「誤り」と「対策」の2列）」 (a table, with its column names when given)
- role: 「あなたは若葉市会計課の職員です」 (who, and the named department when there is one)
- focus: 「…について」「…に関して」「…を中心に」「…に絞って」「…に重点を置いて」
- what cannot be done by rule: 「専門用語は使わない」
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kenshu.engine.text import normalise

_KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def read_number(token: str) -> int | None:
    """3, ３, 三, 十, 百, 二百 (as in 「二百字」)."""
    token = normalise(token)
    if token.isdigit():
        return int(token)
    if token.endswith("百"):
        head = token[:-1]
        return ((_KANJI_NUMBERS.get(head) or 0) * 100 if head else 100) or None
    return _KANJI_NUMBERS.get(token)


_NUMBER = r"(\d+|[一二三四五六七八九]?百|[一二三四五六七八九十])"

# ---------------------------------------------------------------- length


@dataclass(frozen=True)
class LengthLimit:
    chars: int  # the most characters the text may have (counted by ``japanese.length.reader_length``)
    strict: bool  # 以内・以下・まで・未満: a hard limit; 程度・前後: a target (still not exceeded)
    wording: str  # as the request says it, for notes: 「200字以内」

    def __str__(self) -> str:
        return self.wording


_LENGTH = re.compile(_NUMBER + r"\s*(?:字|文字)\s*(以内|以下|まで|未満|程度|前後|くらい|ぐらい|ほど|目安|以上)?")
_SENTENCE_LIMIT = re.compile(r"(?:一文|1文|各文|(?<![一-龥ぁ-んァ-ヶ])文[はを]|一つの文|1つの文|それぞれの文)[^。\n]{0,8}?"
                             + _NUMBER + r"\s*(?:字|文字)")  # not 「あいさつ文を200字以内で」


def _limits(request: str) -> tuple[LengthLimit | None, int | None]:
    """(the whole text's limit, each sentence's limit)."""
    per_sentence = None
    sentence_spans = []
    for match in _SENTENCE_LIMIT.finditer(request):
        per_sentence = per_sentence or read_number(match.group(1))
        sentence_spans.append(range(match.start(1), match.end(1)))
    for match in _LENGTH.finditer(request):
        if any(match.start() in span for span in sentence_spans) or match.group(2) == "以上":
            continue
        chars = read_number(match.group(1))
        if not chars:
            continue
        kind = match.group(2) or ""
        if kind == "未満":
            chars -= 1
        strict = kind in ("", "以内", "以下", "まで", "未満")
        return LengthLimit(chars, strict, match.group(0).strip()), per_sentence
    return None, per_sentence


# ---------------------------------------------------------------- style

_PLAIN_STYLE = re.compile(r"である調|である体|だ・である|だである|常体")
_POLITE_STYLE = re.compile(r"です・?ます|ですます|敬体|丁寧語|丁寧な(?:文|表現|言葉)|丁寧に")


def target_style(request: str) -> str | None:
    """"polite" (です・ます) or "plain" (である): the one asked for; 「です・ます調をである調に」 asks for である."""
    found = [(m.start(), m.end(), "plain") for m in _PLAIN_STYLE.finditer(request)]
    found += [(m.start(), m.end(), "polite") for m in _POLITE_STYLE.finditer(request)]
    if not found:
        return None
    targets = [kind for start, end, kind in sorted(found)
               if not re.match(r"調?(?:を|から|の文(?:章)?を)", request[end:end + 6])]
    kinds = targets or [kind for _, _, kind in sorted(found)]
    return kinds[-1]


def mentions_style(text: str) -> bool:
    return bool(_PLAIN_STYLE.search(text) or _POLITE_STYLE.search(text))


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class Layout:
    kind: str | None = None  # "bullets", "lines", "sentences", "table" or None (as the task likes)
    count: int | None = None
    columns: tuple[str, ...] = ()


_BULLET_COUNT = re.compile(_NUMBER + r"\s*(?:点|項目|個)")
_LINE_COUNT = re.compile(_NUMBER + r"\s*行(?!政|事|為|程|動|き)")
_THINGS_COUNT = re.compile(_NUMBER + r"\s*つ(?!ずつ|目|の文)")
_SENTENCE_COUNT = re.compile(_NUMBER + r"\s*文(?=で|に|程度|以内|まで)")
_TABLE = re.compile(r"(?<![発代公別年図])表(?:で|に|形式|の形|にし|を作|（|\(|[:：]|\s|$)|一覧表|(?:マークダウン|Markdown)(?:形式)?の表")
_COLUMNS = re.compile(r"「([^「」\n]{1,12})」")


def _layout(request: str) -> Layout:
    bullets = "箇条書" in request or "点で" in request or "項目" in request
    table = _TABLE.search(request)
    if table:
        line_end = request.find("\n", table.start())
        window = request[table.start():line_end if line_end >= 0 else len(request)]
        columns = tuple(_COLUMNS.findall(window)) if "列" in window or "項目" in window else ()
        count = _BULLET_COUNT.search(request) or _LINE_COUNT.search(request)
        return Layout("table", read_number(count.group(1)) if count else None, columns)
    for pattern, kind in ((_BULLET_COUNT, "bullets"), (_LINE_COUNT, "lines"), (_THINGS_COUNT, "bullets"),
                          (_SENTENCE_COUNT, "sentences")):
        match = pattern.search(request)
        if match:
            if kind == "lines" and bullets:
                kind = "bullets"  # 「3行の箇条書き」
            return Layout(kind, read_number(match.group(1)))
    return Layout("bullets" if bullets else None)


# ---------------------------------------------------------------- role and focus

_DEPT = r"[一-龥々ァ-ヴー]{1,20}?(?:課|係|室|局|部|センター|事務所)"
_ROLE = re.compile(r"(?:あなたは|私は|わたしは)\s*(?P<who>[^。\n]{1,40}?)(?:です|だ|である|として)(?:[。、\n]|$)")
_ROLE_DEPT = re.compile(rf"^(?P<dept>[^。、\n]{{0,20}}?{_DEPT})(?:の|で働く)?\s*(?:職員|担当者|担当|係員|者|一員)$")


@dataclass(frozen=True)
class Role:
    who: str  # 若葉市会計課の職員
    department: str | None  # 若葉市会計課; None for a generic role (市役所の職員)


def read_role(request: str) -> Role | None:
    match = _ROLE.search(request)
    if not match:
        return None
    who = match.group("who").strip(" 　「」")
    dept = _ROLE_DEPT.match(who)
    return Role(who, dept.group("dept").strip() if dept else None)


_FOCUS = re.compile(r"([^\s、。「」を]{2,20}?)(?:について|に関して|に関する|を中心に|に絞って|に重点を置いて|を重点的に)")
_NOT_FOCUS = re.compile(r"^(?:以下|次|下記|この|その|上記|本|当該)|^(?:文章|本文|資料|内容|記録|会議録|手引き)$")
_MATERIAL_NAME = re.compile(r"(?:以下|次|下記)の([^、。\n「」]{1,12}?)(?:を|について|の内容|から|に)")


def read_focus(request: str) -> str:
    for match in _FOCUS.finditer(request):
        focus = match.group(1)
        if len(focus) >= 2 and not _NOT_FOCUS.search(focus):
            return focus
    return ""


# ---------------------------------------------------------------- all of it


@dataclass(frozen=True)
class Instructions:
    length: LengthLimit | None = None
    sentence_limit: int | None = None
    style: str | None = None
    layout: Layout = Layout()
    role: Role | None = None
    focus: str = ""
    material_name: str = ""  # 会議録, 手引きの一節 (from 「以下の会議録を」)
    no_jargon: bool = False  # 「専門用語は使わない」: the engine cannot judge jargon


def read_instructions(request: str) -> Instructions:
    length, per_sentence = _limits(normalise(request))
    name = _MATERIAL_NAME.search(request)
    return Instructions(
        length=length, sentence_limit=per_sentence, style=target_style(request),
        layout=_layout(normalise(request)), role=read_role(request), focus=read_focus(request),
        material_name=name.group(1) if name else "",
        no_jargon=bool(re.search(r"専門用語[はをも]?(?:使わ|用いな|避け|控え|なし|不要)", request)),
    )
