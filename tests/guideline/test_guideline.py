"""The guideline (.docx) and the gate policy come from the same choices and say the same thing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from docx import Document

from kenshu.cli import main
from kenshu.errors import GuidelineError
from kenshu.gate.decide import ALLOWED, BLOCKED, MASKED, decide
from kenshu.gate.policy import load_policy, parse_policy, read_policy
from kenshu.guideline import DEFAULT_CHOICES, Choices, articles, policy_from, policy_toml, read_choices, write_docx
from kenshu.guideline.choices import SERVICE_NAMES
from kenshu.guideline.clauses import LIMITS, PERSONAL

NAME_TEXT = "申請者 山田 太郎 さんの件で相談です。"
VARIANTS = [
    DEFAULT_CHOICES,
    Choices(services=("compatible",), gateway_personal_data="block"),
    Choices(services=("openai",), gateway_max_confidentiality=1),
    Choices(services=(), logging=False, training_required=False, review_months=6, municipality="青葉町",
            effective="2027-04-01"),
]


def docx_text(path: Path) -> tuple[list[str], list[list[str]]]:
    document = Document(str(path))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return [p.text for p in document.paragraphs], rows


def test_the_default_choices_give_exactly_the_kits_default_policy():
    assert policy_from(DEFAULT_CHOICES).rules == load_policy(None).rules


@pytest.mark.parametrize("choices", VARIANTS, ids=lambda c: ",".join(c.services) or "offline-only")
def test_the_word_file_states_what_the_gate_enforces(tmp_path, choices):
    paragraphs, rows = docx_text(write_docx(choices, tmp_path / "guideline.docx"))
    policy = policy_from(choices)
    listed = {row[0]: row[1:] for row in rows[1:]}
    for backend, rule in policy.rules.items():
        name = SERVICE_NAMES[backend]
        if rule.allowed:
            assert listed[name] == [LIMITS[rule.max_confidentiality], PERSONAL[rule.personal_data]]
        else:
            assert name not in listed
            assert any(name in p and "第6条の承認" in p for p in paragraphs), backend
    text = "\n".join(paragraphs)
    assert text.count("第") and f"{choices.municipality}生成AI利用ガイドライン" in text
    for heading in ("目的", "定義", "利用できるサービス", "入力してはならない情報", "利用者の責務", "承認", "記録", "研修", "見直し"):
        assert f"（{heading}）" in paragraphs
    assert f"少なくとも{choices.review_months}か月ごと" in text
    assert ("研修を受けなければならない" in text) == choices.training_required
    assert (f"{choices.log_retention_years}年間保存" in text) == choices.logging
    gateway = policy.rules["compatible"]
    if gateway.allowed:
        limit = "機密性3の情報" if gateway.max_confidentiality == 2 else "機密性2以上の情報"
        assert f"庁内の生成AIには、{limit}" in text
    cloud = policy.rules["openai"].allowed or policy.rules["azure"].allowed
    assert ("約款型外部サービスには、個人情報及び機密性2以上の情報" in text) == cloud
    assert "デジタル庁" in text and "申合せ" in text  # sources cited


def test_a_service_the_municipality_does_not_use_receives_nothing():
    policy = policy_from(Choices(services=("compatible",)))
    stopped = decide(policy, "openai", 1, ["会議の案内文を考えてください。"])
    assert stopped.action == BLOCKED and "使わないことになっている" in stopped.what
    assert "compatible" in stopped.todo
    assert decide(policy, "compatible", 2, [NAME_TEXT]).action == MASKED
    assert decide(policy_from(DEFAULT_CHOICES), "openai", 1, ["会議の案内文を考えてください。"]).action == ALLOWED
    assert policy.backends_for(1) == ["offline", "compatible"]


def test_a_gateway_that_takes_no_personal_data_blocks_a_name():
    policy = policy_from(Choices(gateway_personal_data="block"))
    assert decide(policy, "compatible", 1, [NAME_TEXT]).action == BLOCKED


def test_allowed_must_be_true_or_false_in_a_policy_file():
    policy, problems = parse_policy({"openai": {"allowed": "no", "max_confidentiality": 1, "personal_data": "block"}},
                                    source="x.toml")
    assert policy is None and any("allowed は引用符なしの true か false" in p for p in problems)


def test_choices_that_cannot_be_written_are_refused_in_japanese():
    with pytest.raises(GuidelineError, match="機密性3の情報は PC の外に出しません"):
        Choices(gateway_max_confidentiality=3)
    with pytest.raises(GuidelineError, match="知らない名前 chatbot"):
        Choices(services=("chatbot",))


def test_choices_read_from_a_file_keep_defaults_for_what_is_not_given(tmp_path):
    path = tmp_path / "choices.toml"
    path.write_text('municipality = "青葉町"\nservices = ["compatible"]\n', encoding="utf-8")
    chosen = read_choices(path)
    assert chosen.municipality == "青葉町" and chosen.services == ("compatible",)
    assert chosen.review_months == DEFAULT_CHOICES.review_months
    path.write_text(DEFAULT_CHOICES.as_toml(), encoding="utf-8")
    assert read_choices(path) == DEFAULT_CHOICES
    path.write_text('reviw_months = 12\n', encoding="utf-8")
    with pytest.raises(GuidelineError, match="知らない項目 reviw_months"):
        read_choices(path)
    path.write_text('municipality = "青葉町\n', encoding="utf-8")
    with pytest.raises(GuidelineError, match="読めませんでした"):
        read_choices(path)


def test_kenshu_guideline_writes_both_files_and_never_overwrites(tmp_path, capsys):
    choices = tmp_path / "choices.toml"
    assert main(["guideline", "choices", str(choices)]) == 0
    choices.write_text(choices.read_text(encoding="utf-8").replace('"若葉市"', '"青葉町"'), encoding="utf-8")
    document, policy_file = tmp_path / "ガイドライン.docx", tmp_path / "送信ルール.toml"
    assert main(["guideline", "write", str(document), "--choices", str(choices)]) == 0
    assert main(["guideline", "policy", str(policy_file), "--choices", str(choices)]) == 0
    written, problems = read_policy(policy_file)
    assert not problems and written.rules == policy_from(read_choices(choices)).rules
    assert "青葉町生成AI利用ガイドライン" in docx_text(document)[0]
    before = document.read_bytes()
    capsys.readouterr()
    assert main(["guideline", "write", str(document)]) == 1
    assert "上書きしませんでした" in capsys.readouterr().err and document.read_bytes() == before
    assert main(["guideline", "write", str(document), "--force"]) == 0


def test_the_policy_file_is_valid_toml_for_every_variant():
    for choices in VARIANTS:
        data = tomllib.loads(policy_toml(choices))
        assert set(data) == {"name", "offline", "compatible", "openai", "azure"}


def test_articles_are_numbered_in_order_with_the_supplementary_provision_last():
    numbers = [a.number for a in articles(DEFAULT_CHOICES)]
    assert numbers == [*range(1, 10), 0]


@pytest.mark.parametrize("name", ['若葉"市', "../外", "若葉市\\x", "若葉\n市"])
def test_a_name_that_would_break_a_file_name_or_the_toml_is_refused(name):
    with pytest.raises(GuidelineError, match="使えない文字"):
        Choices(municipality=name)


def test_names_are_quoted_safely_in_both_toml_files(tmp_path):
    chosen = Choices(municipality="若葉市（試行）", approver="情報政策課長＆CIO補佐官")
    assert policy_from(chosen).name == "若葉市（試行） 生成AI利用ガイドライン"
    path = tmp_path / "choices.toml"
    path.write_text(chosen.as_toml(), encoding="utf-8")
    assert read_choices(path) == chosen
