"""``python3 run.py guideline write|policy|choices``: the municipality's guideline (.docx) and its gate policy (.toml)."""

from __future__ import annotations

from pathlib import Path

from kenshu.errors import GuidelineError
from kenshu.guideline import DEFAULT_CHOICES, Choices, policy_toml, read_choices, write_docx


def _choices(path: Path | None) -> Choices:
    return read_choices(path) if path else DEFAULT_CHOICES


def _free(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise GuidelineError(f"{path} はすでにあります。上書きしませんでした。",
                             todo="別の名前を指定するか、上書きしてよければ --force を付けてください。")


def run_guideline(action: str, path: Path, *, choices: Path | None = None, force: bool = False) -> int:
    chosen = _choices(choices)
    _free(path, force)
    if action == "write":
        write_docx(chosen, path)
        print(f"{chosen.municipality}の生成AI利用ガイドラインを {path} に書きました"
              f"（{'選択: ' + str(choices) if choices else '既定の選択'}）。")
        print(f"同じ選択の送信ルールは `python3 run.py guideline policy 送信ルール.toml{' --choices ' + str(choices) if choices else ''}` で作れます。")
        return 0
    if action == "policy":
        if path.suffix.lower() != ".toml":
            raise GuidelineError(f"{path.name} は TOML のファイル名ではありません。", todo="名前の最後を .toml にしてください。")
        path.write_text(policy_toml(chosen), encoding="utf-8")
        print(f"送信ルールを {path} に書きました。kenshu.toml に policy = \"{path.resolve().as_posix()}\" と書くと、"
              "この送信ルールで点検します（kenshu.toml に相対パスで書くときは、kenshu.toml のあるフォルダーからの場所です）。")
        print(f"点検: kenshu policy check {path}")
        return 0
    path.write_text(chosen.as_toml(), encoding="utf-8")
    print(f"既定の選択を {path} に書きました。書き換えてから `python3 run.py guideline write ガイドライン.docx --choices {path}` で使います。")
    return 0
