import pytest

from kenshu.engine import fields
from tests.engine.samples import NOTICE


@pytest.mark.parametrize("text, iso", [
    ("令和7年4月1日", "2025-04-01"), ("令和元年5月1日", "2019-05-01"), ("平成31年4月30日", "2019-04-30"),
    ("R7.4.1", "2025-04-01"), ("H30/3/31", "2018-03-31"), ("昭和55年7月21日", "1980-07-21"),
    ("2025年12月28日", "2025-12-28"), ("2026/01/05", "2026-01-05"), ("令和７年４月１日", "2025-04-01"),
])
def test_dates_in_wareki_and_seireki_become_iso(text, iso):
    assert [d.value for d in fields.find_dates(f"期日は{text}です。")] == [iso]


def test_impossible_dates_are_not_dates():
    assert fields.find_dates("令和7年2月30日") == []


@pytest.mark.parametrize("text, yen", [("12,000円", 12000), ("1.5万円", 15000), ("150千円", 150000),
                                       ("¥3,000", 3000), ("3億円", 300000000), ("１２０円", 120)])
def test_amounts_become_yen(text, yen):
    assert [a.value for a in fields.find_amounts(f"金額は{text}です。")] == [yen]


def test_fields_of_a_notice():
    assert [p.value for p in fields.find_phones(NOTICE)] == ["0120123456"]
    assert [e.value for e in fields.find_emails(NOTICE)] == ["kaikei@example.lg.jp"]
    assert [d.value for d in fields.find_departments(NOTICE)] == ["会計課"]
    assert [n.value for n in fields.find_names(NOTICE)] == ["山田 太郎"]
    assert [d.value for d in fields.find_deadlines(NOTICE)] == ["2025-05-31"]


def test_extension_numbers_are_not_phone_numbers():
    assert fields.find_phones("内線 2345 にお電話ください") == []


def test_rooms_are_not_departments():
    assert fields.find_departments("第二会議室で開催します") == []
