"""The kenshu command as a trainer runs it: a real process, real output, real exit codes."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kenshu.settings import ENV_VARS

ROOT = Path(__file__).resolve().parent.parent


def run_kenshu(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ENV_VARS.values()}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "kenshu", *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=180)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_doctor_passes_with_no_settings_at_all():
    result = run_kenshu("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✗" not in result.stdout
    for item in ("Python", "パッケージ", "教材", "Jupyter カーネル", "設定", "送信ルール", "生成AIの呼び出し"):
        assert f"✓ {item}" in result.stdout
    assert "すべて正常です。python3 run.py start（Windows は py run.py start）で研修を始められます。" in result.stdout


def test_doctor_marks_a_missing_model_as_a_problem_before_it_fails_a_call():
    url = f"http://127.0.0.1:{closed_port()}/v1"
    result = run_kenshu("doctor", KENSHU_BACKEND="compatible", OPENAI_BASE_URL=url, KENSHU_MAX_RETRIES="0")
    assert result.returncode == 1
    assert "✗ 設定: 接続先 compatible / モデル（未設定。この接続先ではモデル名が必要です）" in result.stdout
    assert "✓ 設定" not in result.stdout
    assert "KENSHU_MODEL" in result.stdout and "python3 run.py config" in result.stdout
    assert "✗ 生成AIの呼び出し: 設定に誤りがあるため確認できません" in result.stdout
    assert "もう一度 python3 run.py doctor を実行してください" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_fails_in_japanese_without_a_traceback_when_the_server_is_down():
    url = f"http://127.0.0.1:{closed_port()}/v1"
    result = run_kenshu("doctor", KENSHU_BACKEND="compatible", OPENAI_BASE_URL=url, KENSHU_MODEL="llama3.1",
                        KENSHU_MAX_RETRIES="0")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "✗ 生成AIの呼び出し: 接続先のサーバーにつながらないか、応答が途中で切れました" in output
    assert "対処:" in output and "OPENAI_BASE_URL" in output
    assert "Traceback" not in output


def test_doctor_reports_a_bad_setting_and_exits_non_zero():
    result = run_kenshu("doctor", KENSHU_BACKEND="cloud")
    assert result.returncode == 1
    assert "✗ 設定: 接続先の種類「cloud」は使えません" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_reports_a_broken_policy_file_as_its_own_item(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('[openai]\nmax_confidentiality = 5\npersonal_data = "mask"\n', encoding="utf-8")
    result = run_kenshu("doctor", KENSHU_POLICY=str(policy))
    assert result.returncode == 1
    assert "✗ 送信ルール" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_config_prints_sources_and_never_the_key(tmp_path):
    secret = "sk-live-0123456789abcdefSECRET"
    (tmp_path / "kenshu.toml").write_text('backend = "openai"\nmodel = "gpt-4.1-mini"\n', encoding="utf-8")
    result = run_kenshu("config", cwd=tmp_path, OPENAI_API_KEY=secret)
    assert result.returncode == 0
    assert secret not in result.stdout and "0123456789" not in result.stdout
    assert "環境変数 OPENAI_API_KEY" in result.stdout
    assert str(tmp_path / "kenshu.toml") in result.stdout


def test_a_broken_config_file_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "kenshu.toml").write_text("backend = \n", encoding="utf-8")
    result = run_kenshu("config", cwd=tmp_path)
    assert result.returncode == 1
    assert "kenshu.toml を読み取れませんでした" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_outside_the_kit_explains_where_to_run_it(tmp_path):
    result = run_kenshu("start", "--no-browser", "--dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "研修キットのフォルダー" in result.stderr and "--dir" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [[], ["unknown"]])
def test_without_a_command_the_help_is_shown(command):
    result = run_kenshu(*command)
    assert result.returncode == 2
    assert "doctor" in result.stdout + result.stderr
