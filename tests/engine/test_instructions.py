"""Reading what a request asks the text to be: length, style, layout, role, focus (one reader for every task)."""

import pytest

from kenshu.engine.instructions import read_instructions
from kenshu.engine.japanese.length import reader_length
from kenshu.engine.notes import body_of, split_notes, with_notes
from kenshu.engine.prompt import parse


@pytest.mark.parametrize(("words", "chars", "strict"), [
    ("200字以内で", 200, True), ("１５０文字以下で", 150, True), ("百字まで", 100, True), ("二百字以内", 200, True),
    ("100字未満で", 99, True), ("300字程度で", 300, False), ("200字前後で", 200, False),
])
def test_length_limits_are_read_with_their_kind(words, chars, strict):
    length = read_instructions(f"以下の文章を{words}要約してください。").length
    assert (length.chars, length.strict) == (chars, strict)


def test_a_minimum_and_a_per_sentence_limit_are_not_limits_on_the_whole_text():
    assert read_instructions("200字以上で書いてください。").length is None
    asked = read_instructions("一文は30字以内にしてください。")
    assert asked.length is None and asked.sentence_limit == 30


@pytest.mark.parametrize(("words", "kind", "count"), [
    ("3点の箇条書きで", "bullets", 3), ("箇条書きで3点", "bullets", 3), ("三項目で", "bullets", 3),
    ("3行で", "lines", 3), ("３行で", "lines", 3), ("要点を3つ挙げて", "bullets", 3), ("2文で", "sentences", 2),
    ("表で", "table", None), ("箇条書きで", "bullets", None), ("", None, None),
])
def test_layouts_are_told_apart(words, kind, count):
    layout = read_instructions(f"以下の文章を{words}まとめてください。").layout
    assert (layout.kind, layout.count) == (kind, count)


def test_table_columns_are_read_from_the_request():
    layout = read_instructions("出力形式: 表（「誤り」と「対策」の2列）\n条件: です・ます調").layout
    assert (layout.kind, layout.columns) == ("table", ("誤り", "対策"))


@pytest.mark.parametrize("words", ["発表で使います", "公表に備えて", "代表で"])
def test_words_with_hyo_are_not_tables(words):
    assert read_instructions(f"以下の文章を要約してください。{words}").layout.kind is None


def test_the_role_names_its_department_only_when_it_has_one():
    role = read_instructions("あなたは若葉市会計課の職員です。以下を要約してください。").role
    assert (role.who, role.department) == ("若葉市会計課の職員", "若葉市会計課")
    generic = read_instructions("あなたは市役所の職員です。").role
    assert (generic.who, generic.department) == ("市役所の職員", None)
    assert read_instructions("以下を要約してください。").role is None


@pytest.mark.parametrize(("request_text", "focus"), [
    ("以下の文章を、異動者が着任後にすることについて要約してください。", "異動者が着任後にすること"),
    ("以下の会議録を、研修を中心にまとめてください。", "研修"),
    ("予算に絞って要約してください。", "予算"),
    ("以下の文章について、要約してください。", ""),
])
def test_the_focus_is_read_and_the_text_itself_is_not_a_focus(request_text, focus):
    assert read_instructions(request_text).focus == focus


def test_style_and_jargon_are_read():
    asked = read_instructions("です・ます調で、専門用語は使わないでください。")
    assert asked.style == "polite" and asked.no_jargon
    assert read_instructions("です・ます調の文章をである調に直してください。").style == "plain"


def test_the_material_is_not_read_as_instructions():
    prompt = parse([{"role": "user", "content": "以下の文章を要約してください。\n---\n3行で200字以内の表を配る。"}])
    assert prompt.char_limit is None and prompt.bullet_count is None and prompt.asked.layout.kind is None


def test_notes_come_after_the_body_and_a_reader_counts_the_body_only():
    reply = with_notes("本文です。\n二行目です。", ["20字以内に収めるため、後ろの 1 文を省きました。"])
    assert reply == "本文です。\n二行目です。\n\n※ 20字以内に収めるため、後ろの 1 文を省きました。"
    assert split_notes(reply) == ("本文です。\n二行目です。", ["※ 20字以内に収めるため、後ろの 1 文を省きました。"])
    assert reader_length(body_of(reply)) == 11  # spaces and line breaks are not counted
    assert split_notes("本文です。\n\n段落です。") == ("本文です。\n\n段落です。", [])
