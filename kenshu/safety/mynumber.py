"""個人番号（マイナンバー）: 12 digits with a valid check digit, not labelled as another number."""

from __future__ import annotations

import re

from kenshu.safety.checksums import mynumber_is_valid
from kenshu.safety.spans import Span

PATTERN = re.compile(r"(?<![\d-])(?<!\d )\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d-])(?! \d)")
_OTHER_NUMBER = re.compile(r"(予約|受付|整理|注文|管理|文書|伝票|会員|お客様|契約|証券|口座|電話|法人|住民票コード)(番号|No|NO|№)?")
_PERSONAL_CUE = re.compile(r"個人番号|マイナンバー")


def find(text: str, folded: str) -> list[Span]:
    spans = []
    for match in PATTERN.finditer(folded):
        if not mynumber_is_valid(re.sub(r"\D", "", match.group(0))):
            continue
        before = folded[max(0, match.start() - 14):match.start()]
        if _OTHER_NUMBER.search(before) and not _PERSONAL_CUE.search(before):
            continue
        spans.append(Span(match.start(), match.end(), "mynumber", text[match.start():match.end()]))
    return spans
