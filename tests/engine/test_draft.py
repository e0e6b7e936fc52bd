"""The draft task: notices, emails and greeting letters from templates, with nothing invented."""

import random
import re

import pytest

from kenshu.engine.japanese.length import reader_length
from kenshu.engine.notes import body_of, split_notes
from kenshu.engine.prompt import parse
from kenshu.engine.router import route
from kenshu.engine.tasks import draft
from kenshu.engine.tasks.draft import MISSING, document_kind, read_slots

FULL_NOTICE = """あなたは川辺市防災課の職員です。防災講座のお知らせを作成してください。
宛先: 市民
日時: 令和7年6月14日（土）10時～12時
場所: 川辺市民会館 大会議室
内容: 地震への備えと、家庭でできる備蓄について学びます。
持ち物: 筆記用具
問い合わせ先: 防災課 防災係（内線2345）"""

DATE_LIKE = re.compile(r"\d+\s*月\s*\d+\s*日|\d+\s*年|\d+\s*時|\d+:\d{2}|[０-９]+\s*月")


def ask(user: str, system: str | None = None, rng: random.Random | None = None) -> str:
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]
    return draft.run(parse(messages, rng))


def last_line(reply: str) -> str:
    return reply.splitlines()[-1]


# ---------------------------------------------------------------- notices

def test_notice_fills_every_slot_the_prompt_gives():
    reply = ask(FULL_NOTICE)
    assert reply.splitlines()[:4] == ["市民の皆さまへ", "川辺市防災課", "", "防災講座のお知らせ"]
    assert "防災講座を下記のとおり開催します。" in reply
    for line in ("記", "1. 日時: 令和7年6月14日（土）10時～12時", "2. 場所: 川辺市民会館 大会議室",
                 "3. 内容: 地震への備えと、家庭でできる備蓄について学びます。", "4. 持ち物: 筆記用具", "以上",
                 "【問い合わせ先】", "防災課 防災係（内線2345）"):
        assert line in reply.splitlines()
    assert MISSING not in reply


@pytest.mark.parametrize(("label", "line"), [
    ("日時", "日時: "), ("場所", "場所: "), ("内容", "内容: "), ("持ち物", "持ち物: "),
])
def test_each_missing_notice_item_is_marked_for_confirmation(label, line):
    prompt = "\n".join(row for row in FULL_NOTICE.splitlines() if not row.startswith(f"{label}:"))
    reply = ask(prompt)
    assert any(row.endswith(f"{line}{MISSING}") for row in reply.splitlines())
    assert last_line(reply).startswith(f"{MISSING}の項目") and label in last_line(reply)


def test_missing_recipient_sender_and_contact_are_marked():
    reply = ask("防災講座のお知らせを作ってください。")
    assert reply.splitlines()[:2] == [f"{MISSING}（宛先）", f"{MISSING}（差出人・担当課）"]
    assert reply.splitlines()[-3] == MISSING  # 問い合わせ先
    for item in ("宛先", "差出人", "日時", "場所", "内容", "持ち物", "問い合わせ先"):
        assert item in last_line(reply)


def test_a_notice_asked_with_nothing_invents_no_dates_places_or_names():
    reply = ask("お知らせの文案を作ってください。")
    assert not DATE_LIKE.search(reply)
    assert "会館" not in reply and "課" not in reply.replace("課）", "")
    assert reply.count(MISSING) >= 6


def test_dates_and_places_are_read_from_sentences():
    reply = ask("市民向けに、6月1日（日）14時から16時まで中央公民館で開く健康教室のお知らせを作って。"
                "申し込みは5月20日までに健康推進課へ。当日は上履きとタオルを持参してください。")
    assert "1. 日時: 6月1日（日）14時から16時まで" in reply
    assert "2. 場所: 中央公民館" in reply
    assert "持ち物: 上履きとタオル" in reply
    assert "申込締切: 5月20日" in reply
    assert "5月20日までにお申し込みください。" in reply


def test_wareki_dates_and_times_with_colons_and_full_width_digits_are_kept_as_written():
    reply = ask("説明会のお知らせを作成してください。\n"
                "日時：令和７年１０月３日（金）１３:３０～１５:００\n場所：本庁舎３階 第１会議室")
    assert "日時: 令和７年１０月３日（金）１３:３０～１５:００" in reply
    assert "場所: 本庁舎３階 第１会議室" in reply


def test_a_relative_day_is_kept_as_written_and_only_the_exact_date_is_asked_for():
    reply = ask("来週の水曜日に開く説明会のお知らせを作ってください。")
    assert f"日時: 来週の水曜日（具体的な日付は{MISSING}）" in reply
    assert "日時（具体的な日付）" in last_line(reply)
    assert not DATE_LIKE.search(reply)


def test_a_time_without_a_date_asks_for_the_date():
    reply = ask("14時から始まる研修会のお知らせを作ってください。")
    assert f"日時: {MISSING}（日付。時刻は 14時から）" in reply
    assert not DATE_LIKE.search(reply.replace("14時", ""))  # no date is made up


def test_undecided_values_are_treated_as_missing():
    reply = ask("防災訓練のお知らせを作ってください。日時は未定です。場所は川辺小学校 体育館です。")
    assert f"日時: {MISSING}" in reply
    assert "場所: 川辺小学校 体育館" in reply


def test_notice_title_follows_the_requested_kind():
    assert "窓口時間の変更について（通知）" in ask("窓口時間の変更についての通知を作ってください。")
    assert "健康教室のご案内" in ask("健康教室の案内文を作ってください。")


# ---------------------------------------------------------------- emails

def test_email_has_subject_salutation_body_and_signature():
    reply = ask("""次の内容で、事業者向けのメールを作成してください。
件名：説明会開催のご案内
宛先：市内事業者 各位
差出人：川辺市 産業振興課
日時：2025年7月3日（木）14:00～15:30
場所：川辺市役所 本庁舎3階 第1会議室
内容：新しい補助金制度について説明します。
問い合わせ先：産業振興課 商工係 電話 0123-45-6789""")
    lines = reply.splitlines()
    assert lines[0] == "件名: 説明会開催のご案内"
    assert lines[2] == "市内事業者 各位"
    assert lines[4] == "いつもお世話になっております。川辺市 産業振興課です。"
    assert "新しい補助金制度について説明します。" in lines
    assert "■日時: 2025年7月3日（木）14:00～15:30" in lines
    assert lines[-6:-2] == ["――――――――――――――――", "川辺市 産業振興課",
                            "問い合わせ先: 産業振興課 商工係 電話 0123-45-6789", "――――――――――――――――"]
    assert last_line(reply) == f"{MISSING}の項目（依頼文から読み取れなかったもの）: 持ち物"


def test_internal_email_reads_sender_recipient_topic_deadline_and_extension():
    reply = ask("総務課から各課長あてに、職員アンケートへの回答を依頼するメールを書いてください。"
                "回答期限は令和7年5月9日（金）です。問い合わせは総務課 人事係（内線1234）まで。")
    lines = reply.splitlines()
    assert lines[0] == "件名: 職員アンケートへの回答について"
    assert lines[2] == "各課長 様"
    assert lines[4] == "お疲れさまです。総務課です。"
    assert "■締切: 令和7年5月9日（金）" in lines
    assert "問い合わせ先: 総務課 人事係（内線1234）" in lines
    assert "日時" not in reply  # not an event: no 日時 or 場所 lines to fill


def test_email_with_nothing_given_marks_subject_sender_and_contact():
    reply = ask("メールを書いてください。")
    assert reply.splitlines()[0] == f"件名: {MISSING}"
    assert f"お疲れさまです。{MISSING}（差出人）です。" in reply
    assert f"問い合わせ先: {MISSING}" in reply
    for item in ("件名", "宛先", "差出人", "内容", "問い合わせ先"):
        assert item in last_line(reply)


def test_contact_uses_the_department_and_flags_a_missing_phone_number():
    reply = ask("あなたは川辺市税務課の職員です。市民税の納付についてのお知らせを作ってください。")
    assert f"川辺市税務課（電話・内線: {MISSING}）" in reply
    assert "問い合わせ先の電話番号・内線" in last_line(reply)


# ---------------------------------------------------------------- greetings

def test_greeting_without_a_month_uses_the_season_free_opening():
    reply = ask("自治会長あてのあいさつ文を作ってください。差出人は川辺市長です。")
    assert "拝啓　時下ますますご清祥のこととお喜び申し上げます。" in reply
    assert "の候" not in reply
    assert reply.splitlines()[2] == "自治会長 様"
    assert "敬具" in reply and reply.splitlines()[-3] == "川辺市長"


def test_greeting_with_a_month_uses_that_months_season_phrase():
    reply = ask("新年度のあいさつ文を作ってください。差出人は川辺市長です。4月に送ります。")
    assert "拝啓　陽春の候、ますますご清祥のこととお喜び申し上げます。" in reply
    assert "さて、新年度にあたり、一言ごあいさつ申し上げます。" in reply
    assert last_line(reply).endswith("宛先")


def test_greeting_with_nothing_given_marks_its_purpose():
    reply = ask("あいさつ文を書いて")
    assert f"さて、{MISSING}（あいさつの趣旨）" in reply
    assert "内容（あいさつの趣旨）" in last_line(reply)


# ---------------------------------------------------------------- general

@pytest.mark.parametrize(("request_text", "kind"), [
    ("説明会の案内メールを書いて", "email"), ("新年のあいさつ文を作って", "greeting"),
    ("挨拶状をお願いします", "greeting"),
    ("お知らせを作って", "notice"), ("通知文を起案して", "notice"),
])
def test_document_kind_follows_the_request(request_text, kind):
    assert document_kind(request_text) == kind


def test_final_line_lists_missing_items_only_when_something_is_missing():
    assert MISSING not in last_line(ask(FULL_NOTICE))
    assert last_line(ask("お知らせを作って")).startswith(f"{MISSING}の項目")


def test_slots_from_labels_inside_sentences():
    slots = read_slots("会場は市民会館です。締め切りは4月10日です。担当は福祉課です。")
    assert (slots.get("場所"), slots.get("締切"), slots.get("差出人")) == ("市民会館", "4月10日", "福祉課")


def test_draft_is_deterministic_without_rng_and_repeatable_with_the_same_seed():
    prompt = "各課の庶務担当者に送る、防災訓練の案内メールを書いてください。"
    assert ask(prompt) == ask(prompt)
    assert ask(prompt, rng=random.Random(5)) == ask(prompt, rng=random.Random(5))
    variants = {ask(prompt, rng=random.Random(seed)) for seed in range(20)}
    assert len(variants) > 1  # the wording varies with randomness; the facts do not
    assert all(v.splitlines()[0] == ask(prompt).splitlines()[0] for v in variants)


def test_very_long_prompt_is_handled():
    reply = ask(FULL_NOTICE + "\n" + "補足: 会場には駐車場がありません。" * 300)
    assert "1. 日時: 令和7年6月14日（土）10時～12時" in reply


def test_a_labelled_time_without_a_calendar_date_still_asks_for_the_date():
    reply = ask("研修会のお知らせを作ってください。\n時間: 10時～12時\n場所: 本庁舎 第2会議室")
    assert f"日時: 10時～12時（具体的な日付は{MISSING}）" in reply
    assert "日時（日付）" in last_line(reply)


def test_a_generic_role_is_not_taken_as_the_sender():
    reply = ask("あなたは自治体の職員です。窓口時間変更のお知らせを作ってください。")
    assert f"{MISSING}（差出人・担当課）" in reply
    assert "差出人" in last_line(reply)


# ---------------------------------------------------------------- short notices and what the request asks

DRILL = "防災訓練（10月3日 10時、本庁舎）のお知らせを{}書いてください。"
TRAINING = """あなたは若葉市総務課の職員です。
庁内の職員に研修の開始を知らせるため、以下の内容をお知らせ文にしてください。
200字以内、です・ます調で、専門用語は使わないでください。

内容: 生成AI研修を来月から始めます。1回30分で、全5回です。"""


def test_facts_in_brackets_are_used_not_marked_for_confirmation():
    reply = ask(DRILL.format(""))
    assert "10月3日 10時から、本庁舎で防災訓練を実施します。" in reply.splitlines()
    assert MISSING not in reply and "様" not in reply


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_lines_asked_for_are_exactly_that_many(count):
    reply = ask(DRILL.format(f"{count}行で"))
    lines = reply.splitlines()
    assert len(lines) == count and all(line.strip() for line in lines)
    assert "10月3日 10時" in reply and "本庁舎" in reply


def test_three_lines_are_a_title_the_facts_and_a_closing():
    assert ask(DRILL.format("3行で")).splitlines() == [
        "防災訓練のお知らせ", "10月3日 10時から、本庁舎で防災訓練を実施します。", "ご理解とご協力をお願いします。"]


def test_the_roles_department_signs_a_short_notice():
    reply = ask("あなたは若葉市防災課の職員です。" + DRILL.format("3行で"))
    assert reply.splitlines()[0] == "若葉市防災課"


def test_staff_are_addressed_as_shokuin_kakui_not_as_a_person():
    assert ask("防災訓練（10月3日 10時、本庁舎）のお知らせを庁内向けに作ってください。").splitlines()[0] == "職員各位"
    assert ask(TRAINING).splitlines()[0] == "職員各位"


def test_a_start_written_as_next_month_is_kept_and_only_the_exact_date_is_asked_for():
    body, notes = split_notes(ask(TRAINING))
    assert body.splitlines() == ["職員各位", "若葉市総務課", "", "研修の開始について（お知らせ）", "",
                                 "生成AI研修を来月から始めます。1回30分で、全5回です。",
                                 "お問い合わせは、若葉市総務課までお願いします。", "ご理解とご協力をお願いします。"]
    assert notes[0] == f"※ 具体的な日付は{MISSING}です（依頼文では「来月から」）。"
    assert MISSING not in body


def test_what_the_engine_cannot_do_is_said_in_one_line():
    assert split_notes(ask(TRAINING))[1][-1] == \
        "※ 専門用語を言い換えることは、練習エンジンにはできません。依頼文の言葉をそのまま使っています。"


@pytest.mark.parametrize("limit", [20, 40, 80, 120, 200, 400])
@pytest.mark.parametrize("prompt", [
    FULL_NOTICE + "\n{}字以内で書いてください。",
    "総務課から各課長あてに、職員アンケートへの回答を依頼するメールを{}字以内で書いてください。回答期限は令和7年5月9日（金）です。",
    "新年度のあいさつ文を{}字以内で作ってください。差出人は川辺市長です。4月に送ります。",
    TRAINING.replace("200", "{}"),
])
def test_a_draft_never_exceeds_its_limit(limit, prompt):
    body = body_of(ask(prompt.format(limit)))
    assert 0 < reader_length(body) <= limit


def test_a_limit_keeps_the_facts_before_the_courtesies():
    body = body_of(ask(FULL_NOTICE + "\n80字以内で書いてください。"))
    assert "令和7年6月14日（土）10時～12時" in body and "川辺市民会館 大会議室" in body
    assert "ご参加をお待ちしています。" not in body


def test_a_notice_in_dearu_style_has_dearu_endings():
    reply = ask("市民向けに、6月1日（日）14時から中央公民館で開く健康教室のお知らせを、である調で作ってください。")
    assert "健康教室を開催する。" in reply and "開催します" not in reply


def test_a_short_email_keeps_its_subject_greeting_and_deadline():
    body = body_of(ask("総務課から各課長あてに、職員アンケートへの回答を依頼するメールを100字以内で書いてください。"
                       "回答期限は令和7年5月9日（金）です。"))
    lines = body.splitlines()
    assert lines[0] == "件名: 職員アンケートへの回答について"
    assert "お疲れさまです。総務課です。" in lines and "令和7年5月9日（金）" in body


def test_the_text_to_announce_is_used_when_it_is_given_after_a_separator():
    reply = ask("以下の文章をお知らせにしてください。3行で。\n---\n4月1日から、窓口の受付時間を9時からに変更します。")
    assert "4月1日から、窓口の受付時間を9時からに変更します。" in reply.splitlines()


def test_a_request_to_write_a_notice_briefly_drafts_it_rather_than_summarising():
    reply = ask("防災訓練（10月3日 10時、本庁舎）のお知らせを短く作ってください。")
    assert "10月3日 10時から、本庁舎で防災訓練を実施します。" in reply
    assert route(parse([{"role": "user", "content": "以下のお知らせを短くまとめてください。\n\n本日は会議です。"}]))[0] \
        == "summarise"


# ---------------------------------------------------------------- drafts from a list of facts (datasets/notices/drafting_tasks.csv)

def _rows():
    from kenshu.datasets import drafting_tasks
    return list(drafting_tasks().itertuples(index=False))


def _fact_request(row, extra: str = "") -> str:
    facts = "\n".join(part.strip() for part in row.facts.split(" / "))
    return (f"あなたは若葉市の職員です。{row.audience}向けの{row.kind}の文案を、公用文の書き方で作ってください。{extra}\n"
            f"次の事実だけを使い、書かれていないことは【要確認】と書いてください。\n---\n{facts}")


def _values(row) -> list[str]:
    return [part.split(":", 1)[1].strip() for part in row.facts.split(" / ")]


_EVENT_LABELS = ("催し", "会議", "説明会", "講座")
_CLOSING = {"お知らせ": "以上", "案内文": "以上", "通知文": "以上", "依頼メール": "ご協力をお願いいたします。",
            "回答メール": "下記のとおり回答します。", "あいさつ文": "結びのあいさつ"}


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row.id)
def test_every_drafting_task_gets_its_kinds_frame_with_every_fact_and_nothing_invented(row):
    reply = draft.run(parse([{"role": "user", "content": _fact_request(row)}]))
    body = body_of(reply)
    for value in _values(row):
        assert value in body, value
    # what the row lists as missing is not given: the generic 【要確認】 item stands for it
    assert f"{draft.GENERIC_MISSING}: {MISSING}" in body or f"{draft.GENERIC_MISSING}について" in reply
    assert draft.GENERIC_MISSING in next(line for line in reply.splitlines() if line.startswith(f"{MISSING}の項目"))
    lines = body.splitlines()
    for item in row.missing:  # nothing the learner did not give is written as if known
        for number, line in enumerate(lines):
            if item in line:
                assert MISSING in line or MISSING in lines[number + 1], line
    held = any(part.split(":")[0] in _EVENT_LABELS for part in row.facts.split(" / "))
    if not held:
        assert "開催します" not in reply
    assert _CLOSING[row.kind] in body
    assert "下記のとおり開催します。" not in body or row.kind == "お知らせ"
    assert reply.splitlines()[-1] == f"※ {draft.TEMPLATE_NOTE}"
    unsourced = [re.sub(r"^\d+\. ", "", line) for line in body.splitlines()
                 if not any(value in line for value in _values(row))]
    assert not re.search(r"[0-9０-９]", "".join(unsourced))  # no figure or date that is not in the facts


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row.id)
def test_every_drafting_task_meets_a_length_limit(row):
    reply = draft.run(parse([{"role": "user", "content": _fact_request(row, "200字以内で書いてください。")}]))
    assert reader_length(body_of(reply)) <= 200
    assert draft.TEMPLATE_NOTE in reply


def test_notice_kinds_get_their_own_verbs():
    rows = {row.id: row for row in _rows()}
    replies = {key: body_of(draft.run(parse([{"role": "user", "content": _fact_request(rows[key])}])))
               for key in ("N01", "N02", "N05", "N19", "N21")}
    assert "若葉市 市民健康まつりを下記のとおり開催します。" in replies["N01"]
    assert "下記のとおりお知らせします。" in replies["N02"] and "開催" not in replies["N02"]
    assert "開催しますので、ご案内します。" in replies["N05"]
    assert "下記のとおり通知します。" in replies["N19"]
    assert "下記のとおり臨時休館します" in replies["N21"]


@pytest.mark.parametrize(("words", "verb"), [
    ("件名: 市民プール 臨時休止\n期間: 7月1日〜7月3日\n理由: 設備点検\n担当: スポーツ課", "下記のとおり休止します。"),
    ("件名: 市民ボランティア 募集\n活動内容: 公園の清掃\n募集人数: 10人\n担当: 市民協働課", "下記のとおり募集します。"),
    ("件名: 納付書の誤送付\n経緯: 宛名の取り違え\n対象件数: 12件\n担当: 税務課", "深くおわび申し上げます。"),
])
def test_closing_recruiting_and_apology_notices_get_their_verbs(words, verb):
    kind = "おわびのお知らせ" if "誤送付" in words else "お知らせ"
    reply = ask(f"市民向けの{kind}の文案を作ってください。\n{words}")
    assert verb in reply and "開催します" not in reply
    for line in words.splitlines()[1:-1]:
        assert line.split(": ")[1] in reply


def test_a_reply_mail_request_is_drafted_not_answered():
    request = _fact_request(next(row for row in _rows() if row.id == "N12"))
    assert route(parse([{"role": "user", "content": request}]))[0] == "draft"


def test_a_fact_list_in_dearu_style_has_dearu_endings():
    row = next(row for row in _rows() if row.id == "N01")
    body = body_of(draft.run(parse([{"role": "user", "content": _fact_request(row, "である調で書いてください。")}])))
    assert "若葉市 市民健康まつりを下記のとおり開催する。" in body and "します。" not in body
