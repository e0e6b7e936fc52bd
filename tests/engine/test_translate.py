"""The translate task: says it cannot translate, lists set phrases, and advises on the scene."""

import random

import pytest

from kenshu.engine.coach import HEADER
from kenshu.engine.prompt import parse
from kenshu.engine.tasks import translate
from kenshu.engine.tasks.translate import find_phrases, phrasebook, target_languages

DISASTER = ("川辺市に避難指示を発令しました。直ちに避難してください。"
            "指定避難所は川辺小学校です。給水所は市役所前に開設しています。")


def ask(user: str, system: str | None = None, rng: random.Random | None = None) -> str:
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]
    return translate.run(parse(messages, rng))


def test_reply_says_plainly_that_translation_needs_a_real_model_and_a_human_check():
    reply = ask(f"次の文章を英語に翻訳してください。\n\n{DISASTER}")
    lines = reply.splitlines()
    assert lines[0] == HEADER
    assert "翻訳できません" in lines[1] and "実際の生成AIのモデルが必要" in lines[1]
    assert "人が確認してください" in lines[1]
    assert "Evacuate immediately." in reply  # a listed set phrase, not a translation of the text
    assert "Kawabe" not in reply


def test_phrases_are_listed_in_order_of_appearance_longest_match_first():
    reply = ask(f"次の文章を英語に翻訳してください。\n\n{DISASTER}")
    listed = [line for line in reply.splitlines() if line.startswith("- ")]
    assert listed == [
        "- 避難指示 → Evacuation Order",
        "- 直ちに避難してください → Evacuate immediately.",
        "- 指定避難所 → designated evacuation shelter",
        "- 給水所 → water distribution point",
        "- 市役所 → City Hall",
    ]


def test_several_languages_are_shown_side_by_side():
    reply = ask("以下の案内を中国語と韓国語に訳してください。\n\n"
                "受付時間は午前9時から午後5時まで（土日祝日を除く）です。")
    assert "- 受付時間 → 中国語（簡体字）: 受理时间 ／ 韓国語: 접수 시간" in reply
    assert ("- 土日祝日を除く → 中国語（簡体字）: 周六、周日及法定节假日除外 ／ 韓国語: 토·일요일 및 공휴일 제외"
            in reply)
    assert "英語" not in reply.split("\n\n", 2)[1]


@pytest.mark.parametrize(("request_text", "languages"), [
    ("英語に翻訳して", ["en"]), ("中国語にして", ["zh"]), ("韓国語と英語に訳して", ["en", "ko"]),
    ("多言語に翻訳して", ["en", "zh", "ko", "easy"]), ("翻訳してください", ["en"]),
])
def test_target_languages_come_from_the_request(request_text, languages):
    assert target_languages(request_text) == languages


def test_spelling_variants_and_half_width_katakana_are_found():
    found = find_phrases("ゴミの分別にご協力ください。ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞをお持ちください。")
    assert [phrase.ja for _, phrase in found] == ["ごみの分別", "マイナンバーカード"]
    reply = ask("英語に訳してください。\n\nゴミの分別にご協力ください。")
    assert "- ゴミの分別（ごみの分別） → sorting of garbage" in reply


def test_no_glossary_phrase_is_said_plainly():
    reply = ask("市長の記者会見の発言を英語に翻訳してください。\n\n本日、新しい子育て支援策を発表します。")
    assert "定型語句が見つかりませんでした" in reply
    assert "- " not in reply


def test_empty_material_asks_for_the_text():
    assert "翻訳したい文章が見当たりません" in ask("英語に翻訳してください。")


@pytest.mark.parametrize(("request_text", "scene", "advice"), [
    ("市長の記者会見の発言を英語にしてください。", "市長の記者会見", "そのまま翻訳して構いません"),
    ("観光客向けの案内を英語に翻訳してください。", "観光案内", "文化的な背景"),
    ("災害時の避難の呼びかけを英語に翻訳してください。", "災害情報", "やさしい日本語"),
])
def test_scene_notes_follow_the_request(request_text, scene, advice):
    reply = ask(f"{request_text}\n\n避難所は市役所の隣です。")
    assert f"【{scene}の翻訳で気をつけること】" in reply
    assert advice in reply


def test_disaster_note_asks_for_short_imperative_consistent_wording():
    reply = ask(f"災害情報を英語に翻訳してください。\n\n{DISASTER}")
    assert "短い文と命令形" in reply and "同じ用語" in reply


def test_no_scene_note_without_a_scene_in_the_request():
    assert "気をつけること" not in ask("次の文を英語にしてください。\n\n住民票は窓口で受け付けます。")


def test_phrasebook_loads_with_enough_entries_and_is_cached():
    phrases = phrasebook()
    assert len(phrases) >= 80
    assert phrasebook() is phrases
    assert all("en" in phrase.renderings for phrase in phrases)
    assert sum("zh" in phrase.renderings and "ko" in phrase.renderings for phrase in phrases) >= 40
    assert sum("easy" in phrase.renderings for phrase in phrases) >= 20
    required = {"避難所", "避難指示", "高齢者等避難", "給水所", "受付時間", "窓口", "市役所", "住民票", "転入届",
                "お問い合わせ", "土日祝日を除く", "ごみの分別", "燃えるごみ"}
    assert required <= {phrase.ja for phrase in phrases}


def test_translate_is_deterministic():
    prompt = f"次の文章を英語に翻訳してください。\n\n{DISASTER}"
    assert ask(prompt) == ask(prompt) == ask(prompt, rng=random.Random(3))


def test_very_long_text_lists_each_phrase_once():
    reply = ask("英語に翻訳してください。\n\n" + DISASTER * 200)
    assert reply.count("- 避難指示") == 1


# fixed sentences (定型文) for disaster information

DISASTER_REQUEST = "次の避難指示（災害情報）を英語に翻訳してください。\n---\n"


def test_disaster_sentences_in_the_table_take_its_rendering_with_the_original_names_in_the_slots():
    reply = ask(DISASTER_REQUEST + "避難所：若葉市立 港小学校 体育館\n川や用水路には近づかないでください。")
    assert "→ Evacuation shelters: 若葉市立 港小学校 体育館" in reply
    assert "→ Do not go near rivers or irrigation channels." in reply
    assert "定型文 D04" in reply and "用語集の表記に置き換えてください" in reply
    assert "2文のうち2文が定型文でした" in reply


def test_a_sentence_not_in_the_table_is_marked_untranslated_never_invented():
    # the negation is gone: not the fixed sentence D06, so it must not get D06's rendering
    reply = ask(DISASTER_REQUEST + "川や用水路に近づいてください。\n給水車は明日の朝に来ます。")
    assert reply.count("→ 【未翻訳】") == 2
    assert "Do not go near" not in reply
    assert "2文のうち0文が定型文でした" in reply


def test_every_language_of_the_table_is_given_when_asked():
    reply = ask("次の災害情報を中国語と韓国語に翻訳してください。\n---\n明るいうちに避難してください。")
    assert "中国語（簡体字）: 请趁天亮时避难。" in reply
    assert "韓国語: 밝을 때 피난해 주십시오." in reply


def test_the_whole_disaster_scene_is_split_into_sentences_and_only_two_are_left_to_a_person():
    from kenshu.lessons.scene_translation import original

    reply = ask(DISASTER_REQUEST + original("disaster"))
    assert "17文のうち15文が定型文でした" in reply
    assert reply.count("→ 【未翻訳】") == 2


def test_the_table_has_the_same_slots_in_every_language():
    import re

    from kenshu import datasets

    for row in datasets.disaster_phrases().itertuples():
        slots = sorted(re.findall(r"\{[^}]+\}", row.ja))
        assert all(sorted(re.findall(r"\{[^}]+\}", getattr(row, code))) == slots for code in ("en", "zh", "ko")), row.id


def test_without_a_disaster_scene_the_phrase_list_is_kept():
    reply = ask("次の文章を英語に翻訳してください。\n\n" + DISASTER)
    assert "定型文の表" not in reply and "Evacuate immediately." in reply
