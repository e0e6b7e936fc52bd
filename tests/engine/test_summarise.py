import pytest

from kenshu.engine.japanese.length import reader_length
from kenshu.engine.notes import body_of, split_notes
from kenshu.engine.prompt import parse
from kenshu.engine.tasks import summarise
from kenshu.engine.tasks.summarise import importance
from tests.engine.samples import HANDBOOK, MEETING


def run(request: str) -> str:
    return summarise.run(parse([{"role": "user", "content": f"{request}\n\n{MEETING}"}]))


def test_bullet_count_is_honoured_with_sentences_from_the_text():
    summary = run("以下の会議録を3点の箇条書きで要約してください。")
    lines = summary.splitlines()
    assert len(lines) == 3 and all(line.startswith("・") for line in lines)
    assert all(line[1:] in MEETING for line in lines)  # extractive: nothing invented


def test_decisions_are_kept_in_a_summary_of_a_meeting():
    assert "全庁で利用を開始することが決定した" in run("以下の会議録を3点で要約してください。")


def test_character_limit_is_honoured():
    for limit in (60, 100, 150):
        summary = run(f"以下の会議録を{limit}字以内で要約してください。")
        assert 0 < len(summary) <= limit


def test_kanji_numerals_and_full_width_digits_are_read_as_limits():
    assert len(run("以下の会議録を百字以内で要約してください。")) <= 100
    assert len(run("以下の会議録を８０字以内で要約してください。")) <= 80
    assert len(run("以下の会議録を三点で要約してください。").splitlines()) == 3


def test_a_limit_shorter_than_any_sentence_cuts_at_a_clause():
    summary = run("以下の会議録を20字以内で要約してください。")
    assert len(summary) <= 20 and summary.endswith("。")


def test_sentences_are_kept_in_their_original_order():
    lines = [line[1:] for line in run("以下の会議録を4点の箇条書きで要約してください。").splitlines()]
    assert lines == sorted(lines, key=MEETING.index)


def test_a_focus_topic_pulls_in_matching_sentences():
    summary = run("以下の会議録を、研修について1点で要約してください。")
    assert "研修" in summary


def test_no_text_gives_a_plain_instruction():
    reply = summarise.run(parse([{"role": "user", "content": "要約してください。"}]))
    assert "要約する文章が見当たりません" in reply


# ---------------------------------------------------------------- following the request

def ask(request: str, text: str = HANDBOOK) -> str:
    return summarise.run(parse([{"role": "user", "content": f"{request}\n---\n{text}"}]))


def test_the_key_instruction_ranks_above_background_and_examples():
    summary = ask("以下の文章を1点で要約してください。")
    assert summary == "・異動者は、着任後3日以内に「事務引継書」を前任者と確認すること。"
    assert "起きやすい" not in ask("以下の文章を要約してください。")  # the background sentence is left out


def test_polite_style_turns_the_chosen_sentences_into_desu_masu():
    summary = ask("以下の文章を、です・ます調で3点の箇条書きで要約してください。")
    assert "・異動者は、着任後3日以内に「事務引継書」を前任者と確認してください。" in summary.splitlines()
    assert all(line.endswith(("ます。", "ました。", "ません。", "ください。", "）。")) for line in summary.splitlines())
    assert "記入しました（HR-12）。" in summary or "残っていました（HR-20、HR-21）。" in summary


def test_plain_style_turns_polite_sentences_into_dearu():
    text = "説明会は5月に開きます。申込みは4月末までに必要です。会場は本庁舎です。"
    summary = ask("以下の文章を、である調で2点にまとめてください。", text)
    assert summary.splitlines() == ["・説明会は5月に開く。", "・申込みは4月末までに必要である。"]


def test_a_focus_keeps_only_the_sentences_about_it():
    assert ask("以下の文章を、異動者が着任後にすることについて要約してください。") == \
        "異動者は、着任後3日以内に「事務引継書」を前任者と確認すること。"


def test_a_focus_with_a_count_puts_the_sentences_about_it_first():
    lines = ask("以下の文章を、通勤手当について2点で要約してください。").splitlines()
    assert len(lines) == 2 and "通勤手当" in lines[0]


def test_a_focus_the_text_does_not_mention_is_said_in_a_note():
    body, notes = split_notes(ask("以下の文章を、予算について要約してください。"))
    assert body and notes == ["※ 「予算」についての文が見つからなかったため、文章全体から選びました。"]


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_lines_asked_for_are_exactly_that_many_lines_without_bullets(count):
    lines = ask(f"以下の会議録を{count}行でまとめてください。", MEETING).splitlines()
    assert len(lines) == count and not any(line.startswith("・") for line in lines)
    assert all(line in MEETING for line in lines)


def test_more_points_than_sentences_splits_sentences_at_clauses_or_says_why_not():
    text = "出納整理期間は5月31日までですが、早めに処理してください。請求書は受付日を記入します。"
    lines = ask("以下の文章を3点の箇条書きで要約してください。", text).splitlines()
    assert len(lines) == 3 and all(line.startswith("・") for line in lines)
    body, notes = split_notes(ask("以下の文章を3点の箇条書きで要約してください。", "請求書は受付日を記入します。"))
    assert body == "・請求書は受付日を記入します。" and "1 点にしました" in notes[0]


def test_a_role_gives_the_summary_a_first_line_from_that_viewpoint():
    with_role = ask("あなたは若葉市総務課の職員です。以下の文章を、です・ます調で2点の箇条書きで要約してください。")
    without = ask("以下の文章を、です・ます調で2点の箇条書きで要約してください。")
    assert with_role.splitlines()[0] == "若葉市総務課の職員として、文章の要点をまとめました。"
    assert with_role.splitlines()[1:] == without.splitlines()
    focused = ask("あなたは若葉市総務課の職員です。以下の文章を、異動者が着任後にすることについて要約してください。")
    assert focused.splitlines()[0] == "若葉市総務課の職員として、異動者が着任後にすることの要点をまとめた。"
    assert len(ask("あなたは総務課の職員です。以下の会議録を2行でまとめてください。", MEETING).splitlines()) == 2


def test_a_table_is_made_of_the_texts_list_and_columns_it_cannot_fill_are_said_so():
    body, notes = split_notes(ask("以下の文章を、表（「誤り」と「対策」の2列）でまとめてください。"))
    rows = body.splitlines()
    assert rows[:2] == ["| 誤り | 対策 |", "|---|---|"]
    assert rows[2] == "| 出勤簿の様式を古いものに記入した（HR-12）。 | （記載なし） |" and len(rows) == 5
    assert notes == ["※ 「対策」の列は、もとの文章から選べる文がないため「（記載なし）」としています。"]


def test_a_table_without_columns_numbers_its_points():
    rows = ask("以下の会議録を表で3点にまとめてください。", MEETING).splitlines()
    assert rows[0] == "| No. | 要点 |" and [row.split(" | ")[0] for row in rows[2:]] == ["| 1", "| 2", "| 3"]


@pytest.mark.parametrize("limit", [15, 30, 60, 100, 150, 300])
@pytest.mark.parametrize("extra", ["", "3点の箇条書きで、", "です・ます調で、", "表で、", "研修について、"])
def test_a_summary_never_exceeds_its_limit_whatever_else_is_asked(limit, extra):
    reply = summarise.run(parse([{"role": "user", "content":
                                  f"あなたは総務課の職員です。以下の会議録を{extra}{limit}字以内で要約してください。\n\n{MEETING}"}]))
    assert 0 < reader_length(body_of(reply)) <= limit


def test_a_limit_that_cuts_a_sentence_says_so():
    body, notes = split_notes(ask("以下の文章を12字以内で要約してください。"))
    assert reader_length(body) <= 12 and body.endswith("。")
    assert notes == ["※ 12字以内に収めるため、文の途中で切りました。"]


def test_what_the_engine_cannot_do_is_said_in_one_line():
    body, notes = split_notes(ask("以下の文章を、専門用語は使わずに要約してください。"))
    assert all(sentence in HANDBOOK.replace("- ", "") for sentence in body.split("。") if sentence)
    assert notes == ["※ 専門用語を言い換えることは、練習エンジンにはできません。文章の言葉をそのまま使っています。"]


def test_reported_speech_ending_in_to_no_koto_is_not_taken_for_a_request():
    assert importance("住居確保給付金を利用したいとのこと。") < importance("書類を持参すること。")


# ---------------------------------------------------------------- meeting records (lesson 06)

from kenshu.datasets import minutes  # noqa: E402
from kenshu.engine.router import route  # noqa: E402
from kenshu.engine.tasks.summarise import ActionItem, action_items, action_recall, match_actions, remarks  # noqa: E402

SUMMARY_PHRASINGS = (
    "この会議録を要約してください",
    "決定事項と宿題がわかるように3点の箇条書きで要約してください",
    "以下の会議録を200字以内でまとめてください",
    "会議の要点を教えてください",
    "この会議の概要を3行で書いてください",
    "会議録を短くしてください",
    "決定事項と宿題を整理してください",
    "宿題を担当・内容・期限の表にしてください",
    "誰が・何を・いつまでにやるのか一覧にしてください",
    "この会議で決まったことを箇条書きでまとめてください",
    "会議録をかいつまんで説明してください",
    "この会議の決定事項を抜き出してください",
)


def _ask_record(request: str, record) -> str:
    return summarise.run(parse([{"role": "user", "content": f"{request}\n\n{record.text}"}]))


@pytest.mark.parametrize("request_text", SUMMARY_PHRASINGS)
def test_natural_requests_about_a_meeting_record_route_to_the_summariser(request_text):
    record = minutes()[0]
    prompt = parse([{"role": "user", "content": f"{request_text}\n\n{record.text}"}])
    assert route(prompt)[0] == "summarise"
    assert len(prompt.material) > len(record.text) * 0.9  # the whole record is the material


def test_a_minutes_summary_has_no_speaker_labels_or_greetings_and_says_what_it_did():
    for record in minutes():
        reply = _ask_record("この会議録を要約してください", record)
        body, notes = split_notes(reply)
        assert "○" not in body and "ありがとう" not in body
        assert any("要約文を新しく書いてはいません" in note for note in notes)


def test_three_bullets_when_asked_taken_from_the_record():
    for record in minutes():
        body = body_of(_ask_record("決定事項と宿題がわかるように3点の箇条書きで要約してください", record))
        lines = body.splitlines()
        assert len(lines) == 3 and all(line.startswith("・") for line in lines)
        assert all(line[1:] in record.text for line in lines)


def test_a_character_limit_holds_for_minutes():
    for record in minutes():
        assert 0 < reader_length(body_of(_ask_record("この会議録を200字以内で要約してください", record))) <= 200


def test_remarks_drop_the_speaker_label_and_keep_the_department():
    record = next(r for r in minutes() if r.id == "kaikei_minaoshi")
    said = remarks(record.text)
    assert ("会計課審査係", next(s for d, s in said if s.startswith("会計課審査係の田村です"))) in said
    assert not any(s.startswith("○") for _, s in said)


def _reference(record) -> list[ActionItem]:
    frame = record.actions.fillna("")
    return [ActionItem(r.kind, r.text, r.owner, r.due) for r in frame.itertuples(index=False)]


def test_action_items_table_recovers_the_reference_items():
    # measured 2026-12-03: kaikei 0.93, ai_suishin 0.95, kotsu 1.00 (tools/benchmark_summaries.py)
    recalls = {r.id: action_recall(match_actions(_reference(r), action_items(r.text))) for r in minutes()}
    assert min(recalls.values()) >= 0.8, recalls


def test_the_one_who_accepts_a_request_owns_it_and_a_reply_gives_its_deadline():
    record = next(r for r in minutes() if r.id == "ai_suishin_02")
    items = {item.text: item for item in action_items(record.text)}
    assert items["研修は6月中に2回実施してください"].owner == "人事課"  # 「○中川委員　承知しました。」
    notice = next(item for text, item in items.items() if text.endswith("総務部長名で全庁に発出することとします"))
    assert notice.due == "2025-05-23"  # 「承知しました。今週中、5月23日までに発出します。」
    assert not any(text.startswith("今週中") for text in items)


def test_an_agreed_proposal_is_a_decision_of_the_meeting():
    record = next(r for r in minutes() if r.id == "kotsu_kaigi_2025_02")
    [agreed] = [item for item in action_items(record.text) if "本会議として了承" in item.text]
    assert (agreed.kind, agreed.owner) == ("決定事項", "若葉市地域公共交通会議")
    assert agreed.text.endswith("了承する")


def test_an_unanswered_proposal_stays_out_of_the_table():
    text = ("# 若葉市テスト会議 会議録\n\n○佐藤議長　この案を本会議として了承したいと思いますが、いかがでしょうか。\n\n"
            "○鈴木委員（総務課長）　もう少し検討が必要だと思います。\n\n○佐藤議長　では、総務課で5月末までに再度案を作成してください。\n")
    items = action_items(text)
    assert [(i.owner, i.due) for i in items] == [("総務課", "2025-05-31")]


def test_the_action_table_reads_owner_and_due_from_the_sentence():
    record = next(r for r in minutes() if r.id == "kaikei_minaoshi")
    reply = _ask_record("宿題を担当・内容・期限の表にしてください", record)
    assert reply.startswith("| 区分 | 担当 | 内容 | 期限 |")
    assert "| 宿題 | デジタル推進課 | FAQボットの試作版は6月末までにデジタル推進課で作成します | 2025-06-30 |" in reply


@pytest.mark.parametrize("record_id", ["kaikei_minaoshi", "ai_suishin_02", "kotsu_kaigi_2025_02"])
def test_owners_are_the_same_when_the_gateway_has_masked_the_names(record_id):
    # on the LGWAN-side gateway the engine sees 「○［氏名2］委員」 instead of 「○中川委員」
    from kenshu import datasets
    from kenshu.safety import mask

    [record] = [r for r in datasets.minutes() if r.id == record_id]
    plain = [(item.text, item.owner, item.due) for item in summarise.action_items(record.text)]
    masked = mask(record.text)
    through_gateway = [(item.owner, item.due) for item in summarise.action_items(masked.text)]
    assert [(owner, due) for _, owner, due in plain] == through_gateway
