"""Lesson 05's draft checker: requests from the drafting tasks, the check of a draft against its facts."""

import pytest

from kenshu import datasets
from kenshu.errors import KenshuError, RequestTimeoutError
from kenshu.lessons import draft_checker
from kenshu.lessons.draft_check import (
    check_draft,
    dates,
    request_for,
    run_task,
    sentence_report,
    task,
    tasks,
    unsupported_figures,
    unsupported_sentences,
)

SOURCE = """催し: 若葉市 防災講演会
日時: 令和7年9月6日（土）13時30分〜15時
定員: 80人（申込順）
参加費: 無料
申込: 8月29日（金）までに、電話で危機管理課へ"""


def test_every_row_of_the_data_set_is_a_task_with_its_facts_split_by_label():
    items = tasks()
    assert [item.id for item in items] == list(datasets.drafting_tasks()["id"])
    festival = task("N01")
    assert festival.kind == "お知らせ"
    assert ("参加費", "無料") in festival.facts
    assert "雨天時の扱い" in festival.missing


def test_unknown_task_is_a_japanese_error():
    with pytest.raises(KenshuError, match="N99"):
        task("N99")


def test_request_holds_every_fact_and_asks_for_要確認_on_gaps():
    item = task("N05")
    request = request_for(item)
    assert "自治会長向けの案内文" in request
    assert "【要確認】と書いてください" in request
    assert all(value in request for _, value in item.facts)


def test_dates_keep_the_weekday_and_read_full_width_digits():
    assert dates("令和７年１０月１８日(土曜日)１０時〜１５時") == ["令和7年", "10月18日（土）", "10時", "15時"]


def test_a_wrong_weekday_or_an_invented_figure_is_found():
    assert unsupported_figures(SOURCE, "9月6日（日）に開催します。") == ["9月6日（日）"]
    assert unsupported_figures(SOURCE, "定員は先着100人です。") == ["100"]
    # the same date without its weekday, a time and a figure given in the source are supported
    assert unsupported_figures(SOURCE, "9月6日の13時30分から、定員80人で開きます。") == []


def test_list_numbers_of_a_draft_are_not_figures():
    assert unsupported_figures(SOURCE, "1. 定員: 80人\n2. 参加費: 無料\n（3）申込: 8月29日（金）まで") == []


def test_sentences_are_numbered_in_the_draft_and_claims_without_figures_pass():
    draft = "防災講演会を開催します。日時は9月6日（日）です。参加者には記念品を差し上げます。定員は100人です。"
    found = unsupported_sentences(SOURCE, draft)
    assert [(f.number, f.figures) for f in found] == [(2, ("9月6日（日）",)), (4, ("100",))]
    report = sentence_report(SOURCE, draft)
    assert "4 文に分けて" in report and "機械には分かりません" in report
    assert "3. 参加者には記念品" not in report


def test_sentence_report_asks_for_both_texts():
    assert sentence_report("", "下書き").startswith("元の資料と下書きの両方")


def test_check_lists_facts_present_and_absent_and_needed_items_the_draft_does_not_name():
    item = task("N01")
    draft = "若葉市 市民健康まつりを、令和7年10月18日（土）10時〜15時に若葉市総合体育館で開きます。雨天時の扱いは【要確認】です。"
    result = check_draft(item, draft)
    assert ("会場", "若葉市総合体育館") in result.present
    assert ("参加費", "無料") in result.absent
    assert result.marks == 1
    assert "雨天時の扱い" in result.missing_named and "駐車場の有無" in result.missing_unnamed
    assert result.figures == ()
    assert "✗ 参加費: 無料" in result.text()


def test_run_task_sends_the_request_and_checks_the_reply():
    seen = []

    def ask(text, confidentiality):
        seen.append((text, confidentiality))
        return "令和7年10月19日（日）に開催します。参加費: 無料"

    result = run_task("N01", ask=ask)
    assert seen == [(request_for(task("N01")), 1)]
    assert result.check.figures == ("10月19日（日）",)
    assert ("参加費", "無料") in result.check.present


def test_a_backend_error_is_shown_as_the_reply_in_japanese():
    def ask(text, confidentiality):
        raise RequestTimeoutError("応答がありませんでした。")

    assert run_task("N02", ask=ask).reply.startswith("⚠ ")


def test_widget_drafts_the_chosen_task_and_checks_pasted_text():
    box = draft_checker()
    assert [value for _, value in box.inputs["task"].options] == [item.id for item in tasks()]
    box.inputs["task"].value = "N04"
    box.buttons["run"].click()
    assert box.outputs["request"].value == request_for(task("N04"))
    assert box.outputs["reply"].value.strip()
    assert box.outputs["check"].value.startswith("事実 4 件のうち")
    box.inputs["source"].value = SOURCE
    box.inputs["draft"].value = "定員は先着100人です。"
    box.buttons["sentences"].click()
    assert "1. 定員は先着100人です。" in box.outputs["sentences"].value
