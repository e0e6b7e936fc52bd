"""The gate policy file, the decision it leads to, and `kenshu policy check`."""

import textwrap

import pytest

import kenshu
from kenshu.cli import main
from kenshu.errors import PolicyError, SettingsError
from kenshu.gate import ALLOWED, BLOCKED, check_confidentiality, decide, load_policy
from kenshu.gate.policy import DEFAULT_POLICY_PATH, read_policy
from kenshu.safety import KINDS, PUBLIC_KINDS, find_pii

MYNUMBER = "123456789018"  # a valid check digit
NAME_TEXT = "市民課の山田太郎様から、転居届について電話で問い合わせがありました。"
MYNUMBER_TEXT = f"申請者の個人番号は {MYNUMBER} です。"


@pytest.fixture(autouse=True)
def audit_log(tmp_path, monkeypatch):
    """Calls made here are logged to a file of this test, not the user's data folder."""
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(tmp_path / "audit.sqlite3"))


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the default policy

def test_default_policy_lets_the_offline_engine_receive_everything():
    rule = load_policy().rule("offline")
    assert rule.max_confidentiality == 3 and rule.personal_data == "allow"
    assert rule.allows_everything


def test_default_policy_limits_compatible_servers_to_class_2_with_masking():
    rule = load_policy().rule("compatible")
    assert rule.max_confidentiality == 2 and rule.personal_data == "mask"
    assert not rule.block_kinds


@pytest.mark.parametrize("backend", ["openai", "azure"])
def test_default_policy_keeps_cloud_backends_to_class_1_without_personal_data(backend):
    rule = load_policy().rule(backend)
    assert rule.max_confidentiality == 1 and rule.personal_data == "block"
    assert all(rule.action_for(kind) == "block" for kind in KINDS if kind not in PUBLIC_KINDS)


def test_default_policy_file_is_commented_in_japanese_and_shipped_with_the_package():
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    assert "約款型外部サービス" in text and "機密性" in text
    assert "gate/*.toml" in (DEFAULT_POLICY_PATH.parents[2] / "pyproject.toml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- decisions

def test_a_mynumber_for_a_cloud_backend_is_blocked_with_kinds_and_counts_but_never_the_value():
    decision = decide(load_policy(), "openai", 1, [MYNUMBER_TEXT + NAME_TEXT])
    assert decision.action == BLOCKED
    assert "個人番号 1 件" in decision.what and "氏名 1 件" in decision.what
    assert "offline" in decision.todo
    assert MYNUMBER not in decision.reason and "山田太郎" not in decision.reason


def test_names_for_a_cloud_backend_are_blocked_and_the_todo_says_how_to_mask_and_review():
    decision = decide(load_policy(), "openai", None, [NAME_TEXT])
    assert decision.action == BLOCKED
    assert "記号に置き換えた文章" in decision.todo and "目で確かめて" in decision.todo
    assert "checker()" in decision.todo and "kenshu.safety.mask" in decision.todo
    assert "氏名 1 件" in decision.what and "山田太郎" not in decision.reason


def test_the_masked_text_may_then_be_sent_to_a_cloud_backend():
    from kenshu.safety import mask

    decision = decide(load_policy(), "openai", None, [mask(NAME_TEXT).text])
    assert decision.action == ALLOWED


def test_a_class_above_the_backends_maximum_is_blocked_whatever_the_text():
    decision = decide(load_policy(), "compatible", 3, ["今日の天気について"])
    assert decision.action == BLOCKED
    assert "機密性3" in decision.what and "機密性2まで" in decision.what
    assert "offline" in decision.todo and "confidentiality=2" in decision.todo


def test_undeclared_confidentiality_counts_as_class_1():
    assert check_confidentiality(None) == 1
    assert decide(load_policy(), "openai", None, ["会議の日程調整"]).confidentiality == 1


@pytest.mark.parametrize("value", [0, 4, -1, "2", 2.0, True])
def test_confidentiality_must_be_the_integer_1_2_or_3(value):
    with pytest.raises(SettingsError) as caught:
        check_confidentiality(value)
    assert "1、2、3" in caught.value.todo


def test_block_kinds_win_over_masking_and_allow_kinds_let_a_kind_through(tmp_path):
    path = write(tmp_path / "p.toml", """
        [compatible]
        max_confidentiality = 2
        personal_data = "mask"
        block_kinds = ["phone"]
        allow_kinds = ["person_name"]
    """)
    policy = load_policy(path)
    assert decide(policy, "compatible", 1, ["電話 03-1234-5678 に連絡"]).action == BLOCKED
    allowed = decide(policy, "compatible", 1, [NAME_TEXT])
    assert allowed.action == ALLOWED and "氏名 1 件" in allowed.what


def test_spans_found_once_can_be_passed_to_the_decision():
    spans = find_pii(MYNUMBER_TEXT)
    assert decide(load_policy(), "azure", 1, [MYNUMBER_TEXT], spans=spans).action == BLOCKED


# ---------------------------------------------------------------- validation

PROBLEMS = [
    ("[ollama]\nmax_confidentiality = 2\npersonal_data = \"mask\"\n", "知らない接続先「[ollama]」"),
    ("[openai]\nmax_confidentiality = 1\npersonal_data = \"mask\"\nmax_class = 2\n", "知らない項目「max_class」"),
    ("[openai]\nmax_confidentiality = 4\npersonal_data = \"mask\"\n", "max_confidentiality = 4 は範囲外"),
    ("[openai]\nmax_confidentiality = 0\npersonal_data = \"mask\"\n", "max_confidentiality = 0 は範囲外"),
    ("[openai]\nmax_confidentiality = 1\npersonal_data = \"mask\"\nblock_kinds = [\"my_number\"]\n",
     "「my_number」は知らない種類です（「mynumber」の書き間違いではありませんか）"),
    ("[openai]\nmax_confidentiality = \"1\"\npersonal_data = \"mask\"\n", "整数（1、2、3 のどれか）で書いてください（いまは文字列"),
    ("[openai]\nmax_confidentiality = 1\npersonal_data = true\n", "personal_data は文字列で書いてください"),
    ("[openai]\nmax_confidentiality = 1\npersonal_data = \"hide\"\n", "personal_data = \"hide\" は使えません"),
    ("[openai]\nmax_confidentiality = 1\npersonal_data = \"mask\"\nblock_kinds = \"mynumber\"\n", "種類の名前の配列で書いてください"),
    ("[openai]\nmax_confidentiality = 1\npersonal_data = \"mask\"\nblock_kinds = [\"phone\"]\nmask_kinds = [\"phone\"]\n",
     "block_kinds と mask_kinds の両方"),
    ("[openai]\npersonal_data = \"mask\"\n", "max_confidentiality（送ってよい機密性の上限"),
    ("openai = 1\n", "[openai] という見出しの表で書いてください"),
    ("max_confidentiality = 1\n", "知らない項目「max_confidentiality」"),
    ("[openai\n", "TOML として正しくありません"),
]


@pytest.mark.parametrize(("content", "expected"), PROBLEMS)
def test_policy_mistakes_are_reported_precisely_in_japanese(tmp_path, content, expected):
    policy, problems = read_policy(write(tmp_path / "policy.toml", content))
    assert policy is None
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path / "policy.toml", """
        [openai]
        max_confidentiality = 9
        personal_data = "hide"
        [ollama]
        max_confidentiality = 1
    """)
    _, problems = read_policy(path)
    assert len(problems) == 3


def test_a_backend_left_out_of_a_policy_file_keeps_the_built_in_rule(tmp_path):
    policy = load_policy(write(tmp_path / "p.toml", '[openai]\nmax_confidentiality = 1\npersonal_data = "block"\n'))
    assert policy.rule("openai").personal_data == "block"
    assert policy.rule("compatible") == load_policy().rule("compatible")
    assert set(policy.inherited) == {"offline", "compatible", "azure"}


def test_a_broken_policy_stops_calls_with_a_japanese_settings_error(tmp_path, monkeypatch):
    path = write(tmp_path / "broken.toml", "[offline]\nmax_confidentiality = 5\npersonal_data = \"allow\"\n")
    monkeypatch.setenv("KENSHU_POLICY", str(path))
    with pytest.raises(PolicyError) as caught:
        kenshu.ask("テスト")
    error = caught.value
    assert isinstance(error, SettingsError)
    assert "max_confidentiality = 5 は範囲外" in error.what
    assert "python3 run.py policy check" in error.todo and error.setting == "KENSHU_POLICY"
    assert error._render_traceback_()[1].startswith("送信ルール")


def test_a_missing_policy_file_stops_calls_too(tmp_path, monkeypatch):
    monkeypatch.setenv("KENSHU_POLICY", str(tmp_path / "nowhere.toml"))
    with pytest.raises(PolicyError) as caught:
        kenshu.ask("テスト")
    assert "見つかりません" in caught.value.what


def test_a_relative_policy_path_in_kenshu_toml_is_relative_to_that_file(isolated_settings, monkeypatch):
    kit = isolated_settings
    write(kit / "rules.toml", '[offline]\nmax_confidentiality = 1\npersonal_data = "block"\n')
    write(kit / "kenshu.toml", 'policy = "rules.toml"\n')
    (kit / "course").mkdir()
    monkeypatch.chdir(kit / "course")  # a notebook's kernel runs in course/
    with pytest.raises(kenshu.KenshuError) as caught:
        kenshu.ask("テスト", confidentiality=2)
    assert "機密性1まで" in caught.value.what


# ---------------------------------------------------------------- kenshu policy check

def test_policy_check_accepts_the_default_policy_and_exits_0(capsys):
    assert main(["policy", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("✓")
    assert "openai" in out and "機密性1まで" in out and "個人情報は送らない" in out


def test_policy_check_of_a_good_file_exits_0_and_notes_inherited_backends(tmp_path, capsys):
    path = write(tmp_path / "p.toml", '[openai]\nmax_confidentiality = 1\npersonal_data = "block"\n')
    assert main(["policy", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "✓" in out and "既定のルール" in out


def test_policy_check_lists_every_problem_and_exits_1(tmp_path, capsys):
    path = write(tmp_path / "p.toml", '[openai]\nmax_confidentiality = 4\npersonal_data = "hide"\n')
    assert main(["policy", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "✗" in out and "2 件の問題" in out and "範囲外" in out and "hide" in out


def test_policy_check_of_a_missing_file_exits_1(tmp_path, capsys):
    assert main(["policy", "check", str(tmp_path / "none.toml")]) == 1
    assert "見つかりません" in capsys.readouterr().out


def test_policy_check_without_a_path_checks_the_configured_policy(tmp_path, monkeypatch, capsys):
    path = write(tmp_path / "p.toml", '[azure]\nmax_confidentiality = "x"\npersonal_data = "mask"\n')
    monkeypatch.setenv("KENSHU_POLICY", str(path))
    assert main(["policy", "check"]) == 1
    assert str(path) in capsys.readouterr().out


def test_policy_check_runs_as_a_command(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path / "p.toml", '[openai]\nmax_confidentiality = 7\npersonal_data = "mask"\n')
    bad = subprocess.run([sys.executable, "-m", "kenshu", "policy", "check", str(path)],
                         capture_output=True, text=True, encoding="utf-8")
    good = subprocess.run([sys.executable, "-m", "kenshu", "policy", "check"],
                          capture_output=True, text=True, encoding="utf-8")
    assert (bad.returncode, good.returncode) == (1, 0)
    assert "範囲外" in bad.stdout and "Traceback" not in bad.stderr
