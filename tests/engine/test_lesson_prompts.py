"""The lessons' own prompts: a better prompt visibly gives a better reply from the offline engine."""

import re

from kenshu import datasets
from kenshu.engine.chat import complete
from kenshu.engine.fields import find_amounts
from kenshu.engine.japanese.length import reader_length
from kenshu.engine.notes import body_of, split_notes

SECTIONS = {section.id: section for section in datasets.accounting_manual()}
MANUAL = SECTIONS["ACC-39"].body  # lesson 04: errors at the time of transfers, and what a transferee must do
TRAINING = """あなたは若葉市総務課の職員です。
庁内の職員に研修の開始を知らせるため、以下の内容をお知らせ文にしてください。
200字以内、です・ます調で、専門用語は使わないでください。

内容: 生成AI研修を来月から始めます。1回30分で、全5回です。"""
FULL = """あなたは若葉市会計課の職員です。
4月に異動してきた職員向けの注意喚起メモに使うため、以下の手引きの一節を、異動者が着任後にすることについて要約してください。
出力形式: 3点の箇条書き
条件: です・ます調で書き、手引きにないことは書かないでください。
---
"""


def ask(content: str) -> str:
    return complete({"messages": [{"role": "user", "content": content}], "temperature": 0})[0].content


def summary(words: str = "") -> str:
    return ask(f"以下の文章を{'、' + words if words else ''}要約してください。\n---\n{MANUAL}")


def test_the_training_notice_keeps_its_200_characters_its_style_and_next_month():
    reply = ask(TRAINING)
    body, notes = split_notes(reply)
    assert reader_length(body) <= 200
    assert "生成AI研修を来月から始めます。1回30分で、全5回です。" in body and "【要確認】" not in body
    assert body.splitlines()[:2] == ["職員各位", "若葉市総務課"]  # the role signs it
    assert not re.search(r"(?:だ|である|する)。", body)  # です・ます throughout
    assert notes[0] == "※ 具体的な日付は【要確認】です（依頼文では「来月から」）。"


def test_the_drill_notice_in_three_lines_uses_the_date_time_and_place_given():
    reply = ask("防災訓練（10月3日 10時、本庁舎）のお知らせを3行で書いてください。")
    assert reply.splitlines() == ["防災訓練のお知らせ", "10月3日 10時から、本庁舎で防災訓練を実施します。",
                                  "ご理解とご協力をお願いします。"]


def test_the_limit_question_is_answered_with_the_amount_in_the_current_section():
    prompt = ("次の資料に基づいて質問に答え、根拠にした節の番号を示してください。\n"
              "質問: 物品購入を随意契約にできる上限額（税込）はいくらですか。\n\n"
              f"資料:\n[ACC-27a] {SECTIONS['ACC-27a'].body}")
    reply = ask(prompt)
    assert "財産の買入れ（物品購入）：150万円（改正前 80万円）" in reply and reply.endswith("（出典: ACC-27a）")
    assert {amount.value for amount in find_amounts(reply)} <= {amount.value for amount in
                                                                find_amounts(SECTIONS["ACC-27a"].body)}


def test_each_instruction_added_to_the_summary_request_changes_the_reply():
    bare = summary()
    replies = {words: summary(words) for words in
               ("3点の箇条書きで", "100字以内で", "です・ます調で", "異動者が着任後にすることについて")}
    assert len({bare, *replies.values()}) == 5
    assert len(replies["3点の箇条書きで"].splitlines()) == 3
    assert reader_length(body_of(replies["100字以内で"])) <= 100
    assert "確認してください。" in replies["です・ます調で"] and "確認すること。" in bare
    assert replies["異動者が着任後にすることについて"].startswith("異動者は、着任後1週間以内に")


def test_the_bare_summary_keeps_what_a_transferee_must_do():
    assert "異動者は、着任後1週間以内に前任者と「会計事務引継書」" in summary()


def test_a_role_changes_the_reply():
    assert ask("あなたは若葉市会計課の職員です。\n以下の文章を要約してください。\n---\n" + MANUAL) != summary()


def test_the_full_prompt_gets_a_viewpoint_line_then_three_polite_bullets_led_by_the_focus():
    lines = ask(FULL + MANUAL).splitlines()
    assert lines[0] == "若葉市会計課の職員として、異動者が着任後にすることの要点をまとめました。"
    assert len(lines) == 4 and all(line.startswith("・") for line in lines[1:])
    assert lines[1].startswith("・異動者は、着任後1週間以内に") and lines[1].endswith("確認してください。")
    assert all(line.endswith(("ます。", "ました。", "ません。", "ください。", "）。")) for line in lines)


def test_a_table_request_gets_a_markdown_table_and_an_honest_note_on_what_it_cannot_fill():
    reply = ask((FULL + MANUAL).replace("出力形式: 3点の箇条書き", "出力形式: 表（「誤り」と「対策」の2列）"))
    body, notes = split_notes(reply)
    assert "| 誤り | 対策 |" in body.splitlines() and body.count("（記載なし）") == 7
    assert notes == ["※ 「対策」の列は、もとの文章から選べる文がないため「（記載なし）」としています。"]
