"""個人情報チェッカー: the logic without a browser, and the widget driven as a learner would."""

import pytest

from kenshu.errors import SettingsError
from kenshu.gate import load_policy
from kenshu.lessons import checker
from kenshu.lessons.pii_checker import CheckResult, check_text

MYNUMBER = "123456789018"
TEXT = f"市民課の山田太郎様（電話 03-1234-5678）から申請。個人番号 {MYNUMBER}。"


def test_check_text_finds_kinds_and_decides_for_every_backend():
    result = check_text(TEXT)
    assert isinstance(result, CheckResult)
    assert result.counts == {"person_name": 1, "phone": 1, "mynumber": 1}
    actions = {backend: decision.action for backend, decision in result.decisions.items()}
    assert actions == {"offline": "allowed", "compatible": "masked", "openai": "blocked", "azure": "blocked"}
    assert "個人番号" in result.decisions["openai"].summary


def test_masked_version_has_placeholders_and_no_values():
    masked = check_text(TEXT).masked.text
    assert "［氏名1］" in masked and "［電話番号1］" in masked and "［個人番号1］" in masked
    assert MYNUMBER not in masked and "山田太郎" not in masked


def test_a_name_found_once_is_marked_and_masked_where_it_recurs():
    result = check_text("山田太郎様から電話。山田太郎は明日も来庁する。")
    names = [span.text for span in result.spans if span.kind == "person_name"]
    assert names == ["山田太郎", "山田太郎"] and result.counts["person_name"] == 2
    assert result.masked.text.count("［氏名1］") == 2 and "山田" not in result.masked.text
    assert result.highlighted_html().count("kenshu-person_name") == 2


def test_public_identifiers_are_found_but_not_masked():
    result = check_text("法人番号 7000012050002 の事業者から照会。")
    assert result.counts == {"corporate_number": 1}
    assert "7000012050002" in result.masked.text and result.masked.spans == ()
    assert "（公開情報）" in result.legend_html()


def test_a_higher_class_changes_what_each_backend_may_receive():
    actions = {b: d.action for b, d in check_text("来年度の組織改編案", 2).decisions.items()}
    assert actions == {"offline": "allowed", "compatible": "allowed", "openai": "blocked", "azure": "blocked"}
    actions = {b: d.action for b, d in check_text("来年度の組織改編案", 3).decisions.items()}
    assert actions == {"offline": "allowed", "compatible": "blocked", "openai": "blocked", "azure": "blocked"}


def test_highlighted_html_labels_each_kind_in_japanese_and_escapes_the_text():
    result = check_text('<script>alert("x")</script> 山田太郎様 & <b>太字</b>')
    page = result.to_html()
    assert "<script>" not in page and "<b>太字" not in page
    assert "&lt;script&gt;" in page and "&amp;" in page
    assert 'class="kenshu-pii kenshu-person_name"' in page and "氏名" in page
    assert "送信可" in page and "マスクして送信" in page


def test_the_table_shows_every_backend_with_its_verdict_and_reason():
    table = check_text(TEXT).table_html()
    for backend in ("offline", "compatible", "openai", "azure"):
        assert f"<b>{backend}</b>" in table
    assert "送信可" in table and "マスクして送信" in table and "送信不可" in table
    assert "対処:" in table
    assert MYNUMBER not in table


def test_no_personal_data_says_so():
    result = check_text("会議は10時から第2会議室で行います。")
    assert result.spans == () and "見つかりませんでした" in result.to_html()
    assert all(d.action == "allowed" for d in result.decisions.values())


@pytest.mark.parametrize("text", ["", None, "\x00\x1b[31m", "😀" * 1000, "様" * 5000])
def test_odd_text_is_checked_without_errors(text):
    result = check_text(text)
    assert isinstance(result.to_html(), str)


def test_text_longer_than_the_gate_can_check_is_reported_not_checked():
    result = check_text("あ" * 600_000)
    assert result.problem and "分けて" in result.problem
    assert all(d.action == "blocked" for d in result.decisions.values())


def test_a_given_policy_is_used(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[openai]\nmax_confidentiality = 2\npersonal_data = "block"\n', encoding="utf-8")
    result = check_text("山田太郎様", policy=load_policy(path))
    assert result.decisions["openai"].action == "blocked"
    assert str(path) in result.to_html()
    assert check_text("予算案", 2, policy=load_policy(path)).decisions["openai"].action == "allowed"


def test_the_widget_checks_when_the_button_is_pressed_and_when_the_class_changes():
    ui = checker()
    result = ui.outputs["result"]
    assert result.value == ""
    ui.inputs["confidentiality"].value = 2    # nothing checked yet: nothing shown
    assert result.value == ""
    ui.inputs["confidentiality"].value = 1
    ui.inputs["text"].value = TEXT
    ui.buttons["check"].click()
    assert "マスクした文章" in result.value and "［個人番号1］" in result.value
    assert result.value.count("送信不可") == 2
    ui.inputs["confidentiality"].value = 3
    assert result.value.count("送信不可") == 3


def test_the_widget_given_a_text_checks_it_at_once():
    assert "［氏名1］" in checker("山田太郎様").outputs["result"].value


def test_the_widget_shows_a_broken_policy_as_a_japanese_message(tmp_path, monkeypatch):
    path = tmp_path / "broken.toml"
    path.write_text("[openai]\nmax_confidentiality = 9\npersonal_data = \"mask\"\n", encoding="utf-8")
    monkeypatch.setenv("KENSHU_POLICY", str(path))
    shown = checker("山田太郎様").outputs["result"].value
    assert "⚠ 送信ルール（ポリシー）の設定に誤りがあります" in shown and "範囲外" in shown


def test_the_widget_can_start_at_the_class_the_text_has():
    ui = checker("福祉課の相談記録。田中 一郎さんの持病と家賃の相談。", confidentiality=3)
    assert ui.inputs["confidentiality"].value == 3
    shown = ui.outputs["result"].value
    assert "機密性3" in shown and shown.count("送信不可") == 3    # only offline may receive it
    with pytest.raises(SettingsError, match="機密性"):
        checker("予算案", confidentiality=4)
