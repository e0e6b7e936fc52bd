"""Lesson 00's ask box: type a prompt, click 送信, read the reply (or a Japanese message)."""

import html
import re
from pathlib import Path

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


def test_the_box_starts_with_the_example_and_send_sends_it_as_is():
    example = "防災訓練（10月3日 10時、本庁舎）のお知らせを3行で書いてください。"
    box = ask_box(example=example)
    assert box.inputs["prompt"].value == example
    box.buttons["send"].click()
    assert box.outputs["reply"].value == reply_html(example) and "⚠" not in box.outputs["reply"].value


def test_the_course_table_lists_exactly_the_lessons_and_exercises_the_kit_has():
    import nbformat

    root = Path(__file__).resolve().parents[2]
    lesson = nbformat.read(root / "course" / "00_orientation.ipynb", as_version=4)
    [section] = [cell.source for cell in lesson.cells if cell.source.startswith("## 2.")]
    rows = [line for line in section.splitlines() if line.startswith("|") and not line.startswith("|---")][1:]
    assert [re.match(r"\| (\d\d) ", row) is not None for row in rows] == [True] * len(rows), rows
    assert {row[2:4] for row in rows} == {path.name[:2] for path in (root / "course").glob("[0-9][0-9]_*.ipynb")}
    for folder in re.findall(r"`exercises/(\w+)/", section):
        assert (root / "exercises" / folder).is_dir(), folder


def test_the_lessons_example_gives_three_lines_with_the_given_date_and_place():
    # section 5 says so; the widget's output is not stored, so nbval cannot see it
    import nbformat

    root = Path(__file__).resolve().parents[2]
    lesson = nbformat.read(root / "course" / "00_orientation.ipynb", as_version=4)
    [source] = [cell.source for cell in lesson.cells if "ask_box(example=" in cell.source]
    example = re.search(r'ask_box\(example="([^"]+)"\)', source).group(1)
    box = ask_box(example=example)
    box.buttons["send"].click()
    text = html.unescape(re.sub("<[^>]+>", "", box.outputs["reply"].value))
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 3 and "10月3日 10時" in text and "本庁舎" in text and "【要確認】" not in text, text
