"""Lesson 11 (リスクと対策): the risk register, the fictional terms excerpts, and what the lesson and its assignment say.

The lesson's cells are run here as they stand in the notebook, so that the counts its text gives
(20 risks; 4, 5, 6, 5 by stage; 7 helped by a kit feature; 21 inquiries on the revised rule, 17 of them
in April–June 2025) are kept, and the assignment's answers are checked against the data they come from.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kenshu import datasets
from kenshu.safety import find_pii

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "course" / "11_risks_and_controls.ipynb"
ASSIGNMENT = ROOT / "solutions" / "lesson11" / "lesson11.ipynb"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def lesson_cells() -> list[str]:
    return [cell.source for cell in nbformat.read(LESSON, as_version=4).cells if cell.cell_type == "code"]


def lesson_markdown() -> str:
    return "\n".join(cell.source for cell in nbformat.read(LESSON, as_version=4).cells if cell.cell_type == "markdown")


def run_until(marker: str, replace: tuple[str, str] | None = None) -> dict:
    """Run the lesson's code cells in order, up to and including the first that holds ``marker``."""
    namespace: dict = {}
    for source in lesson_cells():
        if replace and replace[0] in source:
            source = source.replace(*replace)
        exec(compile(source, str(LESSON), "exec"), namespace)  # noqa: S102
        if marker in source:
            return namespace
    raise AssertionError(f"no lesson cell holds {marker!r}")


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["id"])


# ---------------------------------------------------------------- the register

def test_the_register_has_twenty_risks_four_five_six_five_by_stage():
    risks = datasets.governance_risks()
    assert ids(risks) == [f"R{n:02d}" for n in range(1, 21)]
    assert list(risks["stage"].cat.categories) == list(datasets.RISK_STAGES)
    assert risks["stage"].value_counts(sort=False).to_dict() == {"企画": 4, "調達・契約": 5, "利用": 6, "運用・見直し": 5}
    for column in ("risk", "example", "countermeasure"):
        assert risks[column].notna().all() and (risks[column].str.len() > 5).all(), column
    assert risks["owner"].notna().all()
    assert risks["countermeasure"].is_unique


def test_the_owners_are_those_the_text_counts():
    risks = datasets.governance_risks()
    assert risks["owner"].value_counts().to_dict() == {"情報政策担当": 6, "所管課長": 4, "利用する職員": 4, "契約担当": 3, "係長": 3}
    assert ids(risks[risks["owner"] == "利用する職員"]) == ["R10", "R11", "R12", "R13"]
    assert ids(risks[risks["owner"] == "係長"]) == ["R14", "R15", "R19"]
    before_use = risks[risks["stage"].isin(["企画", "調達・契約"])]
    assert len(before_use) == 9 and set(before_use["owner"]) == {"情報政策担当", "契約担当", "所管課長"}
    in_use = risks[risks["stage"] == "利用"]
    assert set(in_use["owner"]) == {"利用する職員", "係長"} and ids(in_use[in_use["owner"] == "係長"]) == ["R14", "R15"]


def test_seven_risks_are_helped_by_a_kit_feature_and_the_text_names_them():
    risks = datasets.governance_risks()
    helped = risks[risks["kit_feature"].map(len) > 0]
    assert ids(helped) == ["R04", "R08", "R09", "R10", "R11", "R16", "R17"]
    assert {f for features in risks["kit_feature"] for f in features} == {"ゲート", "利用記録", "個人情報チェッカー", "問合せボット"}
    assert ids(risks[risks["kit_feature"].map(lambda f: "ゲート" in f)]) == ["R08", "R10", "R11"]
    assert ids(risks[risks["kit_feature"].map(lambda f: "利用記録" in f)]) == ["R09", "R16"]
    # the risks the text says the gate does not catch
    for ident in ("R12", "R13", "R18"):
        assert risks.set_index("id").loc[ident, "kit_feature"] == []


def test_every_lesson_a_risk_points_to_exists():
    risks = datasets.governance_risks()
    numbers = {path.name[:2] for path in (ROOT / "course").glob("*.ipynb")}
    pointed = {n for lessons in risks["lessons"] for n in lessons}
    assert pointed <= numbers, pointed - numbers
    assert all(risks["lessons"].map(len) > 0)


def test_the_lesson_cells_show_the_counts_the_text_states():
    namespace = run_until("helped = ")
    assert len(namespace["risks"]) == 20 and len(namespace["helped"]) == 7
    shown = run_until('owner = "', replace=('owner = "利用する職員"', 'owner = "係長"'))
    chosen = shown["risks"].loc[shown["risks"]["owner"] == shown["owner"]]
    assert ids(chosen) == ["R14", "R15", "R19"]   # the やってみよう
    text = lesson_markdown()
    for phrase in ("企画 4 件、調達・契約 5 件、利用 6 件、運用・見直し 5 件", "情報政策担当が 6 件", "20 件のうち 7 件",
                   "残りの 13 件", "使い始める前の 9 件"):
        assert phrase in text, phrase


def test_a_register_with_an_unknown_stage_is_a_japanese_message(monkeypatch, tmp_path):
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "risk_register.csv").write_text(
        "id,stage,risk,example,countermeasure,owner,kit_feature,lessons\nR01,設計,a,b,c,d,,\n", encoding="utf-8")
    monkeypatch.setenv("KENSHU_DATASETS", str(tmp_path))
    with pytest.raises(datasets.DatasetError, match="知らない段階"):
        datasets.governance_risks()
    with pytest.raises(datasets.DatasetError, match="見つかりません"):
        datasets.terms_excerpts()


# ---------------------------------------------------------------- the terms excerpts

def excerpts() -> dict[str, datasets.TermsExcerpt]:
    return {excerpt.service: excerpt for excerpt in datasets.terms_excerpts()}


def clauses(service: str, words: list[str]) -> str:
    return "\n".join(excerpts()[service].clauses_with(words))


def test_three_fictional_services_two_under_standard_terms_one_contracted():
    found = excerpts()
    assert list(found) == ["サービスA", "サービスB", "サービスC"]
    assert [found[s].contract.split("（")[0] for s in found] == ["約款型", "約款型", "個別の契約"]
    assert all("架空" in excerpt.text for excerpt in found.values())
    assert "LGWAN" in found["サービスC"].contract


def test_the_four_points_differ_as_the_lesson_table_says():
    # 学習への利用: A trains unless turned off (inputs before that stay used); B and C do not
    learning_a = clauses("サービスA", ["学習"])
    assert "学習に利用します" in learning_a and "オフにした後" in learning_a and "この限りではありません" in learning_a
    assert "学習に利用しません" in clauses("サービスB", ["学習"])
    assert "学習その他この契約の目的以外に利用しない" in clauses("サービスC", ["学習"])
    # 保存期間
    assert "削除するまで" in excerpts()["サービスA"].text and "30日以内" in excerpts()["サービスA"].text
    assert "30日間保存" in excerpts()["サービスB"].text and "担当者が、保存した入力と出力を読んで" in excerpts()["サービスB"].text
    assert "1年間保存" in excerpts()["サービスC"].text and "書面で報告" in excerpts()["サービスC"].text
    # 所在国と準拠法: B stores abroad under Japanese law, C in Japan, A wherever and under its home country's law
    place = {s: clauses(s, ["データセンター"]) for s in excerpts()}
    law = {s: clauses(s, ["準拠法"]) for s in excerpts()}
    assert "日本国外" in place["サービスA"] and "本店がある国の法令" in law["サービスA"]
    assert "日本国外" in place["サービスB"] and "日本法" in law["サービスB"]
    assert "国内" in place["サービスC"] and "日本国外" not in place["サービスC"] and "日本法" in law["サービスC"]
    # 再委託
    assert "公表しません" in clauses("サービスA", ["委託"])
    assert "一覧" in clauses("サービスB", ["委託"]) and "30日前" in clauses("サービスB", ["委託"])
    assert "書面による承諾" in clauses("サービスC", ["委託"])


def test_the_lesson_search_finds_a_clause_for_every_point_and_service():
    points = run_until("POINTS = {")["POINTS"]
    assert len(points) == 4
    for point, words in points.items():
        for excerpt in datasets.terms_excerpts():
            assert excerpt.clauses_with(words), (point, excerpt.service)


def test_the_practice_summary_drops_the_exception_the_text_points_out():
    import kenshu

    request = run_until("print(kenshu.ask(request")["request"]
    summary = kenshu.ask(request, confidentiality=1)
    bullets = [line for line in summary.splitlines() if line.startswith("・")]
    assert len(bullets) == 2 and all("学習" in line for line in bullets)
    assert "この限りではありません" not in summary


def test_the_gate_blocks_confidential_material_for_standard_terms_and_lets_the_contracted_service_take_it():
    from kenshu.gate import decide, load_policy

    memo = run_until("memo = ")["memo"]
    policy = load_policy()
    assert decide(policy, "openai", 2, memo).label == "送信不可"
    assert decide(policy, "compatible", 2, memo).label == "送信可"


def test_no_personal_data_in_the_new_datasets():
    texts = [excerpt.text for excerpt in datasets.terms_excerpts()]
    risks = datasets.governance_risks()
    texts += ["\n".join(risks[column]) for column in ("risk", "example", "countermeasure")]
    found = [(span.kind, span.text) for text in texts for span in find_pii(text)]
    assert found == []


# ---------------------------------------------------------------- the revised rule (5)

def test_only_acc27_is_superseded_and_the_inquiries_on_it_crowd_after_the_revision():
    sections = datasets.accounting_sections()
    assert len(sections) == 45 and list(sections.loc[~sections["current"], "id"]) == ["ACC-27"]
    manual = {s.id: s for s in datasets.accounting_manual()}
    assert manual["ACC-27a"].effective == "2025-04-01"
    assert "80万円" in manual["ACC-27"].body and "150万円（改正前 80万円）" in manual["ACC-27a"].body
    about = run_until("about = ")["about"]
    assert len(about) == 21
    month = about["date"].dt.strftime("%Y-%m")
    assert month.isin(["2025-04", "2025-05", "2025-06"]).sum() == 17
    assert (about["date"] >= "2025-07-01").sum() == 4
    old = about[about["resolved_section"] == "ACC-27"]
    assert len(old) == 3 and set(old["date"].dt.month) <= {4, 5}
    assert all(any(word in text for word in ("3月", "令和6年度")) for text in old["text"])
    text = lesson_markdown()
    assert "21 件のうち 17 件" in text and "合わせて 4 件" in text and "廃止された節は ACC-27 の 1 節だけ" in text


# ---------------------------------------------------------------- the assignment

def assignment_cells() -> dict[str, nbformat.NotebookNode]:
    cells = nbformat.read(ASSIGNMENT, as_version=4).cells
    return {c.metadata["nbgrader"]["grade_id"]: c for c in cells if "nbgrader" in c.metadata}


def solution(grade_id: str) -> str:
    source = assignment_cells()[f"{grade_id}_answer"].source
    return re.search(r'answer_\w+ = "(.*)"', SOLUTION.search(source).group(1)).group(1)


def test_question_one_offers_the_registers_own_countermeasures_and_the_answers_match_them():
    risks = datasets.governance_risks().set_index("id")
    question = assignment_cells()["q1_question"].source
    options = dict(re.findall(r"^- \*\*([A-E])\*\* (.+)$", question, re.M))
    assert sorted(options) == list("ABCDE")
    measures = set(risks["countermeasure"])
    assert set(options.values()) <= measures
    for grade_id, ident in [("q1a", "R05"), ("q1b", "R10"), ("q1c", "R12"), ("q1d", "R18")]:
        assert f"| {ident} | {risks.loc[ident, 'risk']} | {risks.loc[ident, 'example']} |" in question
        assert options[solution(grade_id)] == risks.loc[ident, "countermeasure"], grade_id
    used = {solution(g) for g in ("q1a", "q1b", "q1c", "q1d")}
    assert len(used) == 4 and len(set(options) - used) == 1


def test_question_seven_is_the_number_of_risks_the_register_gives_the_kakaricho():
    risks = datasets.governance_risks()
    assert int(solution("q7")) == (risks["owner"] == "係長").sum() == 3


def test_the_service_d_excerpt_supports_the_answers_of_questions_two_to_four():
    excerpt = assignment_cells()["q2_question"].source
    assert "約款型外部サービス" in excerpt and "架空" in excerpt
    article5 = excerpt[excerpt.index("第5条"):excerpt.index("第6条")]
    assert "学習に利用しません" in article5 and "選んだときは" in article5      # opt-in: B
    assert solution("q2") == "B"
    article6 = excerpt[excerpt.index("第6条"):excerpt.index("第12条")]
    assert "日本国内" in article6 and "日本国外" not in article6                 # stored in Japan: A
    assert "日本国外" in excerpt[excerpt.index("第12条"):]                       # the trap: the governing law
    assert solution("q3") == "A"
    assert solution("q4") == "C" and "機密性2" in assignment_cells()["q4_question"].source


def test_every_hint_names_a_heading_of_the_lesson():
    headings = {line[3:].strip() for line in lesson_markdown().splitlines() if line.startswith("## ")}
    hints = re.findall(r"レッスン 11 の「([^」]+)」", "\n".join(c.source for c in assignment_cells().values()))
    assert hints and set(hints) <= headings, set(hints) - headings


def test_the_datasheet_states_the_counts_of_the_data():
    sheet = (ROOT / "datasets" / "governance" / "README.md").read_text(encoding="utf-8")
    assert "20 件（企画 4、調達・契約 5、利用 6、運用・見直し 5）" in sheet and "機能があるのは 7 件" in sheet
    articles = {e.service: sum(line.startswith("## ") for line in e.text.splitlines()) for e in datasets.terms_excerpts()}
    assert articles == {"サービスA": 5, "サービスB": 5, "サービスC": 4}
    for service, count in [("service_a", 5), ("service_b", 5), ("service_c", 4)]:
        assert re.search(rf"`terms/{service}\.md` \|.*\| {count} 条 \|", sheet), service
