"""The one masker: every occurrence masked, hand-written placeholders never reused or unmasked."""

from __future__ import annotations

import re

import pytest

from kenshu.safety import Masker, find_pii, find_pii_in, mask, mask_all

ISSUE_TEXT = "山田太郎様から電話があった。折り返し先メモ: 山田太郎 宛て。［氏名1］は記入例です。"

# texts that once masked differently in mask() and in the gate
TRICKY = {
    "repeat_without_cue": ISSUE_TEXT,
    "repeat_in_a_list": "申請者: 佐藤花子様（090-1234-5678）\n連絡先: 090-1234-5678\n確認者メモ: 佐藤花子 不在",
    "hand_written_placeholders": "記入例の［氏名1］と［電話番号2］は置き換えない。本件は鈴木一郎様（03-1234-5678）。",
    "ascii_placeholder": "[氏名1]は例。山田太郎様が来庁。",
    "overlapping_kinds": "〒123-4567 若葉市緑町1丁目2番3号 山田太郎様 yamada@example.jp 個人番号 123456789018",
    "two_people": "山田太郎様と佐藤花子様。山田太郎様は再来庁、佐藤花子様は電話。",
    "public_identifier": "法人番号 7000012050002 の株式会社 若葉商事、担当 山田太郎様",
}


def test_the_issue_text_masks_both_names_and_keeps_the_example_placeholder():
    masked = mask(ISSUE_TEXT)
    assert "山田太郎" not in masked.text
    assert masked.text.count("［氏名2］") == 2 and "［氏名1］は記入例" in masked.text
    assert masked.unmask(masked.text) == ISSUE_TEXT
    assert masked.unmask("［氏名1］は記入例") == "［氏名1］は記入例"


@pytest.mark.parametrize("name", list(TRICKY))
def test_no_detected_value_is_left_in_the_masked_text(name):
    text = TRICKY[name]
    masked = mask(text)
    for span in masked.spans:
        assert span.text not in masked.text
    assert masked.unmask(masked.text) == text


@pytest.mark.parametrize("name", list(TRICKY))
def test_placeholders_written_in_the_text_are_never_in_the_mapping(name):
    text = TRICKY[name]
    written = set(re.findall(r"[［\[][^［］\[\]\d]{2,8}\d{1,4}[］\]]", text))
    masked = mask(text)
    assert not written & set(masked.mapping)
    assert not {w.replace("[", "［").replace("]", "］") for w in written} & set(masked.mapping)


def test_a_value_found_once_is_found_at_every_occurrence():
    spans = find_pii("山田太郎様が来庁した。山田太郎は書類を忘れた。")
    assert [s.text for s in spans if s.kind == "person_name"] == ["山田太郎", "山田太郎"]


def test_a_value_in_one_message_is_found_in_the_others_of_the_same_call():
    first, second = find_pii_in(["山田太郎様から電話", '{"who": "山田太郎"}'])
    assert [s.text for s in second] == ["山田太郎"] and second[0].kind == "person_name"


def test_a_one_character_value_is_not_spread_to_ordinary_words(monkeypatch):
    from kenshu.safety import detect
    from kenshu.safety.spans import Span

    def one_character_name(text, folded):
        index = text.find("林様")
        return [Span(index, index + 1, "person_name", "林")] if index >= 0 else []

    monkeypatch.setattr(detect, "DETECTORS", (one_character_name,))
    spans = find_pii("林様から電話。林業の話。")
    assert [(s.start, s.text) for s in spans] == [(0, "林")]


def test_one_numbering_across_the_texts_of_a_conversation():
    texts = ["山田太郎様の件", "山田太郎様に折り返し。佐藤花子様も同席。"]
    masked, masker = mask_all(texts)
    assert masked == ["［氏名1］様の件", "［氏名1］様に折り返し。［氏名2］様も同席。"]
    assert masker.unmask("［氏名2］と［氏名1］") == "佐藤花子と山田太郎"


def test_a_mapping_from_an_earlier_call_continues_the_numbering():
    first = mask("山田太郎様")
    second = mask("佐藤花子様と山田太郎様", mapping=dict(first.mapping))
    assert second.text == "［氏名2］様と［氏名1］様"


def test_unmask_json_escapes_the_original():
    masker = Masker(mapping={"［氏名1］": 'O"Brien'})
    assert masker.unmask_json('{"a": "［氏名1］"}') == '{"a": "O\\"Brien"}'


def test_hide_known_replaces_an_echoed_original():
    _, masker = mask_all(["山田太郎様"])
    assert masker.hide_known("返答: 山田太郎さん") == "返答: ［氏名1］さん"


def test_only_the_chosen_kinds_are_masked():
    masked = mask("山田太郎様 090-1234-5678", kinds=["phone"])
    assert masked.text == "山田太郎様 ［電話番号1］"
    assert [s.kind for s in masked.spans] == ["phone"]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Masker(["shoe_size"])
