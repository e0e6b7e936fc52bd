"""Lesson 13's widget: a case filled in and sent with its 機密性, never to a backend the case does not allow."""

from __future__ import annotations

import pytest

from kenshu.cases import load_catalogue
from kenshu.errors import KenshuError
from kenshu.lessons import case_picker
from kenshu.lessons.case_runner import send_case
from tests.support.cases import CASE, variant, write


def catalogue(tmp_path):
    write(tmp_path, CASE)
    write(tmp_path, variant(id="AB-002", title="住民への回答案", data__confidentiality=2,
                            data__backends=["offline", "compatible"]))
    return load_catalogue(tmp_path)


def test_the_prompt_starts_filled_with_the_examples_and_follows_the_fields(tmp_path):
    widget = case_picker(catalogue(tmp_path))
    assert "庁内DX推進会議" in widget.outputs["prompt"].value
    meeting = widget.inputs["fields"].children[0]
    meeting.value = "防災会議"
    assert "防災会議の開催通知" in widget.outputs["prompt"].value


def test_sending_uses_the_cases_confidentiality_and_shows_the_checklist(tmp_path):
    sent = []
    widget = case_picker(catalogue(tmp_path), ask=lambda text, **options: sent.append((text, options)) or "下書きです。")
    widget.inputs["case"].value = "AB-002"
    widget.buttons["send"].click()
    assert sent[0][1]["confidentiality"] == 2 and "庁内DX推進会議" in sent[0][0]
    assert "下書きです。" in widget.outputs["answer"].value
    assert "日時と場所が正しいか" in widget.outputs["checks"].value and "曜日を間違える" in widget.outputs["checks"].value


def test_an_empty_field_is_not_sent(tmp_path):
    sent = []
    widget = case_picker(catalogue(tmp_path), ask=lambda text, **options: sent.append(text) or "x")
    widget.inputs["fields"].children[1].value = " "
    widget.buttons["send"].click()
    assert not sent and "すべて埋まって" in widget.outputs["answer"].value


def test_a_backend_the_case_does_not_allow_is_refused_before_anything_is_sent(tmp_path):
    sent = []
    case = catalogue(tmp_path).get("AB-002")
    with pytest.raises(KenshuError) as caught:
        send_case(case, {}, backend="openai", ask=lambda *a, **k: sent.append(a) or "x")
    assert "送らない事例です" in caught.value.what and "offline・compatible" in caught.value.what
    assert not sent


def test_the_offline_engine_answers_a_case_through_the_gate(tmp_path):
    widget = case_picker(catalogue(tmp_path))
    widget.buttons["send"].click()
    assert "<b>答え</b>" in widget.outputs["answer"].value
