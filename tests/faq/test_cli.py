"""``kenshu faq`` on the command line, as a municipality's staff or its trainer runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def kenshu(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kenshu", "faq", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=120)


def test_an_answer_cites_its_sections_and_a_refusal_names_the_contact():
    answered = kenshu("資金前渡の精算はいつまでにしますか")
    assert answered.returncode == 0 and "根拠:" in answered.stdout and "[ACC-12]" in answered.stdout
    refused = kenshu("退職手当の支給日はいつ？")
    assert refused.returncode == 0 and refused.stdout.startswith("手引きに定めがありません。")
    assert "[ACC-44]" in refused.stdout


def test_a_missing_manual_is_a_japanese_message_not_a_traceback(tmp_path):
    result = kenshu("--manual", str(tmp_path / "ない.docx"), "日当はいくら")
    assert result.returncode == 1 and "見つかりません" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_the_evaluation_prints_the_figures():
    result = kenshu("--evaluate")
    assert result.returncode == 0
    assert "hit@3" in result.stdout and "再現率" in result.stdout and "誤って断った" in result.stdout
