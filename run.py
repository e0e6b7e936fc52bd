"""Set up the kit in .venv (only when needed) and run it.

    python run.py start    # 研修を開く（オフライン練習エンジンが既定）
    python run.py test     # すべてのテストを実行する
    python run.py doctor   # 動作環境と接続先を点検する
    python run.py config   # いま有効な設定と、その設定元を表示する
    python run.py serve    # 研修室用に、練習エンジンをサーバーとして起動する

On Windows use ``py run.py start`` / ``py run.py test``. Extra arguments are passed
on: ``python run.py start --no-browser``, ``python run.py test -k settings``.
Only the standard library is used here, so this runs on a fresh Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "kenshu-install.stamp"
USAGE = """使い方:
  python run.py start    研修を開く（初回は環境を自動で準備します）
  python run.py test     すべてのテストを実行する
  python run.py doctor   動作環境と接続先を点検する
  python run.py config   いま有効な設定と、その設定元を表示する
  python run.py serve    研修室用に、練習エンジンをサーバーとして起動する（講師用）
  python run.py policy check   送信ルール（ポリシー）のファイルを点検する
  python run.py audit export   利用記録を CSV に書き出す
  python run.py exercises build   solutions/ から受講者用の課題（exercises/）を作り直す（講師用）
  python run.py exercises report 課題名   採点結果と「要確認」の一覧を表示する（講師用）
  python run.py class pack [課題名]   受講者に配る一式（解答なし）を zip にまとめる（講師用）
  python run.py class grade 課題名   取り込んだ提出を並行して採点する（講師用。roster・collect・report・certificates も）
  python run.py faq "質問"   会計事務の手引きから答える（問合せボット）
  python run.py guideline write ガイドライン.docx   自団体の生成AI利用ガイドラインを作る（送信ルールは guideline policy）
  python run.py cases list   活用事例集の一覧（validate・export・merge も使えます）
  python run.py record ノートブック --out 録画.jsonl   実際のモデルの応答を録画する（講師用。record check で確かめる）
  python run.py lint     コードの書き方を点検する（ruff、開発者用）
Windows では python の代わりに py と入力します（例: py run.py start）。"""
COMMANDS = {"start": "", "doctor": "", "config": "", "serve": "", "policy": "", "audit": "", "exercises": "", "class": "", "faq": "",
            "guideline": "", "cases": "", "record": "", "test": "[test]",
            "lint": "[test]"}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def fail(message: str) -> None:
    print(f"\n[kenshu] {message}", file=sys.stderr)
    sys.exit(1)


def wanted_stamp(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest} {extras} {sys.version_info[:2]}"


def ensure_installed(extras: str) -> None:
    if not venv_python().exists():
        print("[kenshu] 仮想環境 .venv を作成します（初回のみ）…", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    installed = STAMP.read_text(encoding="utf-8").splitlines() if STAMP.exists() else []
    # a test install covers a plain one
    if wanted_stamp(extras) in installed or wanted_stamp("[test]") in installed:
        return
    print("[kenshu] 必要なパッケージをインストールします（数分かかります）…", flush=True)
    command = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check",
               "--quiet", "--editable", f"{ROOT}{extras}"]
    if subprocess.call(command, cwd=ROOT) != 0:
        fail("パッケージのインストールに失敗しました。上に表示された pip のメッセージを確認してください。"
             "プロキシ環境では環境変数 HTTPS_PROXY の設定が必要なことがあります。"
             "直したあと、同じコマンドをもう一度実行してください。")
    current = [line for line in installed if line.split()[0] == wanted_stamp("").split()[0]]
    STAMP.write_text("\n".join([*current, wanted_stamp(extras)]) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        fail(f"Python 3.11 以上が必要です（いまは {sys.version.split()[0]}）。新しい Python を入れてから実行してください。")
    if not argv or argv[0] not in COMMANDS:
        print(USAGE)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_installed(COMMANDS[command])
    if command == "test":
        run = [str(venv_python()), "-m", "pytest", *rest]
    elif command == "lint":
        paths = [arg for arg in rest if not arg.startswith("-")] or ["kenshu", "tests", "tools", "run.py"]
        run = [str(venv_python()), "-m", "ruff", "check", *[arg for arg in rest if arg.startswith("-")], *paths]
    else:
        run = [str(venv_python()), "-m", "kenshu", command, *rest]
    # Ctrl+C reaches the child too (same console); wait for it to finish cleanly rather than kill it
    # (subprocess.call would kill it after 0.25 s, leaving `start`'s Jupyter server running on its own).
    child = subprocess.Popen(run, cwd=ROOT)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
