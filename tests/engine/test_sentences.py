"""The engine's one sentence splitter: where a Japanese sentence ends, and where it never does."""

import pytest

from kenshu.engine.japanese.sentences import split_end, split_sentences, top_level


def test_a_sentence_ends_after_each_end_mark_and_keeps_it():
    text = "申請書を出してください。受付は9時からです！必要なものは何ですか？Please come early!Why?"
    assert split_sentences(text) == ["申請書を出してください。", "受付は9時からです！", "必要なものは何ですか？",
                                     "Please come early!", "Why?"]


def test_a_run_of_end_marks_stays_with_its_sentence():
    assert split_sentences("本当ですか！？はい。。次です。") == ["本当ですか！？", "はい。。", "次です。"]


def test_a_line_break_ends_a_sentence_even_without_an_end_mark():
    assert split_sentences("件名 窓口の変更\n本文は次のとおりです。\r\n以上") == ["件名 窓口の変更", "本文は次のとおりです。", "以上"]


@pytest.mark.parametrize("sentence", [
    "職員は「はい。わかりました。」と答えた。",
    "『市報。4月号』を配ります。",
    "若葉市会計規則（以下「規則」という。）及び関係例規に基づく。",
    "受付は平日のみ(土日は休み。祝日も休み。)です。",
    "本文（見出しを含む。「注意。」の欄は除く。）は770字です。",
])
def test_a_sentence_never_ends_inside_quotes_or_brackets(sentence):
    assert split_sentences(sentence) == [sentence]


def test_an_opener_that_is_never_closed_does_not_join_the_rest_of_the_line():
    assert split_sentences("「申請は窓口で受け付けます。郵送もできます。") == ["「申請は窓口で受け付けます。", "郵送もできます。"]
    assert split_sentences("受付は終わりました）。次の回は5月です。") == ["受付は終わりました）。", "次の回は5月です。"]


@pytest.mark.parametrize("line, first", [
    ("・申請書を出す。・印鑑を持参する。", "・申請書を出す。"),
    ("1. 窓口へ行く。番号札を取る。", "1. 窓口へ行く。"),
    ("(1) 受付。(2) 審査。", "(1) 受付。"),
    ("① 受付を済ませる。② 審査を待つ。", "① 受付を済ませる。"),
    ("- 期限は4月30日です。延長はありません。", "- 期限は4月30日です。"),
])
def test_a_bullet_or_number_stays_with_its_sentence(line, first):
    assert split_sentences(line)[0] == first


def test_surrounding_spaces_are_stripped_and_empty_pieces_dropped():
    text = "  一つ目です。　 二つ目です。  \n\n   \n\t三つ目です。 "
    assert split_sentences(text) == ["一つ目です。", "二つ目です。", "三つ目です。"]
    assert split_sentences("") == []
    assert split_sentences(" \n\u3000\n") == []


def test_top_level_marks_quotes_and_brackets_with_their_contents_as_inside():
    text = "前「中（奥）中」後"
    assert [char for char, top in zip(text, top_level(text), strict=True) if top] == ["前", "後"]
    assert all(top_level("閉じない「かっこ"))  # an unclosed opener encloses nothing


def test_split_end_sets_the_final_marks_and_spaces_aside():
    assert split_end("出してください。 ") == ("出してください", "。 ")
    assert split_end("本当ですか！？") == ("本当ですか", "！？")
    assert split_end("見出し") == ("見出し", "")
