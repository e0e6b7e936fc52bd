"""Lesson 12's widget: one click with the defaults writes the guideline and its policy, never over an existing file."""

from __future__ import annotations

from docx import Document

from kenshu.gate.policy import load_policy, read_policy
from kenshu.lessons import guideline_builder


def test_one_click_with_the_defaults_writes_the_word_file_and_the_default_policy(tmp_path):
    widget = guideline_builder(tmp_path)
    widget.buttons["make"].click()
    document = tmp_path / "若葉市_生成AI利用ガイドライン.docx"
    rules = tmp_path / "若葉市_送信ルール.toml"
    assert document.is_file() and rules.is_file()
    written, problems = read_policy(rules)
    assert not problems and written.rules == load_policy(None).rules
    paragraphs = [p.text for p in Document(str(document)).paragraphs]
    assert "若葉市生成AI利用ガイドライン" in paragraphs
    assert "第3条" in widget.outputs["text"].value and "[compatible]" in widget.outputs["policy"].value
    assert "保存しました" in widget.outputs["saved"].value


def test_changed_choices_change_both_files_and_a_second_click_keeps_the_first(tmp_path):
    widget = guideline_builder(tmp_path)
    widget.buttons["make"].click()
    first = (tmp_path / "若葉市_生成AI利用ガイドライン.docx").read_bytes()
    widget.inputs["service_openai"].value = False
    widget.inputs["service_azure"].value = False
    widget.inputs["gateway_personal"].value = "block"
    widget.buttons["make"].click()
    assert (tmp_path / "若葉市_生成AI利用ガイドライン.docx").read_bytes() == first
    written, _ = read_policy(tmp_path / "若葉市_送信ルール_2.toml")
    assert not written.rules["openai"].allowed and not written.rules["azure"].allowed
    assert written.rules["compatible"].personal_data == "block"
    text = widget.outputs["text"].value
    assert "（OpenAI のサービス（標準の利用規約で使うもの）、Azure OpenAI Service（標準の利用規約で使うもの）を含む。）" in text
    assert "入力しない" in text


def test_a_blank_name_shows_what_to_fix_and_writes_nothing(tmp_path):
    widget = guideline_builder(tmp_path)
    widget.inputs["municipality"].value = "  "
    widget.buttons["make"].click()
    assert "団体名" in widget.outputs["saved"].value and widget.outputs["text"].value == ""
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.toml"))


def test_a_pair_keeps_one_number_when_one_file_of_an_earlier_pair_was_deleted(tmp_path):
    widget = guideline_builder(tmp_path)
    widget.buttons["make"].click()
    widget.buttons["make"].click()
    (tmp_path / "若葉市_送信ルール.toml").unlink()
    widget.inputs["effective"].value = "2027-04-01"
    widget.buttons["make"].click()
    assert (tmp_path / "若葉市_生成AI利用ガイドライン_3.docx").is_file() and (tmp_path / "若葉市_送信ルール_3.toml").is_file()
    assert "令和9年4月1日から施行する" in widget.outputs["text"].value
