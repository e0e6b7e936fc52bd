"""The dates a question is about: 「2025年3月25日に契約」「令和6年度」「去年2月」, as (first day, last day).

A month or day without a year (「3月に見積を取って」) is not placed: the answer then shows every version.
Fiscal years (年度) run from 1 April to 31 March.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

_ERA = {"令和": 2018, "平成": 1988}
_FULL = re.compile(r"(?:(\d{4})|(令和|平成)(\d{1,2}|元))年(度)?(?:の?(\d{1,2})月(?:(\d{1,2})日)?)?")
_SLASHED = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")
_RELATIVE = re.compile(r"(去年|昨年|一昨年|今年|来年)(度)?(?:の)?(?:(\d{1,2})月(?:(\d{1,2})日)?)?|(昨年度|前年度|今年度|来年度|先月|今月|来月)")
Span = tuple[date, date]


def _year_span(year: int, fiscal: bool, month: int | None, day: int | None) -> Span:
    if month:
        if fiscal and month < 4:
            year += 1  # 令和6年度の2月 is February 2025
        last = calendar.monthrange(year, month)[1]
        return (date(year, month, day or 1), date(year, month, day or last))
    if fiscal:
        return (date(year, 4, 1), date(year + 1, 3, 31))
    return (date(year, 1, 1), date(year, 12, 31))


def _fiscal_year(today: date) -> int:
    return today.year if today.month >= 4 else today.year - 1


def _month_span(today: date, shift: int) -> Span:
    month_index = today.year * 12 + today.month - 1 + shift
    year, month = divmod(month_index, 12)
    return (date(year, month + 1, 1), date(year, month + 1, calendar.monthrange(year, month + 1)[1]))


def spans(question: str, today: date | None = None) -> list[Span]:
    """Every date range the question names, in order."""
    today = today or date.today()
    text = unicodedata.normalize("NFKC", question)
    found: list[tuple[int, Span]] = []
    for match in _FULL.finditer(text):
        western, era, era_year, fiscal, month, day = match.groups()
        year = int(western) if western else _ERA[era] + (1 if era_year == "元" else int(era_year))
        found.append((match.start(), _year_span(year, bool(fiscal), int(month) if month else None,
                                                int(day) if day else None)))
    for match in _SLASHED.finditer(text):
        moment = date(*map(int, match.groups()))
        found.append((match.start(), (moment, moment)))
    for match in _RELATIVE.finditer(text):
        word, fiscal, month, day, whole = match.groups()
        if whole in ("昨年度", "前年度", "今年度", "来年度"):
            shift = {"昨年度": -1, "前年度": -1, "今年度": 0, "来年度": 1}[whole]
            found.append((match.start(), _year_span(_fiscal_year(today) + shift, True, None, None)))
        elif whole:
            found.append((match.start(), _month_span(today, {"先月": -1, "今月": 0, "来月": 1}[whole])))
        else:
            shift = {"一昨年": -2, "去年": -1, "昨年": -1, "今年": 0, "来年": 1}[word]
            base = (_fiscal_year(today) if fiscal else today.year) + shift
            found.append((match.start(), _year_span(base, bool(fiscal), int(month) if month else None,
                                                    int(day) if day else None)))
    return [span for _, span in sorted(found, key=lambda item: item[0])]


def side_of(moment: date, question: str, today: date | None = None) -> str:
    """「before」 when the question's earliest date is wholly before ``moment``, 「after」 when every one is on or
    after it, 「unknown」 when it names none or one that straddles it."""
    named = spans(question, today)
    if not named:
        return "unknown"
    first = min(named)
    if first[1] < moment:
        return "before"
    if all(span[0] >= moment for span in named):
        return "after"
    return "unknown"
