"""Lesson 07's scene translator: the approach per scene, the checklist from the data, the number check."""

import pytest

from kenshu import datasets
from kenshu.errors import KenshuError, RequestTimeoutError
from kenshu.lessons import scene_translator
from kenshu.lessons.scene_translation import (
    SCENES,
    approach,
    checklist,
    missing_numbers,
    number_check,
    original,
    quantities,
    request_for,
    run_scene,
)


def test_each_scene_has_the_approach_of_the_seed_minutes():
    assert [approach(name).code for name in ("press", "tourism", "disaster")] == ["A", "B", "C"]


def test_original_is_the_japanese_text_without_the_advice_or_the_length_note():
    text = original("disaster")
    assert text.startswith("【警戒レベル4】避難指示　若葉市")
    assert "川や用水路には近づかないでください。" in text
    assert "場面ごとの注意" not in text and "本文 約" not in text and "#" not in text


def test_checklist_is_read_from_the_scene_file():
    items = checklist("disaster")
    raw = datasets.translation_scene("disaster")
    assert len(items) == raw.count("- [ ] ") == 7
    assert any("否定" in item for item in items)
    assert all(item in raw for item in items)


def test_unknown_scene_or_language_is_a_japanese_error():
    with pytest.raises(KenshuError, match="press"):
        original("council")
    with pytest.raises(KenshuError, match="en"):
        request_for("press", "fr")


def test_request_names_the_scene_and_the_language_or_asks_for_easy_japanese():
    assert request_for("tourism", "zh").startswith("次の観光客向けの観光案内を中国語（簡体字）に翻訳してください。\n---\n")
    assert request_for("disaster", "easy").startswith("次の文章を、やさしい日本語に書き換えてください。")


def test_offline_reply_says_it_cannot_translate_and_gives_the_scene_advice():
    result = run_scene("tourism", "en")
    assert "翻訳できません" in result.reply
    assert "観光案内" in result.reply
    assert result.approach.code == "B" and result.checklist == tuple(checklist("tourism"))
    assert result.checklist_text().count("□") == len(result.checklist)


def test_an_error_from_the_backend_becomes_the_reply_text():
    def slow(prompt, **options):
        raise RequestTimeoutError("60 秒待っても返答がありませんでした。", todo="KENSHU_TIMEOUT を長くしてください。")

    result = run_scene("press", "ko", ask=slow)
    assert result.reply.startswith("⚠ ") and "KENSHU_TIMEOUT" in result.reply


def test_request_is_sent_with_the_declared_confidentiality():
    seen = {}

    def record(prompt, **options):
        seen.update(options, prompt=prompt)
        return "ok"

    run_scene("disaster", "en", ask=record)
    assert seen["confidentiality"] == 1 and "若葉川" in seen["prompt"]


# ---------------------------------------------------------------- numbers

@pytest.mark.parametrize(("text", "values"), [
    ("約2億4,000万円", [240_000_000]),
    ("およそ1万1,000世帯", [11_000]),
    ("約3,200世帯", [3_200]),
    ("およそ7割", [0.7]),
    ("about 70% of staff", [0.7]),
    ("240 million yen", [240_000_000]),
    ("１８歳", [18]),
    ("11月9日の午前9時、15:20", []),
])
def test_quantities_read_japanese_and_english_figures(text, values):
    assert quantities(text) == pytest.approx(values)


def test_a_wrong_place_value_is_reported_and_a_faithful_translation_is_not():
    source = "必要な経費は約2億4,000万円です。対象はおよそ1万1,000世帯です。"
    assert missing_numbers(source, "The cost is about 240 million yen, for about 11,000 households.") == []
    assert missing_numbers(source, "The cost is about 24 million yen, for about 11,000 households.") == [240_000_000]
    assert number_check(source, "It costs 24 million yen for 11,000 households.").startswith("✗")
    assert "240,000,000" in number_check(source, "It costs 24 million yen for 11,000 households.")


def test_a_number_that_occurs_twice_must_occur_twice():
    assert missing_numbers("大人500円、子ども500円", "adults 500 yen, children free") == [500]


def test_all_numbers_present_is_no_praise_of_the_translation():
    verdict = number_check("約300人", "300 staff")
    assert verdict.startswith("✓") and "読んで確かめて" in verdict


# ---------------------------------------------------------------- the widget

def test_widget_shows_approach_reply_and_checklist_for_the_chosen_scene():
    box = scene_translator()
    assert [value for _, value in box.inputs["scene"].options] == list(SCENES)
    box.inputs["scene"].value = "disaster"
    box.inputs["language"].value = "easy"
    box.buttons["run"].click()
    assert box.outputs["approach"].value.startswith("C: ")
    assert box.outputs["request"].value.startswith("次の文章を、やさしい日本語に書き換えてください。")
    assert box.outputs["reply"].value.strip()
    assert box.outputs["checklist"].value.count("□") == 7
