"""Lesson 08: batch classification through kenshu.ask, answers normalised to the labels, partial results on errors."""

from __future__ import annotations

import pandas as pd
import pytest

from kenshu import datasets
from kenshu.errors import ServerUnreachableError
from kenshu.lessons import comment_classifier
from kenshu.lessons.batch import (
    NOT_DONE,
    UNDECIDED,
    agreement,
    build_instruction,
    classify_texts,
    failure_report,
    most_confused,
    normalise_answer,
)
from kenshu.lessons.comment_analysis import read_labels

LABELS = ["支出", "決算・年度末", "旅費", "その他"]

# the label list of the lesson and of assignment lesson08 (its figures are in their text and hidden tests)
LESSON_LABELS = {
    "支出": "支払、払う、前払、部分払、資金前渡、振込、二重払、代金、立替、返してもらう",
    "契約": "入札、見積、随意契約、随契、委託、契約書、リース、貸付、業者、何社",
    "決算・年度末": "年度末、繰越、前年度、納品日、出納整理期間、3月、新年度",
    "予算": "予算、流用、補助金、地方債、発注、分けて、予備費",
    "歳入": "納付書、手数料、ふるさと納税、金庫、消込、収入、現金",
    "証拠書類": "請求書、領収書、証拠書類、インボイス、検収、保存、宛名",
    "旅費": "出張、旅費、宿泊料、車賃、日当",
    "その他": "異動、権限、システム、端末、どこに聞けば、電子決裁",
}


@pytest.mark.parametrize(("reply", "label"), [
    ("旅費", "旅費"), ("「旅費」", "旅費"), ("旅費。", "旅費"), ("分類: 旅費", "旅費"),
    ("決算・年度末", "決算・年度末"), ("ｿﾉ他", UNDECIDED), ("支出か旅費", UNDECIDED), ("わかりません", UNDECIDED),
    ("判定不能", UNDECIDED), ("", UNDECIDED),
])
def test_a_reply_becomes_one_of_the_labels_or_undecided(reply, label):
    assert normalise_answer(reply, LABELS) == label


def test_the_instruction_lists_every_label_and_the_undecided_answer():
    text = build_instruction({"支出": "支払、振込", "旅費": ""})
    assert "- 支出: 支払、振込\n- 旅費\n" in text and f"「{UNDECIDED}」" in text and text.endswith("---\n")


def test_every_row_gets_the_same_instruction_and_its_own_text():
    sent = []

    def ask(prompt, *, confidentiality):
        sent.append((prompt, confidentiality))
        return "旅費"

    result = classify_texts(["出張の旅費", "支払期限"], LABELS, progress=False, ask=ask)
    fixed = build_instruction(LABELS)
    assert [prompt for prompt, _ in sent] == [fixed + "出張の旅費", fixed + "支払期限"]
    assert {level for _, level in sent} == {1}
    assert result.tolist() == ["旅費", "旅費"] and result.attrs["failed"] == []


def test_the_result_keeps_the_index_of_the_texts():
    texts = pd.Series(["出張の旅費を精算したい", "金庫の鍵はどこ"], index=[10, 20])
    result = classify_texts(texts, LABELS, progress=False)
    assert list(result.index) == [10, 20] and result[10] == "旅費"


def test_the_lesson_figures_on_the_practice_engine():
    inquiries = datasets.inquiries()
    machine = classify_texts(inquiries["text"], LESSON_LABELS, progress=False)
    assert agreement(inquiries["category"], machine) == (162, 46.8)
    assert int((machine == UNDECIDED).sum()) == 122
    assert most_confused(inquiries["category"], machine) == ("その他", "支出", 12)


def test_an_error_keeps_the_rows_done_and_names_the_rows_that_failed(capsys):
    calls = []

    def ask(prompt, *, confidentiality):  # the server goes away after two rows
        calls.append(prompt)
        if len(calls) > 2:
            raise ServerUnreachableError("<接続先> に接続できませんでした。", todo="KENSHU_BACKEND を確かめてください。")
        return "支出"

    result = classify_texts(["a", "b", "c", "d"], LABELS, progress=False, ask=ask)
    assert result.tolist() == ["支出", "支出", NOT_DONE, NOT_DONE]
    assert result.attrs["failed"] == [2, 3] and len(calls) == 3
    report = failure_report(result)
    assert "4 件中 2 件を分類しました" in report and "⚠ 接続先につながりません" in report
    assert report in capsys.readouterr().out


def test_the_gate_stops_a_row_with_personal_data_before_a_standard_terms_service(monkeypatch, tmp_path):
    # nothing listens on the discard port: a request that got past the gate would fail to connect instead
    for name, value in {"KENSHU_BACKEND": "openai", "OPENAI_API_KEY": "test-key", "KENSHU_MODEL": "gpt-4.1-mini",
                        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "KENSHU_MAX_RETRIES": "0",
                        "KENSHU_AUDIT_LOG": str(tmp_path / "audit.sqlite3")}.items():
        monkeypatch.setenv(name, value)
    result = classify_texts(["若葉花子です。連絡は090-1234-5678へ。"], LABELS, progress=False)
    assert result.tolist() == [NOT_DONE]
    assert "送信を止めました" in result.attrs["error"]


def test_an_unreachable_server_gives_the_kits_japanese_error(monkeypatch, tmp_path):
    for name, value in {"KENSHU_BACKEND": "compatible", "OPENAI_API_KEY": "test-key", "KENSHU_MODEL": "m",
                        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "KENSHU_MAX_RETRIES": "0", "KENSHU_TIMEOUT": "2",
                        "KENSHU_AUDIT_LOG": str(tmp_path / "audit.sqlite3")}.items():
        monkeypatch.setenv(name, value)
    result = classify_texts(["出張の旅費", "支払期限"], LABELS, progress=False)
    assert result.tolist() == [NOT_DONE, NOT_DONE] and result.attrs["failed"] == [0, 1]
    assert result.attrs["error"].startswith("⚠ ")


def test_most_confused_leaves_out_the_undecided_column():
    person = pd.Series(["支出", "支出", "支出", "旅費"])
    machine = pd.Series([UNDECIDED, UNDECIDED, "旅費", "旅費"])
    assert most_confused(person, machine) == ("支出", "旅費", 1)


# ---------------------------------------------------------------- the widget

def test_the_label_box_is_read_one_label_a_line():
    assert read_labels("支出: 支払、振込\n\n旅費：出張\nその他") == {"支出": "支払、振込", "旅費": "出張", "その他": ""}


def test_the_widget_shows_the_agreement_and_the_crosstab_of_the_lesson():
    box = comment_classifier()
    box.buttons["run"].click()
    shown = box.outputs["result"].value
    assert "346 件中 162 件が人の分類と一致しました（一致率 46.8%）" in shown and "判定不能は 122 件" in shown
    assert "<table" in shown and "人の分類" in shown


def test_choosing_the_comments_fills_their_labels_and_editing_them_changes_the_result():
    box = comment_classifier()
    box.inputs["dataset"].value = "comments"
    assert read_labels(box.inputs["labels"].value).keys() == {"賛成", "条件付き賛成", "反対", "意見・質問"}
    box.buttons["run"].click()
    first = box.outputs["result"].value
    assert "232 件中" in first
    box.inputs["labels"].value = "賛成: 賛成\n反対: 反対"
    box.buttons["run"].click()
    assert box.outputs["result"].value != first and "232 件中" in box.outputs["result"].value


def test_fewer_than_two_labels_are_explained_without_sending():
    box = comment_classifier()
    box.inputs["labels"].value = "支出"
    box.buttons["run"].click()
    assert "2 つ以上" in box.outputs["result"].value
