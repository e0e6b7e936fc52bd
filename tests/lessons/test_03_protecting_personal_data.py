"""Lesson 03 widgets (kenshu.lessons.personal_data): the logic without a browser, and the widgets driven as a learner would."""

import pytest

from kenshu.errors import ServerUnreachableError
from kenshu.lessons import masked_ask_box, mynumber_calculator
from kenshu.lessons.personal_data import check_digit_steps, masked_ask, prepare, send_reviewed, weight
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


RECORD = "相談者：佐藤 花子（電話 090-1234-5678）。家賃 136,000円 を令和7年6月20日までに支払う相談。"


def test_masked_ask_sends_no_personal_data_and_restores_the_reply():
    sent = []

    def fake_ask(prompt, *, confidentiality):
        sent.append((prompt, confidentiality))
        return "要点: ［氏名1］さんに［電話番号1］で連絡する。"

    exchange = masked_ask("以下の相談記録を要約してください。", RECORD, ask=fake_ask)
    assert sent == [(exchange.sent, 2)]          # a record is declared 機密性2 unless said otherwise
    assert "佐藤" not in exchange.sent and "090-1234-5678" not in exchange.sent
    assert find_pii(exchange.sent) == []
    assert "136,000円" in exchange.sent and "令和7年6月20日" in exchange.sent
    assert exchange.restored == "要点: 佐藤 花子さんに090-1234-5678で連絡する。"
    assert exchange.counts == {"氏名": 1, "電話番号": 1}


def test_every_repeat_of_a_value_gets_the_same_placeholder():
    prepared = prepare("要約してください。", "佐藤 花子様（090-1234-5678）から電話。佐藤 花子様に 090-1234-5678 で折り返す。",
                       backend="offline")
    assert prepared.text.count("［氏名1］") == 2 and prepared.text.count("［電話番号1］") == 2
    assert "佐藤" not in prepared.text and prepared.counts == {"氏名": 2, "電話番号": 2}


def test_a_placeholder_written_in_the_request_is_not_reused_nor_restored():
    prepared = prepare("［氏名1］のような記号は残してください。", "申込者：佐藤 花子様", backend="offline")
    assert "［氏名2］" in prepared.text and prepared.masked.mapping == {"［氏名2］": "佐藤 花子"}
    exchange = send_reviewed(prepared.text, prepared, ask=lambda text, confidentiality: "［氏名1］は例、［氏名2］様へ。")
    assert exchange.restored == "［氏名1］は例、佐藤 花子様へ。"


def test_the_declared_class_decides_what_the_backend_may_receive():
    assert prepare("要約", RECORD, 2, backend="offline").decision.action == "allowed"
    assert prepare("要約", RECORD, 3, backend="offline").decision.action == "allowed"
    # masking does not lower the class: a 機密性2 record stays out of openai, masked or not
    blocked = prepare("要約", RECORD, 2, backend="openai").decision
    assert blocked.action == "blocked" and "機密性2" in blocked.what
    # a masked text whose content is public (機密性1) has no personal data left for openai
    assert prepare("返信の下書き", "高橋 健太様から開館時間の問い合わせ。", 1, backend="openai").decision.action == "allowed"


def test_masked_ask_uses_the_offline_engine_by_default():
    exchange = masked_ask("以下の相談記録を2点で要約してください。", "相談者：佐藤 花子。家賃 136,000円 の相談。")
    assert "佐藤 花子" not in exchange.reply
    assert exchange.reply  # the engine answered


def test_the_box_masks_first_and_sends_only_after_the_second_click(monkeypatch):
    sent = []

    def fake_ask(prompt, *, confidentiality):
        sent.append((prompt, confidentiality))
        return "・［氏名1］さんから家賃の相談。"

    monkeypatch.setattr("kenshu.simple_ask.ask", fake_ask)
    box = masked_ask_box(RECORD)
    assert box.inputs["confidentiality"].value == 2
    box.buttons["mask"].click()
    assert sent == []                                        # ① sends nothing
    review = box.inputs["review"]
    assert "［氏名1］" in review.value and "佐藤" not in review.value
    assert "［氏名1］" not in box.outputs["status"].value     # the masked text is in the editable box
    assert "offline" in box.outputs["verdict"].value and "送信可" in box.outputs["verdict"].value
    review.value = review.value.replace("家賃", "家賃（確認済み）")  # the learner corrects the text
    box.buttons["send"].click()
    assert sent == [(review.value, 2)]                       # ② sends the reviewed text, declared 機密性2
    shown = box.outputs["result"].value
    assert "［氏名1］さんから家賃の相談" in shown and "佐藤 花子さんから家賃の相談" in shown


def test_the_box_shows_the_gate_refusing_a_class_the_backend_may_not_receive(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "openai")
    box = masked_ask_box(RECORD, confidentiality=2)
    box.buttons["mask"].click()
    verdict = box.outputs["verdict"].value
    assert "openai" in verdict and "送信不可" in verdict and "止めます" in verdict


def test_sending_anyway_is_stopped_by_the_gate_itself(monkeypatch, tmp_path):
    # nothing listens on the discard port: a request that got past the gate would fail to connect instead
    for name, value in {"KENSHU_BACKEND": "openai", "OPENAI_API_KEY": "test-key", "KENSHU_MODEL": "gpt-4.1-mini",
                        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "KENSHU_MAX_RETRIES": "0",
                        "KENSHU_AUDIT_LOG": str(tmp_path / "audit.sqlite3")}.items():
        monkeypatch.setenv(name, value)
    box = masked_ask_box(RECORD, confidentiality=2)
    box.buttons["mask"].click()
    box.buttons["send"].click()
    shown = box.outputs["result"].value
    assert "⚠ 送信を止めました（情報の取り扱いルール）" in shown and "機密性2" in shown


def test_changing_the_record_or_class_asks_to_mask_again(monkeypatch):
    monkeypatch.setattr("kenshu.simple_ask.ask", lambda prompt, *, confidentiality: pytest.fail("sent"))
    box = masked_ask_box(RECORD)
    box.buttons["mask"].click()
    box.inputs["confidentiality"].value = 3
    assert box.inputs["review"].layout.display == "none" and box.outputs["verdict"].value == ""
    box.buttons["send"].click()                              # nothing masked for the new class: nothing sent


def test_an_empty_record_or_review_is_explained():
    box = masked_ask_box("  ")
    box.buttons["mask"].click()
    assert "空です" in box.outputs["status"].value
    box.inputs["record"].value = RECORD
    box.buttons["mask"].click()
    box.inputs["review"].value = ""
    box.buttons["send"].click()
    assert "押し直してください" in box.outputs["result"].value


def test_the_box_shows_a_failed_send_as_the_japanese_error_box(monkeypatch):
    def unreachable(prompt, *, confidentiality):
        raise ServerUnreachableError("<接続先> に接続できませんでした。", todo="KENSHU_BACKEND を確かめてください。")

    monkeypatch.setattr("kenshu.simple_ask.ask", unreachable)
    box = masked_ask_box("相談者：佐藤 花子の相談。")
    box.buttons["mask"].click()
    box.buttons["send"].click()
    shown = box.outputs["result"].value
    assert "⚠ 接続先につながりません" in shown and "&lt;接続先&gt;" in shown
    assert "対処: KENSHU_BACKEND を確かめてください。" in shown


def test_the_box_really_sends_through_the_gate_to_the_offline_engine():
    box = masked_ask_box("申込者：佐藤 花子（電話 090-1234-5678）。たんす1点の収集の申込み。")
    box.buttons["mask"].click()
    box.buttons["send"].click()
    shown = box.outputs["result"].value
    assert "記号を元に戻した返答" in shown and "⚠" not in shown
