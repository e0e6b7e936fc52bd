"""The case catalogue: checked against its schema and the sending rule, exported for people, merged without loss."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from docx import Document
from openpyxl import load_workbook

from kenshu.cases import export_docx, export_xlsx, load_case, load_catalogue, merge
from kenshu.cases.catalogue import SCHEMA_PATH, allowed_backends, shipped_folder
from kenshu.cli import main
from kenshu.errors import CatalogueError
from tests.support.cases import CASE, variant, write


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- the shipped catalogue

def test_the_shipped_catalogue_holds_at_least_thirty_valid_cases_in_every_category():
    catalogue = load_catalogue()
    assert len(catalogue) >= 30
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert {c.category for c in catalogue} == set(schema["properties"]["category"]["enum"])
    for case in catalogue:
        assert set(case.backends) <= set(allowed_backends(case.confidentiality, case.personal_data)), case.id
        assert "{{" not in case.fill(), case.id


def test_the_schema_is_a_valid_json_schema_with_a_version():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"] == {"const": 1, "description": "この形式の版。いまは 1"}


def test_the_backends_rule_is_the_gates_rule():
    assert allowed_backends(1, False) == ["offline", "compatible", "openai", "azure"]
    assert allowed_backends(1, True) == ["offline", "compatible"]
    assert allowed_backends(2, False) == ["offline", "compatible"]
    assert allowed_backends(3, False) == ["offline"]


# ---------------------------------------------------------------- bad files

@pytest.mark.parametrize(("changes", "expected"), [
    ({"data__backends": ["offline", "openai"], "data__personal_data": True}, "openai は、機密性1で個人情報を含む情報を受け取れません"),
    ({"data__confidentiality": 4}, "扱う情報（data） の 機密性（confidentiality） は 1 / 2 / 3 のどれかです"),
    ({"category": "雑務"}, "分類（category） は"),
    ({"prompt__template": "あなたは総務課の職員です。{{会議名}}の開催通知を{{場所}}で作ってください。"}, "{{場所}} に、差し込む所"),
    ({"checks": ["日付"]}, "確かめること（checks） には 2 個以上書きます"),
    ({"id": "ab-1"}, "番号は「KS-001」のように"),
])
def test_a_bad_case_is_named_with_the_field_that_is_wrong(tmp_path, changes, expected):
    path = write(tmp_path, variant(**changes), name="AB-001")
    with pytest.raises(CatalogueError) as caught:
        load_case(path)
    assert expected in caught.value.what and "AB-001.toml" in caught.value.what


def test_a_missing_field_and_an_unknown_one_are_both_reported(tmp_path):
    data = variant()
    del data["checks"]
    data["chekcs"] = ["x"]
    with pytest.raises(CatalogueError) as caught:
        load_case(write(tmp_path, data))
    assert "確かめること（checks） がありません" in caught.value.what and "知らない項目 chekcs" in caught.value.what


def test_a_broken_toml_file_gets_a_japanese_message(tmp_path):
    path = tmp_path / "AB-001.toml"
    path.write_text('id = "AB-001\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="TOML として正しくありません"):
        load_case(path)


def test_two_files_with_one_id_are_reported(tmp_path):
    write(tmp_path, CASE)
    other = write(tmp_path / "x", CASE)
    other.rename(tmp_path / "AB-002.toml")
    with pytest.raises(CatalogueError, match="ファイル名 AB-002.toml が番号 AB-001 と違います"):
        load_catalogue(tmp_path)


# ---------------------------------------------------------------- export

def test_export_to_excel_reads_back_one_row_per_case(tmp_path):
    catalogue = load_catalogue()
    path = export_xlsx(catalogue, tmp_path / "事例集.xlsx")
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("番号", "題名", "分類") and len(rows) == len(catalogue) + 1
    first = catalogue.cases[0]
    assert rows[1][0] == first.id and rows[1][9] == first.data["prompt"]["template"]


def test_export_to_word_has_a_heading_per_case(tmp_path):
    catalogue = load_catalogue()
    document = Document(str(export_docx(catalogue, tmp_path / "事例集.docx")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"{c.id} {c.title}" for c in catalogue]


# ---------------------------------------------------------------- merge

def test_merge_adds_new_cases_with_provenance_and_reports_conflicts_without_overwriting(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    write(ours, CASE)
    write(ours, variant(id="AB-002", title="議事録の要約"))
    before = snapshot(ours)
    write(theirs, CASE)                                           # identical
    write(theirs, variant(id="AB-002", title="議事録の要約（改）"))  # conflict
    write(theirs, variant(id="CD-010", title="窓口の案内文"))       # new
    report = merge(theirs, ours)
    assert report.added == ["CD-010"] and report.identical == ["AB-001"]
    assert report.conflicts == {"AB-002": ["title"]}
    after = snapshot(ours)
    assert {k: v for k, v in after.items() if k != "CD-010.toml"} == before
    added = load_case(ours / "CD-010.toml")
    assert added.data["provenance"]["merged_from"].endswith("CD-010.toml")
    assert added.data["provenance"]["source"] == "青葉町 総務課"
    assert len(load_catalogue(ours)) == 3
    assert merge(theirs, ours).added == []  # merging again adds nothing


def test_a_merge_with_a_bad_incoming_case_writes_nothing(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    write(ours, CASE)
    before = snapshot(ours)
    write(theirs, variant(id="CD-010"))
    write(theirs, variant(id="CD-011", data__confidentiality=3))  # backends too wide for 機密性3
    with pytest.raises(CatalogueError) as caught:
        merge(theirs, ours)
    assert "何も取り込みませんでした" in caught.value.what and "CD-011" in caught.value.what
    assert snapshot(ours) == before


# ---------------------------------------------------------------- the command

def test_kenshu_cases_commands(tmp_path, capsys):
    assert main(["cases", "validate"]) == 0
    assert "誤りはありません" in capsys.readouterr().out
    assert main(["cases", "list"]) == 0
    listed = capsys.readouterr().out
    assert "KS-001" in listed and "計 " in listed
    target = tmp_path / "事例集.xlsx"
    assert main(["cases", "export", str(target)]) == 0 and target.is_file()
    assert main(["cases", "export", str(target)]) == 1
    assert "上書きしませんでした" in capsys.readouterr().err
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    write(ours, CASE)
    write(theirs, variant(title="会議開催通知の下書き（改）"))
    assert main(["cases", "merge", str(theirs), "--catalogue", str(ours)]) == 1
    assert "取り込まなかった事例: 1 件" in capsys.readouterr().out
    assert shipped_folder().name == "cases"
