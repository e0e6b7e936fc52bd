"""The rewrite task: やさしい日本語, です・ます ⇄ である, and length limits, by rule."""

import random

import pytest

from kenshu.engine.japanese.conjugation import verb_from_dictionary
from kenshu.engine.japanese.glossary import plain_glossary
from kenshu.engine.japanese.length import reader_length
from kenshu.engine.japanese.plain import PLAIN_SENTENCE_LENGTH
from kenshu.engine.japanese.style import plain_ending, polite_ending
from kenshu.engine.notes import body_of, split_notes
from kenshu.engine.prompt import parse
from kenshu.engine.tasks import rewrite

NOTICE = (
    "申請書は、所定の様式に必要事項を記入の上、令和7年4月30日までに市民課窓口へ速やかに提出してください。\n"
    "なお、市内に居住している方で、65歳以上の方については、手数料1,500円が免除となりますので、"
    "申請の際に本人確認書類を持参してください。\n"
    "大雨により避難指示が発令された場合は、直ちに最寄りの避難所へ避難してください。\n"
    "ご不便をおかけしますが、ご理解とご協力をお願いいたします。"
)


def ask(user: str, system: str | None = None, rng: random.Random | None = None) -> str:
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]
    return rewrite.run(parse(messages, rng))


def plain(text: str) -> str:
    return ask(f"次の文章をやさしい日本語に書き換えてください。\n\n{text}")


# ---------------------------------------------------------------- やさしい日本語

def test_plain_japanese_replaces_hard_words_and_keeps_dates():
    reply = plain(NOTICE)
    for hard in ("速やかに", "提出して", "所定の", "記入", "居住", "直ちに", "持参"):
        assert hard not in reply
    for easy in ("すぐに", "出してください", "決まった", "書いて", "住んでいる", "持って来てください"):
        assert easy in reply
    for kept in ("令和7年4月30日", "65歳", "1,500円", "市民課窓口"):
        assert kept in reply


@pytest.mark.parametrize(("hard", "easy"), [
    ("書類を提出してください。", "書類を出してください。"),
    ("申込書にご記入ください。", "申込書に書いてください。"),
    ("窓口で申請できます。", "窓口で申し込めます。"),
    ("すぐに避難してください。", "すぐに逃げてください。"),
    ("証明書を交付します。", "証明書を渡します。"),
    ("控えを保管してください。", "コピーを保管してください。"),
    ("至急ご連絡ください。", "急いでご連絡ください。"),
    ("記載されている内容を確認してください。", "書かれている内容を確かめてください。"),
    ("持ち込みは不可です。", "持ち込みはできません。"),
    ("外出を控えてください。", "外出をしないでください。"),
])
def test_plain_japanese_conjugates_glossary_words(hard, easy):
    assert plain(hard) == easy


def test_plain_japanese_splits_long_sentences_at_clause_boundaries():
    reply = plain("窓口は大変混雑することが予想されますので、時間に余裕をもってお越しいただくようお願いします。")
    first, second = reply.splitlines()
    assert first == "窓口は大変混むことが予想されます。"
    assert second.startswith("ですから、")
    long_clause = plain("市では毎年この時期に防災訓練を実施していますが、今年は会場を市民体育館に変更して行います。")
    assert long_clause.splitlines() == [
        "市では毎年この時期に防災訓練をしています。", "でも、今年は会場を市民体育館に変えて行います。"]


def test_plain_japanese_turns_a_request_after_kara_into_two_requests():
    lines = plain("申請書に必要事項を記入の上、令和7年4月30日までに市民課窓口へ提出してください。").splitlines()
    assert lines == ["申込書に必要なことを書いてください。",
                     "それから、令和7年4月30日までに市民課窓口へ出してください。"]


def test_plain_japanese_keeps_a_short_polite_preface_whole():
    assert plain("ご不便をおかけしますが、ご理解とご協力をお願いいたします。") == \
        "ご不便をおかけしますが、ご理解とご協力をお願いします。"


def test_plain_japanese_sentences_are_short_and_one_per_line():
    lines = plain(NOTICE).splitlines()
    assert len(lines) > len(NOTICE.splitlines())
    assert all(line.endswith("。") for line in lines)
    # a sentence with no clause boundary stays whole; the others are split to about 40 characters
    assert sum(len(line) <= PLAIN_SENTENCE_LENGTH for line in lines) >= len(lines) // 2


def test_plain_japanese_explains_key_terms_once():
    reply = plain("避難所へ避難してください。避難所には毛布があります。")
    assert reply.count("避難所（逃げる場所）") == 1
    assert "逃げてください" in reply


def test_plain_japanese_leaves_compounds_and_proper_nouns_alone():
    reply = plain("再提出の方は中央避難所の窓口へお越しください。")
    assert "再提出" in reply and "中央避難所" in reply
    assert "来てください" in reply


def test_plain_japanese_makes_endings_polite():
    assert plain("受付は9時からである。駐車場はない。") == "受付は9時からです。\n駐車場はありません。"


def test_plain_japanese_keeps_full_width_digits_as_written():
    assert plain("締切は令和７年４月３０日です。") == "締め切りは令和７年４月３０日です。"


def test_plain_japanese_reads_a_per_sentence_limit():
    reply = ask("やさしい日本語にしてください。一文は30字以内にしてください。\n\n"
                "本日は大変混雑しておりますので、番号札をお取りになってお待ちください。")
    assert reply.splitlines()[0] == "今日は大変混んでいます。"


def test_plain_glossary_loads_with_enough_entries_and_is_cached():
    glossary = plain_glossary()
    assert glossary.size >= 60
    assert plain_glossary() is glossary
    assert glossary.entries["提出して"].target == "出して"


# ---------------------------------------------------------------- です・ます → である

@pytest.mark.parametrize(("polite", "plain_style"), [
    ("本日は休みです", "本日は休みである"),
    ("費用は無料でした", "費用は無料であった"),
    ("窓口は混雑するでしょう", "窓口は混雑するであろう"),
    ("対象ではありません", "対象ではない"),
    ("こちらでございます", "こちらである"),
    ("費用は多いです", "費用は多い"),
    ("報告するのです", "報告するのである"),
    ("確認します", "確認する"),
    ("提出できます", "提出できる"),
    ("駐車場があります", "駐車場がある"),
    ("職員がいます", "職員がいる"),
    ("説明会を行います", "説明会を行う"),
    ("窓口でお待ちしております", "窓口でお待ちしている"),
    ("よろしくお願いいたします", "よろしくお願いする"),
    ("結果が変わります", "結果が変わる"),
    ("会場に行きます", "会場に行く"),
    ("受付を始めます", "受付を始める"),
    ("郵送しません", "郵送しない"),
    ("駐車場はありません", "駐車場はない"),
    ("参加できませんでした", "参加できなかった"),
    ("受付を終了しました", "受付を終了した"),
    ("資料を読みました", "資料を読んだ"),
    ("参加しましょう", "参加しよう"),
    ("増えてきます", "増えてくる"),
    ("確認してください", "確認すること"),
    ("ご提出ください", "提出すること"),
    ("飲食しないでください", "飲食しないこと"),
    ("持ってきてください", "持ってきてください"),
])
def test_desu_masu_to_dearu_rule(polite, plain_style):
    assert plain_ending(polite) == plain_style


@pytest.mark.parametrize(("plain_style", "polite"), [
    ("必要である", "必要です"),
    ("無料だ", "無料です"),
    ("不要であった", "不要でした"),
    ("雨だった", "雨でした"),
    ("混雑するだろう", "混雑するでしょう"),
    ("対象ではない", "対象ではありません"),
    ("確認する", "確認します"),
    ("提出できる", "提出できます"),
    ("駐車場がある", "駐車場があります"),
    ("職員がいる", "職員がいます"),
    ("説明会を行う", "説明会を行います"),
    ("会場に行く", "会場に行きます"),
    ("バスが出る", "バスが出ます"),
    ("結果がわかる", "結果がわかります"),
    ("郵送しない", "郵送しません"),
    ("必要ない", "必要ありません"),
    ("問題がない", "問題がありません"),
    ("少ない", "少ないです"),
    ("準備した", "準備しました"),
    ("資料を使った", "資料を使いました"),
    ("説明を聞いた", "説明を聞きました"),
    ("申し込んだ", "申し込みました"),
    ("参加しよう", "参加しましょう"),
    ("ルールを守ろう", "ルールを守りましょう"),
    ("提出すること", "提出してください"),
    ("飲食しないこと", "飲食しないでください"),
    ("ルールを守ること", "ルールを守ってください"),
])
def test_dearu_to_desu_masu_rule(plain_style, polite):
    assert polite_ending(plain_style) == polite


@pytest.mark.parametrize("text", ["会場は市民会館", "【お知らせ】", "以上", "目的は安全を守ること"])
def test_endings_that_are_not_predicates_are_left_as_they_are(text):
    assert polite_ending(text) == text
    assert plain_ending(text) == text


def test_ambiguous_endings_are_left_unchanged_and_reported():
    reply = ask("次の文章をです・ます調に直してください。\n\n昨日は会議に行った。資料は配布済みである。")
    body, note = reply.split("\n\n")
    assert body == "昨日は会議に行った。資料は配布済みです。"
    assert "1 文" in note and "会議に行った" in note


def test_style_conversion_keeps_layout_quotes_and_clauses():
    text = "受付は9時からです。\n\n窓口で「申請書を出します。」と伝えてください。\n混雑しますが、順番にご案内します。"
    reply = ask(f"次の文章をである調に書き換えてください。\n\n{text}")
    assert reply.splitlines() == [
        "受付は9時からである。", "", "窓口で「申請書を出します。」と伝えてください。", "混雑するが、順番にご案内する。"]


def test_dearu_text_becomes_desu_masu():
    text = ("本事業は、市民の健康づくりを支援するものである。受診票は4月に郵送する。"
            "受付は混雑が予想されるので、時間に余裕をもって来場しよう。")
    assert ask(f"以下の文章を、です・ます調に直してください。\n{text}") == (
        "本事業は、市民の健康づくりを支援するものです。受診票は4月に郵送します。"
        "受付は混雑が予想されますので、時間に余裕をもって来場しましょう。")


@pytest.mark.parametrize(("request_text", "style"), [
    ("です・ます調をである調に直してください。", "plain"),
    ("である調の文章をです・ます調に書き換えてください。", "polite"),
    ("常体に統一してください。", "plain"),
    ("敬体に直してください。", "polite"),
])
def test_target_style_is_read_from_the_request_wording(request_text, style):
    assert rewrite.read_request(parse([{"role": "user", "content": request_text}])).style == style


# ---------------------------------------------------------------- length

def test_char_limit_keeps_whole_sentences_in_order_and_says_what_was_left_out():
    text = "説明会を開きます。会場は市民会館です。駐車場は台数に限りがあるため、公共交通機関をご利用ください。"
    body, notes = split_notes(ask(f"次の文章を20字以内で書き直してください。\n\n{text}"))
    assert body == "説明会を開きます。会場は市民会館です。"
    assert notes == ["※ 20字以内に収めるため、後ろの 1 文を省きました。"]


def test_char_limit_cuts_an_overlong_first_sentence_at_a_clause_boundary():
    text = "窓口は大変混雑することが予想されますので、時間に余裕をもってお越しいただくようお願いします。次の文です。"
    body, notes = split_notes(ask(f"次の文章を25字以内に書き換えてください。\n\n{text}"))
    assert body == "窓口は大変混雑することが予想されます。"
    assert notes == ["※ 25字以内に収めるため、最初の文を途中で切り、後ろの 1 文を省きました。"]


def test_char_limit_with_no_clause_boundary_still_ends_with_a_full_stop():
    body, notes = split_notes(ask("次の文章を15字以内に書き換えてください。\n\n"
                                  "令和7年度川辺市市民活動支援補助金交付要綱に基づく申請書類一式。"))
    assert body.endswith("。") and reader_length(body) <= 15
    assert "途中で切りました" in notes[0]


def test_a_text_within_the_limit_is_kept_whole_with_no_note():
    assert ask("次の文章を50字以内で書き直してください。\n\n説明会を開きます。会場は市民会館です。") == \
        "説明会を開きます。会場は市民会館です。"


@pytest.mark.parametrize("limit", [10, 30, 60, 100, 200])
def test_a_rewrite_never_exceeds_its_limit_with_any_rewrite(limit):
    for how in ("やさしい日本語に", "です・ます調に", "である調に", ""):
        body = body_of(ask(f"次の文章を{how}{limit}字以内で書き直してください。\n\n{NOTICE}"))
        assert 0 < reader_length(body) <= limit


def test_lines_asked_for_get_one_sentence_a_line_and_extra_sentences_are_noted():
    body, notes = split_notes(ask(f"次の文章を、です・ます調で3行に書き直してください。\n\n{NOTICE}"))
    assert len(body.splitlines()) == 3 and all(line.endswith("。") for line in body.splitlines())
    assert notes == ["※ 3行に収めるため、後ろの 1 文を省きました。"]


# ---------------------------------------------------------------- honesty and edge cases

def test_no_recognised_request_returns_the_text_tidied_and_says_so():
    reply = ask("この文章をいい感じにしてください。\n\n"
                "申請書は　窓口で 受け付けます。  郵送でも受け付けます。締切は４月３０日です。")
    first, _, rest = reply.partition("\n\n")
    assert first.startswith("【オフライン練習エンジン】") and "読み取れなかった" in first
    assert rest.splitlines() == ["申請書は窓口で受け付けます。", "郵送でも受け付けます。", "締切は４月３０日です。"]


def test_empty_material_asks_for_the_text():
    assert "見当たりません" in ask("やさしい日本語に書き換えてください。")


def test_text_after_a_colon_is_used_when_there_is_no_material():
    reply = ask("次の文をやさしい日本語にしてください：申請書は速やかに提出してください。")
    assert reply == "申込書はすぐに出してください。"


def test_text_from_the_system_message_request():
    system = "あなたは市役所の職員です。ユーザーの文章を、やさしい日本語に書き換えてください。"
    assert ask("住民票の写しの交付を受ける場合は、本人確認書類を持参してください。", system=system).startswith(
        "住民票（住んでいる所を証明する紙）のコピー")


def test_rewrite_is_deterministic_with_and_without_rng():
    prompt = f"次の文章をやさしい日本語に書き換えてください。\n\n{NOTICE}"
    assert ask(prompt) == ask(prompt) == ask(prompt, rng=random.Random(7))


def test_very_long_text_is_rewritten_sentence_by_sentence():
    text = "\n".join([NOTICE] * 40)
    reply = plain(text)
    assert reply.count("令和7年4月30日") == 40
    assert reply.count("避難所（逃げる場所）") == 1


# ---------------------------------------------------------------- verbs

@pytest.mark.parametrize(("word", "kind", "te", "masu", "nai", "ta"), [
    ("出す", "godan", "出して", "出します", "出さない", "出した"),
    ("書く", "godan", "書いて", "書きます", "書かない", "書いた"),
    ("行く", "godan", "行って", "行きます", "行かない", "行った"),
    ("使う", "godan", "使って", "使います", "使わない", "使った"),
    ("申し込む", "godan", "申し込んで", "申し込みます", "申し込まない", "申し込んだ"),
    ("ある", None, "あって", "あります", "ない", "あった"),
    ("逃げる", "ichidan", "逃げて", "逃げます", "逃げない", "逃げた"),
    ("確認する", None, "確認して", "確認します", "確認しない", "確認した"),
    ("持って来る", "kuru", "持って来て", "持って来ます", "持って来ない", "持って来た"),
])
def test_verbs_conjugate(word, kind, te, masu, nai, ta):
    verb = verb_from_dictionary(word, kind)
    assert (verb.te, verb.masu_stem + "ます", verb.negative, verb.ta) == (te, masu, nai, ta)


def test_zuiji_is_kept_and_explained_never_turned_into_itsudemo():
    # 「いつでも」 would read as nights and holidays too; the meaning must not change
    from kenshu.engine.japanese.plain import plain_japanese

    for text in ("ご相談は随時受け付けております。", "窓口で随時受け付けています。"):
        result = plain_japanese(text).text
        assert "いつでも" not in result
        assert "随時（決まった日を待たずに、そのつど）" in result


def test_the_disaster_notice_in_easy_japanese_loses_its_hard_words_and_keeps_its_numbers():
    from kenshu.engine.japanese.plain import plain_japanese
    from kenshu.lessons.scene_translation import missing_numbers, original

    text = original("disaster")
    result = plain_japanese(text).text
    for hard in ("危険な場所", "全員避難", "おそれがある", "避難してください"):
        assert hard not in result, hard
    assert "用水路（" in result and "元栓（" in result  # kept and explained
    assert missing_numbers(text, result) == []


def test_set_phrases_of_closing_notices_become_plain():
    from kenshu.engine.japanese.plain import plain_japanese

    result = plain_japanese("台風の接近に伴い、本日の窓口業務は午後3時をもって終了いたします。").text
    assert "接近に伴い" not in result and "をもって" not in result
    assert "台風が近づいています" in result and "午後3時で終わります" in result
