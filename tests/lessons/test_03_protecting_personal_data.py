"""Lesson 03 widgets (kenshu.lessons.personal_data): the logic without a browser, and the widgets driven as a learner would."""

import pytest

from kenshu.errors import ServerUnreachableError
from kenshu.lessons import masked_ask_box, mynumber_calculator
from kenshu.lessons.personal_data import check_digit_steps, masked_ask, weight
from kenshu.safety import find_pii
from kenshu.safety.checksums import mynumber_is_valid

EXAMPLE = "123456789018"  # the published example number


def test_weights_follow_the_rule_counted_from_the_right():
    assert [weight(n) for n in range(1, 12)] == [2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6]
    with pytest.raises(ValueError):
        weight(12)


def test_example_number_is_valid_with_each_step_shown():
    steps = check_digit_steps(EXAMPLE)
    assert steps.valid is True
    assert (steps.total, steps.remainder, steps.check_digit, steps.given) == (212, 3, 8, 8)
    table = steps.table()
    assert list(table["数字 P"]) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    assert list(table["右からの位置 n"]) == list(range(11, 0, -1))
    assert table["P × Q"].sum() == 212


def test_wrong_check_digit_is_reported_as_invalid():
    steps = check_digit_steps("123456789019")
    assert steps.valid is False
    assert "8" in steps.verdict() and "正しくありません" in steps.verdict()


def test_eleven_digits_give_the_missing_check_digit():
    steps = check_digit_steps("12345678901")
    assert steps.valid is None and steps.check_digit == 8
    assert "8" in steps.verdict()


@pytest.mark.parametrize("body", ["00000000000", "12345678900", "32860129040", "48531941300"])
def test_remainder_zero_or_one_gives_check_digit_zero(body):
    steps = check_digit_steps(body)
    assert steps.remainder <= 1
    assert steps.check_digit == 0
    assert mynumber_is_valid(body + "0")


@pytest.mark.parametrize("body", [f"{n:011d}" for n in range(0, 10**11, 7_777_777_777)])
def test_calculation_agrees_with_the_kit_detector_check(body):
    digit = check_digit_steps(body).check_digit
    assert mynumber_is_valid(body + str(digit))
    assert not mynumber_is_valid(body + str((digit + 1) % 10))


def test_spaces_hyphens_and_full_width_digits_are_read_with_a_note():
    assert check_digit_steps("1234-5678-9018").valid is True
    full = check_digit_steps("１２３４ ５６７８ ９０１８")
    assert full.valid is True and "全角" in full.note
    assert check_digit_steps(EXAMPLE).note == ""


@pytest.mark.parametrize("text, word", [("", "入力されていません"), (None, "入力されていません"),
                                        ("12345", "5 桁"), ("1234567890123", "13 桁"),
                                        ("12345678901a", "数字以外"), ("一二三", "数字以外")])
def test_unusable_input_explains_the_problem_in_japanese(text, word):
    steps = check_digit_steps(text)
    assert steps.valid is None and word in steps.problem
    assert word in steps.to_html()


def test_html_shows_sum_remainder_and_escapes_nothing_unsafe():
    page = check_digit_steps(EXAMPLE).to_html()
    assert "212" in page and "余り" in page and "一致します" in page
    assert "<script" not in check_digit_steps("<script>").to_html()


def test_calculator_widget_shows_the_steps_after_a_click():
    calculator = mynumber_calculator()
    result = calculator.outputs["result"]
    assert result.value == ""
    calculator.inputs["number"].value = "123456789019"
    calculator.buttons["calculate"].click()
    assert "正しくありません" in result.value


def test_calculator_given_a_number_shows_its_steps_at_once():
    calculator = mynumber_calculator("123456789018")
    assert "一致します" in calculator.outputs["result"].value


def test_masked_ask_sends_no_personal_data_and_restores_the_reply():
    record = "相談者：佐藤 花子（電話 090-1234-5678）。家賃 136,000円 を令和7年6月20日までに支払う相談。"
    sent = []

    def fake_ask(prompt):
        sent.append(prompt)
        return "要点: ［氏名1］さんに［電話番号1］で連絡する。"

    exchange = masked_ask("以下の相談記録を要約してください。", record, ask=fake_ask)
    assert sent == [exchange.sent]
    assert "佐藤" not in exchange.sent and "090-1234-5678" not in exchange.sent
    assert find_pii(exchange.sent) == []
    assert "136,000円" in exchange.sent and "令和7年6月20日" in exchange.sent
    assert exchange.restored == "要点: 佐藤 花子さんに090-1234-5678で連絡する。"
    assert exchange.counts == {"氏名": 1, "電話番号": 1}


def test_masked_ask_uses_the_offline_engine_by_default():
    exchange = masked_ask("以下の相談記録を2点で要約してください。", "相談者：佐藤 花子。家賃 136,000円 の相談。")
    assert "佐藤 花子" not in exchange.reply
    assert exchange.reply  # the engine answered


def test_masked_ask_box_shows_sent_reply_and_restored_text():
    box = masked_ask_box("相談者：佐藤 花子（電話 090-1234-5678）の相談。")
    output = box.outputs["result"]
    box.buttons["send"].click()
    assert "［氏名1］" in output.value and "送った文章" in output.value
    box.inputs["record"].value = "  "
    box.buttons["send"].click()
    assert "空です" in output.value


def test_masked_ask_box_shows_a_failed_send_as_the_japanese_error_box(monkeypatch):
    def unreachable(prompt):
        raise ServerUnreachableError("<接続先> に接続できませんでした。", todo="KENSHU_BACKEND を確かめてください。")

    monkeypatch.setattr("kenshu.simple_ask.ask", unreachable)
    box = masked_ask_box("相談者：佐藤 花子の相談。")
    box.buttons["send"].click()
    shown = box.outputs["result"].value
    assert "⚠ 接続先につながりません" in shown and "&lt;接続先&gt;" in shown
    assert "対処: KENSHU_BACKEND を確かめてください。" in shown
