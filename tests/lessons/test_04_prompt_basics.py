"""Lesson 04's prompt playground: assembling the five elements, reviewing, sending."""

from kenshu import review_prompt
from kenshu.lessons import prompt_playground
from kenshu.lessons.prompt_builder import EXAMPLE, assemble_prompt, run_playground


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


def test_run_playground_returns_prompt_review_and_reply():
    result = run_playground(EXAMPLE)
    assert result.prompt == assemble_prompt(**EXAMPLE)
    assert result.review == review_prompt(result.prompt)
    assert result.reply.strip() and "・" in result.reply  # the offline engine follows 「2点の箇条書き」


def test_all_empty_fields_send_nothing_and_say_what_to_fill():
    result = run_playground({})
    assert result.prompt == "" and result.review == ""
    assert "目的・背景" in result.reply


def test_review_only_does_not_send():
    result = run_playground(EXAMPLE, send=False)
    assert result.reply == "" and result.review.startswith("✓ 役割")


def test_backend_errors_are_shown_in_japanese_instead_of_raised(monkeypatch):
    from kenshu.errors import KenshuError
    from kenshu.lessons import prompt_builder as playground

    def failing_ask(prompt):
        raise KenshuError("接続できませんでした。")

    monkeypatch.setattr(playground, "ask", failing_ask)
    result = run_playground(EXAMPLE)
    assert result.reply.startswith("⚠") and "接続できませんでした" in result.reply


def test_buttons_fill_send_and_clear_the_widget():
    widget = prompt_playground()
    widget.buttons["example"].click()
    assert widget.inputs["role"].value == EXAMPLE["role"]
    widget.buttons["send"].click()
    assert widget.outputs["prompt"].value == assemble_prompt(**EXAMPLE)
    assert "6 項目中 6 項目" in widget.outputs["review"].value
    assert widget.outputs["reply"].value.strip()
    widget.buttons["clear"].click()
    assert all(box.value == "" for box in [*widget.inputs.values(), *widget.outputs.values()])
