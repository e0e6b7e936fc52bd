"""Find typed values in Japanese administrative text: dates (西暦・和暦), amounts, phones, and more.

Each finder returns ``Found`` items in text order, with the original wording and a
normalised value (an ISO date, an amount in yen, digits of a phone number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kenshu.engine.text import normalise

ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "R": 2018, "H": 1988, "S": 1925, "T": 1911}


@dataclass(frozen=True)
class Found:
    kind: str
    text: str        # as written (after NFKC)
    value: object    # normalised
    start: int


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_WAREKI = re.compile(r"(令和|平成|昭和|大正)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_WAREKI_SHORT = re.compile(r"(?<![A-Za-z])([RHST])\s*(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d)")
_SEIREKI = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[/\-.](\d{1,2})[/\-.](\d{1,2})(?!\d))")
_MONTH_DAY = re.compile(r"(?<![\d年/])(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def find_dates(text: str, *, default_year: int | None = None) -> list[Found]:
    """Dates in 和暦 (令和7年4月1日, R7.4.1, 令和元年) and 西暦; month-day alone needs ``default_year``."""
    text = normalise(text)
    found: list[Found] = []
    taken: list[range] = []

    def add(match: re.Match[str], iso: str | None) -> None:
        if iso and not any(match.start() in span for span in taken):
            found.append(Found("date", match.group(0), iso, match.start()))
            taken.append(range(match.start(), match.end()))

    for match in _WAREKI.finditer(text):
        era, year = match.group(1), match.group(2)
        add(match, _iso(ERAS[era] + (1 if year == "元" else int(year)), int(match.group(3)), int(match.group(4))))
    for match in _WAREKI_SHORT.finditer(text):
        add(match, _iso(ERAS[match.group(1)] + int(match.group(2)), int(match.group(3)), int(match.group(4))))
    for match in _SEIREKI.finditer(text):
        month, day = (match.group(2), match.group(3)) if match.group(2) else (match.group(4), match.group(5))
        add(match, _iso(int(match.group(1)), int(month), int(day)))
    if default_year:
        for match in _MONTH_DAY.finditer(text):
            add(match, _iso(default_year, int(match.group(1)), int(match.group(2))))
    return sorted(found, key=lambda item: item.start)


_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_AMOUNT = re.compile(
    r"(?:[¥￥]\s*(?P<yen>\d[\d,]*)|(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>億|万|千)?\s*(?P<unit2>千|万)?\s*円)")


def find_amounts(text: str) -> list[Found]:
    """Amounts in yen: 12,000円, 1.5万円, 150千円 (thousands, as in budget tables), ¥3,000."""
    text = normalise(text)
    found = []
    for match in _AMOUNT.finditer(text):
        if match.group("yen"):
            value = int(match.group("yen").replace(",", ""))
        else:
            number = float(match.group("num").replace(",", ""))
            for unit in (match.group("unit"), match.group("unit2")):
                number *= {"億": 100_000_000, "万": 10_000, "千": 1_000, None: 1}[unit]
            value = round(number)
        found.append(Found("amount", match.group(0), value, match.start()))
    return found


_PHONE = re.compile(r"(?<![\d-])(0\d{1,4})[-(\s]?(\d{1,4})[-)\s]?(\d{3,4})(?![\d-])")


def find_phones(text: str) -> list[Found]:
    text = normalise(text)
    found = []
    for match in _PHONE.finditer(text):
        digits = "".join(match.groups())
        if len(digits) in (10, 11):
            found.append(Found("phone", match.group(0), digits, match.start()))
    return found


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def find_emails(text: str) -> list[Found]:
    text = normalise(text)
    return [Found("email", m.group(0), m.group(0), m.start()) for m in _EMAIL.finditer(text)]


_DEPARTMENT = re.compile(r"(?<![一-龥ァ-ヶー])([一-龥ァ-ヶー]{1,8}(?:課|部|室|局|係|センター|事務所|委員会))(?![一-龥])")
_NOT_DEPARTMENT = ("全部", "一部", "内部", "外部", "上部", "下部", "幹部", "細部", "大部")
_ROOMS = ("会議室", "教室", "和室", "個室", "同室", "控室", "応接室", "相談室", "待合室", "休憩室", "更衣室")


def find_departments(text: str) -> list[Found]:
    text = normalise(text)
    found = []
    for match in _DEPARTMENT.finditer(text):
        name = re.sub(r"^(は|が|の|を|に|で|と|、)+", "", match.group(1))
        if len(name) >= 2 and name not in _NOT_DEPARTMENT and not name.endswith(_ROOMS):
            found.append(Found("department", name, name, match.start()))
    return found


_NAME = re.compile(r"([一-龥]{1,4})[ 　]?([一-龥ぁ-んァ-ヶ]{1,4})?\s*(様|さん|氏|殿)")
_NAME_FIELD = re.compile(r"(?:氏名|名前|申請者|担当者?)\s*[:：]\s*([一-龥ァ-ヶー]{1,5}(?:[ 　][一-龥ァ-ヶー]{1,5})?)")


def find_names(text: str) -> list[Found]:
    """Person names written with 様/さん/氏/殿, or after 氏名: / 担当: labels."""
    text = normalise(text)
    found = [Found("name", m.group(1).strip(), m.group(1).strip(), m.start()) for m in _NAME_FIELD.finditer(text)]
    for match in _NAME.finditer(text):
        name = match.group(1) + (f" {match.group(2)}" if match.group(2) else "")
        if name not in ("皆", "皆々", "各位", "お客") and not name.endswith(("課", "部", "室", "係")):
            found.append(Found("name", name, name, match.start()))
    return sorted(found, key=lambda item: item.start)


_DEADLINE_CUE = re.compile(r"(まで|締切|締め切り|期限|提出日|〆切)")


def find_deadlines(text: str, *, default_year: int | None = None) -> list[Found]:
    """Dates that a deadline cue (まで, 締切, 期限) stands right after or before."""
    text = normalise(text)
    deadlines = []
    for item in find_dates(text, default_year=default_year):
        after = text[item.start + len(item.text): item.start + len(item.text) + 12]
        before = text[max(0, item.start - 8): item.start]
        if _DEADLINE_CUE.search(after) or _DEADLINE_CUE.search(before):
            deadlines.append(Found("deadline", item.text, item.value, item.start))
    return deadlines


FINDERS = {
    "date": find_dates,
    "amount": find_amounts,
    "phone": find_phones,
    "email": find_emails,
    "department": find_departments,
    "name": find_names,
    "deadline": find_deadlines,
}
