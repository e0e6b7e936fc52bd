"""住所: from the prefecture or city down to the block number, building and room.

A place name alone (a city, 市民会館) is not an address: a number part is required.
"""

from __future__ import annotations

import re

from kenshu.safety.spans import Span

PREFECTURES = (
    "北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|神奈川県|新潟県|富山県|"
    "石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|"
    "岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県")
_KANJI_NUM = "〇一二三四五六七八九十百千"
_NUMBER = rf"(?:\d+|[{_KANJI_NUM}]+)"
_MUNICIPALITY = r"(?:[一-龥ヶケ々]{1,5}郡)?[一-龥ぁ-んァ-ヶ々]{1,6}?[市区町村](?:[一-龥]{1,4}区)?"
# 札幌・旭川の「北1条西2丁目」「4条通」、京都の「河原町通三条上ル」: the town part may carry 条 numbers and 通 names
_TOWN = rf"[一-龥ぁ-んァ-ヶ々ー]{{0,14}}?(?:[東西南北]?{_NUMBER}条(?:通)?[東西南北]?)?"
_BLOCK = (rf"(?:大字[一-龥]{{1,4}}(?:字[一-龥]{{1,4}})?)?{_NUMBER}"
          rf"(?:(?:丁目[東西南北]?|番地|番|号|-|の){_NUMBER}?){{1,4}}(?:号)?")
# a building name, but not the words that go on after an address (「1丁目から3丁目まで」)
_BUILDING = (r"(?:[ 　]?(?!から|まで|など|[のとをはへでにやもが])[一-龥ぁ-んァ-ヶーA-Za-z・]{2,16}[ 　]?(?:\d{1,4}|[０-９]{1,4})(?:号棟[ 　]?\d{1,4}号室|号室|号|階)?"
             r"(?:[ 　]?\d{1,4}号室)?)?")
PATTERN = re.compile(rf"(?:{PREFECTURES})?[ 　]?{_MUNICIPALITY}{_TOWN}{_BLOCK}{_BUILDING}")
# words before the place that the municipality pattern may take in: 「住所は」「場所は」「収集場所は」
_LEADING_WORDS = re.compile(r"^[^\n]*?(?:は|を|に|で|へ|:|：)(?=[^はをにでへ:：]*[市区町村])")
_ROOM_ONLY = re.compile(r"\d{1,4}(号室|号|階)$")


def find(text: str, folded: str) -> list[Span]:
    spans = []
    for match in PATTERN.finditer(folded):
        if re.search(r"第\s*\d+\s*号", match.group(0)):
            continue  # 条例第12号, 若葉市第123号: a numbered document, not a place
        lead = _LEADING_WORDS.match(match.group(0))
        skip = lead.end() if lead else 0
        value = match.group(0).rstrip(" -の")
        if not re.search(rf"{_NUMBER}\s*(丁目|番地|番|号|-)", value) and not _ROOM_ONLY.search(value):
            continue
        if re.search(rf"{_NUMBER}\s*丁目$", value):
            continue  # 本町1丁目 alone names an area, not where someone lives
        start = match.start() + skip + (len(match.group(0)[skip:]) - len(match.group(0)[skip:].lstrip()))
        end = match.start() + len(value)
        spans.append(Span(start, end, "address", text[start:end]))
    return spans
