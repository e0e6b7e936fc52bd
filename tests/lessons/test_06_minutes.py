"""Lesson 06's minutes checker: the requests, reading a reply's table, matching it with the reference list."""

from kenshu.engine.tasks.summarise import ActionItem
from kenshu.errors import RequestTimeoutError
from kenshu.lessons import minutes_checker
from kenshu.lessons.minutes_check import (
    ACTIONS_REQUEST,
    SUMMARY_REQUEST,
    actions_request,
    check_minutes,
    compare_items,
    found_text,
    records,
    reference_items,
    table_items,
    title,
)

REPLY = """以下のとおり整理しました。

| 区分 | 担当 | 内容 | 期限 |
|---|---|---|---|
| 宿題 | 人事課 | FAQボットの試作版を作成する | 2025年6月30日 |
| 宿題 | デジタル推進課 | 差戻し事例の一覧を各課へ送付 | （記載なし） |
"""


def test_the_three_records_have_titles_and_reference_items():
    assert sorted(records()) == ["ai_suishin_02", "kaikei_minaoshi", "kotsu_kaigi_2025_02"]
    kaikei = records()["kaikei_minaoshi"]
    assert title(kaikei) == "会計事務の引継ぎと問合せ対応の見直しに関する検討会議"
    items = reference_items(kaikei)
    assert len(items) == 14 and items[0].kind == "決定事項" and items[5].due == "2025-04-25"
    assert all(item.due == "" or len(item.due) == 10 for item in items)  # no NaN from empty cells


def test_requests_put_the_whole_record_after_the_instruction():
    record = records()["ai_suishin_02"]
    assert actions_request(record) == f"{ACTIONS_REQUEST}\n\n{record.text}"
    assert "3点の箇条書き" in SUMMARY_REQUEST and "担当" in ACTIONS_REQUEST and "期限" in ACTIONS_REQUEST


def test_table_items_read_any_backends_markdown_table():
    items = table_items(REPLY)
    assert items == [ActionItem("宿題", "FAQボットの試作版を作成する", "人事課", "2025-06-30"),
                     ActionItem("宿題", "差戻し事例の一覧を各課へ送付", "デジタル推進課", "")]
    assert table_items("表はありません。") == []


def test_compare_finds_the_item_and_marks_a_wrong_owner():
    reference = [ActionItem("宿題", "FAQボットの試作版は6月末までにデジタル推進課で作成します", "デジタル推進課", "2025-06-30"),
                 ActionItem("宿題", "会計サポーターの仕組みを検討する", "会計課・人事課", "")]
    matches = compare_items(reference, table_items(REPLY))
    assert matches[0].found is not None and not matches[0].owner_ok and matches[0].due_ok
    assert matches[1].found is None
    shown = found_text(matches)
    assert "担当 ✗（表では「人事課」） 期限 ✓" in shown
    assert "✗ 見つからない: 会計サポーターの仕組みを検討する（会計課・人事課、期限なし）" in shown
    assert shown.endswith("参照の 2 件のうち 1 件が表にありました（内容・担当・期限を1点ずつ数えた再現率 0.33）。")


def test_check_minutes_on_the_practice_engine_recovers_most_items():
    result = check_minutes("kaikei_minaoshi")
    assert result.summary.count("\n・") == 2 and result.summary.startswith("・")
    assert sum(m.found is not None for m in result.matches) >= 12


def test_check_minutes_uses_the_given_ask_with_confidentiality_1():
    sent = []

    def ask(text, confidentiality):
        sent.append((text.splitlines()[0], confidentiality))
        return REPLY

    check_minutes("kaikei_minaoshi", ask=ask)
    assert sent == [(SUMMARY_REQUEST, 1), (ACTIONS_REQUEST, 1)]


# ---------------------------------------------------------------- the widget

def test_widget_shows_summary_reference_table_and_what_was_found():
    box = minutes_checker()
    assert [value for _, value in box.inputs["record"].options] == sorted(records())
    box.inputs["record"].value = "ai_suishin_02"
    box.buttons["run"].click()
    assert box.outputs["summary"].value.startswith("・")
    assert box.outputs["reference"].value == records()["ai_suishin_02"].summary
    assert box.outputs["actions"].value.startswith("| 区分 | 担当 | 内容 | 期限 |")
    assert box.outputs["found"].value.count("\n") == len(reference_items(records()["ai_suishin_02"]))


def test_widget_shows_a_backend_error_in_japanese(monkeypatch):
    import kenshu

    def slow(text, confidentiality):  # the network edge: the backend does not answer
        raise RequestTimeoutError("60 秒待っても返答がありませんでした。", todo="KENSHU_TIMEOUT を長くしてください。")

    monkeypatch.setattr(kenshu, "ask", slow)
    box = minutes_checker()
    box.buttons["run"].click()
    assert box.outputs["summary"].value.startswith("⚠ 応答が時間内に返りませんでした") and "KENSHU_TIMEOUT" in box.outputs["summary"].value
