"""Lesson 00's ask box: type a prompt, click 送信, read the reply (or a Japanese message)."""

import re

from kenshu.errors import RequestTimeoutError
from kenshu.lessons import ask_box
from kenshu.lessons.orientation import EMPTY_PROMPT, reply_html


def test_reply_is_shown_escaped():
    page = reply_html("要約して", ask=lambda prompt: "<b>太字</b> & 続き")
    assert "&lt;b&gt;太字&lt;/b&gt; &amp; 続き" in page and "<b>" not in page


def test_empty_prompt_is_not_sent():
    sent = []
    page = reply_html("  \n", ask=sent.append)
    assert sent == [] and EMPTY_PROMPT in page


def test_a_kenshu_error_becomes_the_japanese_error_box():
    def slow(prompt):
        raise RequestTimeoutError("60 秒待っても返答がありませんでした。", todo="KENSHU_TIMEOUT を長くしてください。")

    page = reply_html("こんにちは", ask=slow)
    assert "⚠ 応答が時間内に返りませんでした" in page and "対処: KENSHU_TIMEOUT を長くしてください。" in page


def test_send_shows_the_offline_reply_and_clear_empties_both_boxes():
    box = ask_box()
    box.inputs["prompt"].value = "出納整理期間とは何ですか。"
    box.buttons["send"].click()
    shown = box.outputs["reply"].value
    assert re.sub("<[^>]+>", "", shown).strip()
    assert EMPTY_PROMPT not in shown and "⚠" not in shown
    box.buttons["clear"].click()
    assert box.inputs["prompt"].value == "" and box.outputs["reply"].value == ""


def test_send_with_an_empty_box_asks_for_a_prompt():
    box = ask_box()
    box.buttons["send"].click()
    assert EMPTY_PROMPT in box.outputs["reply"].value
