"""Lesson 04's prompt playground: assembling the five elements, reviewing, sending, checking the reply."""

import pytest

from kenshu import review_prompt
from kenshu.lessons import prompt_playground
from kenshu.lessons.prompt_builder import (
    EXAMPLE,
    EXAMPLE_CONFIDENTIALITY,
    NOTES_LEFT_OUT,
    NOTHING_TO_COUNT,
    READ_IT_YOURSELF,
    assemble_prompt,
    check_against_request,
    run_playground,
)
from tests.support.openai_server import serve

SUMMARY = "以下の文章を{}要約してください。\n---\n本文です。"


def test_short_role_becomes_a_role_sentence():
    assert assemble_prompt(role="若葉市会計課の職員").startswith("あなたは若葉市会計課の職員です。")


def test_role_written_as_a_sentence_is_kept():
    assert assemble_prompt(role="あなたは広報担当です。") == "あなたは広報担当です。"
    assert assemble_prompt(role="広報担当です") == "あなたは広報担当です。"


def test_input_follows_a_separator_after_the_instructions():
    prompt = assemble_prompt(purpose="以下の文章を要約してください。", text="本文です。", output_format="3点で")
    assert prompt.splitlines() == ["以下の文章を要約してください。", "出力形式: 3点で", "---", "本文です。"]


def test_empty_fields_are_left_out():
    assert assemble_prompt(purpose="要約してください。", constraints="  ") == "要約してください。"


def test_example_prompt_meets_every_checklist_item():
    prompt = assemble_prompt(**EXAMPLE)
    assert "✗" not in review_prompt(prompt)


def test_run_playground_returns_prompt_review_reply_and_its_check():
    result = run_playground(EXAMPLE, confidentiality=EXAMPLE_CONFIDENTIALITY)
    assert result.prompt == assemble_prompt(**EXAMPLE)
    assert result.review == review_prompt(result.prompt)
    assert result.reply.strip() and "・" in result.reply  # the offline engine follows 「2点の箇条書き」
    assert result.check == check_against_request(result.prompt, result.reply)
    assert result.check.startswith("✓ 2点の箇条書き")


# ---------------------------------------------------------------- the reply against the request

@pytest.mark.parametrize(("words", "reply", "verdict"), [
    ("3点の箇条書きで", "・一つ目。\n・二つ目。\n・三つ目。", "✓ 3点の箇条書き: 返答の箇条書きは 3 点です。"),
    ("3点の箇条書きで", "・一つ目。\n・二つ目。\n・三つ目。\n・四つ目。\n・五つ目。", "✗ 3点の箇条書き: 返答の箇条書きは 5 点です。"),
    ("3点の箇条書きで", "一つ目。二つ目。三つ目。", "✗ 3点の箇条書き: 返答の箇条書きは 0 点です。"),
    ("3行で", "一行目です。\n二行目です。\n三行目です。", "✓ 3行: 返答は 3 行です。"),
    ("３行で", "一行目です。\n\n二行目です。", "✗ 3行: 返答は 2 行です。"),
])
def test_counts_of_points_and_lines_are_checked(words, reply, verdict):
    check = check_against_request(SUMMARY.format(words), reply)
    assert check.splitlines() == [verdict, READ_IT_YOURSELF]


def test_a_length_limit_is_checked_without_counting_line_breaks():
    prompt = SUMMARY.format("20字以内で")
    assert check_against_request(prompt, "あ" * 10 + "\n" + "い" * 10).startswith("✓ 20字以内: 返答は 20 字です。")
    assert check_against_request(prompt, "あ" * 21).startswith("✗ 20字以内: 返答は 21 字です（指定を超えています）。")


def test_the_engines_notes_are_not_counted_and_the_reader_is_told_so():
    reply = "・一つ目です。\n・二つ目です。\n\n※ 専門用語の言い換えはできないため、元の言葉のままです。"
    check = check_against_request(SUMMARY.format("2点の箇条書きで、20字以内で"), reply)
    assert check.splitlines() == ["✓ 2点の箇条書き: 返答の箇条書きは 2 点です。", "✓ 20字以内: 返答は 14 字です。",
                                  NOTES_LEFT_OUT, READ_IT_YOURSELF]


@pytest.mark.parametrize(("reply", "verdict"), [
    ("| 誤り | 対策 |\n|---|---|\n| 年度の誤り | （記載なし） |", "✓ 表: 返答は表になっています（中身は読んで確かめてください）。"),
    ("| 誤り | 備考 |\n|---|---|\n| 年度の誤り | なし |", "✗ 表: 表はありますが、「対策」の列がありません。"),
    ("・年度の誤り\n・前任者の未処理案件", "✗ 表: 返答に表がありません。"),
])
def test_a_table_and_its_columns_are_checked(reply, verdict):
    prompt = "以下の文章を要約してください。\n出力形式: 表（「誤り」と「対策」の2列）\n---\n本文です。"
    assert check_against_request(prompt, reply).splitlines()[0] == verdict


def test_a_number_of_sentences_is_checked():
    assert check_against_request(SUMMARY.format("2文で"), "一文目です。二文目です。三文目です。").startswith(
        "✗ 2文: 返答は 3 文です。")


def test_points_and_length_are_both_checked_and_style_is_left_to_the_reader():
    check = check_against_request(SUMMARY.format("2点の箇条書きで、50字以内、です・ます調で"), "・短い。\n・文。")
    assert check.splitlines() == ["✓ 2点の箇条書き: 返答の箇条書きは 2 点です。", "✓ 50字以内: 返答は 7 字です。",
                                  READ_IT_YOURSELF]
    assert "です・ます調" in READ_IT_YOURSELF


def test_a_request_with_nothing_to_count_says_to_read_the_reply():
    assert check_against_request(SUMMARY.format("です・ます調で"), "本文です。") == NOTHING_TO_COUNT
    assert "読んで" in NOTHING_TO_COUNT


def test_the_material_does_not_count_as_a_request():
    prompt = "以下の文章を要約してください。\n---\n説明会は3点の資料で、200字の案内を配ります。"
    assert check_against_request(prompt, "説明会の案内です。") == NOTHING_TO_COUNT


def test_a_reply_that_ignored_the_request_is_never_left_without_a_cross():
    """The checklist praises the prompt; the check next to it must still show what the reply ignored."""
    prompt = assemble_prompt(**{**EXAMPLE, "output_format": "3点の箇条書き"})
    assert "依頼文の要素はそろっています" in review_prompt(prompt)
    assert check_against_request(prompt, "・一つ目です。\n・二つ目です。").startswith("✗ 3点の箇条書き")


# ---------------------------------------------------------------- the declared 機密性 reaches the gate

def test_the_declared_confidentiality_is_sent_with_the_prompt(monkeypatch):
    with serve() as (url, behaviour):
        monkeypatch.setenv("KENSHU_BACKEND", "compatible")
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("KENSHU_MODEL", "kenshu-offline")
        refused = run_playground(EXAMPLE, confidentiality=3)     # compatible takes up to 機密性2
        assert refused.reply.startswith("⚠") and "機密性3" in refused.reply
        assert refused.check == "送信しなかったので、返答の確認はありません。"
        assert behaviour.bodies == []
        sent = run_playground(EXAMPLE, confidentiality=2)
        assert not sent.reply.startswith("⚠") and sent.check.startswith("✓")
        assert len([body for body in behaviour.bodies if "chat/completions" in body[1]]) == 1


def test_all_empty_fields_send_nothing_and_say_what_to_fill():
    result = run_playground({})
    assert result.prompt == "" and result.review == ""
    assert "目的・背景" in result.reply


def test_review_only_does_not_send():
    result = run_playground(EXAMPLE, send=False)
    assert result.reply == "" and result.review.startswith("✓ 役割")


def test_backend_errors_are_shown_in_japanese_instead_of_raised(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "openai")   # no API key is set
    result = run_playground(EXAMPLE)
    assert result.reply.startswith("⚠") and "APIキー" in result.reply
    assert result.check == "送信しなかったので、返答の確認はありません。"


def test_buttons_fill_send_and_clear_the_widget():
    widget = prompt_playground()
    assert widget.inputs["confidentiality"].value == 1
    widget.buttons["example"].click()
    assert widget.inputs["role"].value == EXAMPLE["role"]
    assert widget.inputs["confidentiality"].value == EXAMPLE_CONFIDENTIALITY == 2   # an internal manual
    widget.buttons["send"].click()
    assert widget.outputs["prompt"].value == assemble_prompt(**EXAMPLE)
    assert "6 項目中 6 項目" in widget.outputs["review"].value
    assert widget.outputs["reply"].value.strip()
    assert widget.outputs["check"].value == check_against_request(widget.outputs["prompt"].value,
                                                                   widget.outputs["reply"].value)
    widget.buttons["clear"].click()
    texts = [box for name, box in widget.inputs.items() if name != "confidentiality"]
    assert all(box.value == "" for box in [*texts, *widget.outputs.values()])
    assert widget.inputs["confidentiality"].value == 1


def test_the_widget_sends_with_the_chosen_confidentiality(monkeypatch):
    with serve() as (url, behaviour):
        monkeypatch.setenv("KENSHU_BACKEND", "compatible")
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("KENSHU_MODEL", "kenshu-offline")
        widget = prompt_playground()
        widget.buttons["example"].click()
        widget.inputs["confidentiality"].value = 3
        widget.buttons["send"].click()
        assert widget.outputs["reply"].value.startswith("⚠") and behaviour.bodies == []
