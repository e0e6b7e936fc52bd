"""Lesson 01: the character n-gram model and its no-code explorer."""

import math

import pytest

from kenshu.lessons import ngram, ngram_explorer
from kenshu.lessons.next_token import MATERIALS, explore, render


@pytest.fixture(scope="module")
def current_model():
    return ngram.train(ngram.manual_texts(), order=4)


@pytest.fixture(scope="module")
def old_model():
    return ngram.train(ngram.manual_texts(before="2025-04-01"), order=4)


def test_counts_follow_the_training_text():
    model = ngram.train("あいうあいえ", order=2)
    assert model.counts["あい"] == {"う": 1, "え": 1}
    assert model.counts["い"] == {"う": 1, "え": 1}
    assert model.counts[""]["あ"] == 2
    assert model.characters == 6


def test_unseen_context_backs_off_to_the_longest_seen_ending():
    model = ngram.train("あいうえお", order=3)
    assert model.context_for("んんいう") == "いう"
    assert model.context_for("ん") == ""


def test_probabilities_sum_to_one_and_come_most_likely_first():
    model = ngram.train("あい。あい。あう。", order=1)
    probabilities = ngram.next_char_probabilities(model, "あ")
    assert list(probabilities) == ["い", "う"]
    assert probabilities["い"] == pytest.approx(2 / 3)
    assert math.fsum(probabilities.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("temperature, expected", [
    (1.0, {"a": 0.75, "b": 0.25}),
    (0.5, {"a": 0.9, "b": 0.1}),
    (2.0, {"a": math.sqrt(3) / (math.sqrt(3) + 1), "b": 1 / (math.sqrt(3) + 1)}),
    (0.0, {"a": 1.0, "b": 0.0}),
])
def test_temperature_sharpens_or_flattens_the_distribution(temperature, expected):
    result = ngram.apply_temperature({"a": 3, "b": 1}, temperature)
    assert result == pytest.approx(expected)


def test_temperature_zero_shares_a_tie_and_keeps_zero_weights():
    assert ngram.apply_temperature({"a": 2, "b": 2, "c": 0}, 0) == {"a": 0.5, "b": 0.5, "c": 0.0}
    assert ngram.apply_temperature({"a": 2, "c": 0}, 1.5)["c"] == 0.0


def test_tiny_temperature_does_not_overflow():
    result = ngram.apply_temperature({"a": 0.6, "b": 0.4}, 0.001)
    assert result["a"] == pytest.approx(1.0)


def test_negative_temperature_is_refused():
    with pytest.raises(ValueError):
        ngram.apply_temperature({"a": 1}, -1)


def test_same_seed_gives_the_same_text_and_other_seeds_differ(current_model):
    runs = [ngram.generate(current_model, "請求書は", temperature=1.0, seed=seed) for seed in (0, 0, 1, 2)]
    assert runs[0] == runs[1]
    assert len(set(runs)) > 1


def test_generation_stops_at_a_full_stop_and_leaves_out_a_line_break():
    model = ngram.train("あいう。\nあいう。\n", order=2)
    assert ngram.generate(model, "あ", temperature=0) == "いう。"
    assert ngram.generate(model, "あ", temperature=0, stop="\n") == "いう。"


def test_continuation_never_ends_before_it_has_written_text():
    model = ngram.train("見出し\n本文です。\n見出し\n本文です。\n", order=2)
    for temperature, seed in ((0, 0), (1.0, 0), (1.0, 1), (2.0, 2)):
        continuation = ngram.generate(model, "見出し", temperature=temperature, seed=seed)
        assert continuation and continuation[0] not in "。\n"


def test_continuation_that_was_fine_is_unchanged_by_the_first_character_rule(current_model):
    # seed 1 draws 「の」 first, so the rule for a first stop character does not come into play
    assert ngram.generate(current_model, "支出負担行為", temperature=1.0, seed=1).startswith("の金額・相手方")


def test_model_trained_before_the_revision_repeats_the_old_limit(old_model, current_model):
    prefix = "財産の買入れ（物品購入）："
    assert ngram.generate(old_model, prefix, temperature=0).startswith("80万円")
    assert ngram.generate(current_model, prefix, temperature=0).startswith("150万円")


def test_old_manual_holds_the_superseded_section_and_not_its_replacement():
    old = "\n".join(ngram.manual_texts(before="2025-04-01"))
    new = "\n".join(ngram.manual_texts())
    assert "改正前" not in old and "130万円" in old
    assert "改正前 80万円" in new and "：80万円\n- 物件の借入れ：40万円" not in new


def test_fluent_sentence_is_not_in_the_manual(current_model):
    texts = ngram.manual_texts()
    sentence = "概算払は" + ngram.generate(current_model, "概算払は", temperature=1.0, seed=0)
    assert sentence.endswith("。")
    assert not ngram.seen_in(texts, sentence)
    assert ngram.seen_in(texts, "年度内に精算できるよう計画する")


def test_top_candidates_table_shows_line_breaks_as_words():
    model = ngram.train("あ\nあ\nあい", order=1)
    table = ngram.top_candidates(model, "あ", k=5)
    assert list(table.columns) == ["次の文字", "確率", "回数"]
    assert table["次の文字"].tolist() == ["（改行）", "い"]


def test_top_candidates_at_temperature_zero_lists_only_the_choice():
    model = ngram.train("あい。あい。あう。", order=1)
    assert ngram.top_candidates(model, "あ", temperature=0)["次の文字"].tolist() == ["い"]


def test_explore_returns_candidates_and_a_continuation(current_model):
    result = explore(current_model, "支出負担", temperature=0)
    assert result.context == "支出負担"
    assert result.candidates == [("行", 1.0)]
    assert result.continuation.startswith("行")
    page = render(result)
    assert "100.0%" in page and "支出負担" in page


def test_render_escapes_what_the_learner_typed(current_model):
    page = render(explore(current_model, "<b>", temperature=0))
    assert "<b><" not in page and "&lt;b&gt;" in page


def test_explorer_button_shows_the_old_limit_for_the_old_manual():
    explorer = ngram_explorer()
    explorer.inputs["material"].value = list(MATERIALS)[1]
    explorer.inputs["prefix"].value = "財産の買入れ（物品購入）："
    explorer.inputs["temperature"].value = 0.0
    explorer.buttons["predict"].click()
    result = explorer.outputs["result"]
    assert "80万円" in result.value and "150万円" not in result.value
    explorer.inputs["material"].value = list(MATERIALS)[0]
    explorer.buttons["predict"].click()
    assert "150万円" in result.value


def test_explorer_seed_changes_the_sampled_continuation():
    explorer = ngram_explorer(prefix="請求書は")
    shown = set()
    for seed in (0, 1, 2, 3):
        explorer.inputs["seed"].value = seed
        explorer.buttons["predict"].click()
        shown.add(explorer.outputs["result"].value)
    assert len(shown) > 1


def test_explorer_first_click_shows_several_candidates_and_a_continuation():
    explorer = ngram_explorer()
    explorer.buttons["predict"].click()
    page = explorer.outputs["result"].value
    assert page.count("<tr><td") >= 3
    written = page.split("続けて書いた文: <b>支出負担行為</b>", 1)[1].split("</p>", 1)[0]
    assert written.strip()


def test_explorer_shows_a_continuation_for_every_seed(current_model):
    for seed in range(20):
        assert explore(current_model, "支出負担行為", temperature=1.0, seed=seed).continuation


def test_explorer_with_empty_prefix_asks_for_one():
    explorer = ngram_explorer()
    explorer.inputs["prefix"].value = ""
    explorer.buttons["predict"].click()
    assert "空です" in explorer.outputs["result"].value
