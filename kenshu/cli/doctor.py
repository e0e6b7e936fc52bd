"""``kenshu doctor``: a Japanese checklist of what the course needs, with a fix for each failure."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata

import openai

from kenshu.errors import KenshuError
from kenshu.llm.backends import build_client, endpoint_of
from kenshu.llm.failures import explain
from kenshu.paths import kit_root
from kenshu.settings import Settings, resolve

# the kit's own command, as the README writes it (python3 on macOS and Linux, py on Windows)
RUN = "python3 run.py"
START = f"{RUN} start（Windows は py run.py start）"
REGISTER_KERNEL = (".venv/bin/python -m ipykernel install --user"
                   "（Windows は .venv\\Scripts\\python.exe -m ipykernel install --user）")

REQUIRED_PACKAGES = ("jupyterlab", "jupyterlab-language-pack-ja-JP", "nbgrader", "ipywidgets", "openai", "pandas")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    todo: str = ""


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info >= (3, 11):
        return Check("Python", True, version)
    return Check("Python", False, f"{version}（3.11 以上が必要です）", f"Python 3.11 以上を入れ、{START}で環境を作り直してください。")


def check_packages() -> Check:
    found, missing = [], []
    for name in REQUIRED_PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check("パッケージ", False, f"見つかりません: {', '.join(missing)}",
                     f"キットのフォルダーで {START}を実行すると、必要なものが入ります。")
    return Check("パッケージ", True, ", ".join(found))


def check_course() -> Check:
    try:
        root = kit_root()
    except KenshuError as exc:
        return Check("教材", False, exc.what, exc.todo)
    lessons = sorted((root / "course").glob("*.ipynb"))
    return Check("教材", True, f"{root / 'course'}（レッスン {len(lessons)} 本）")


def check_kernel() -> Check:
    """Start the notebook kernel and import kenshu in it, as a lesson would."""
    from jupyter_client.manager import start_new_kernel

    todo = f"キットのフォルダーで {REGISTER_KERNEL} を実行してから、もう一度点検してください。"
    try:
        manager, kernel = start_new_kernel(kernel_name="python3", startup_timeout=60, stderr=subprocess.DEVNULL)
    except Exception as exc:  # any failure to start is the finding itself
        return Check("Jupyter カーネル", False, f"起動できませんでした（{exc.__class__.__name__}: {exc}）", todo)
    try:
        reply = kernel.execute_interactive("import kenshu", timeout=60, output_hook=lambda msg: None)
        ok = reply["content"]["status"] == "ok"
    finally:
        kernel.stop_channels()
        manager.shutdown_kernel(now=True)
    if ok:
        return Check("Jupyter カーネル", True, "python3（kenshu を読み込めます）")
    return Check("Jupyter カーネル", False, "カーネルから kenshu を読み込めません（別の Python が使われています）",
                 f"キットの .venv の Python でカーネルを登録してください。キットのフォルダーで {REGISTER_KERNEL} を実行します。")


def check_settings() -> tuple[Check, Settings | None]:
    try:
        settings = resolve()
    except KenshuError as exc:
        return Check("設定", False, exc.what, exc.todo), None
    if not settings.model:  # only a backend other than offline can lack one; every call would fail
        example = "デプロイ名" if settings.backend == "azure" else "gpt-4.1-mini" if settings.backend == "openai" else "llama3.1"
        return Check("設定", False, f"接続先 {settings.backend} / モデル（未設定。この接続先ではモデル名が必要です）",
                     f"KENSHU_MODEL（または kenshu.toml の model）にモデル名を設定してください（例: {example}）。"
                     f"設定元は {RUN} config で確かめられます。"), settings
    if settings.faq_dense:
        from kenshu.faq.meaning import require

        try:
            require()
        except KenshuError as exc:
            return Check("設定", False, exc.what, exc.todo), settings
    return Check("設定", True, f"接続先 {settings.backend} / モデル {settings.model}"), settings


def check_policy(settings: Settings | None) -> Check:
    """The gate's policy file reads and validates (a broken one stops every call)."""
    from kenshu.gate.policy import policy_for

    if settings is None:
        return Check("送信ルール", False, "設定に誤りがあるため確認できません", "上の「設定」の対処を先に行ってください。")
    try:
        policy = policy_for(settings)
    except KenshuError as exc:
        return Check("送信ルール", False, exc.what, exc.todo)
    rule = policy.rule(settings.backend)
    return Check("送信ルール", True, f"{policy.label}（接続先 {settings.backend} へは機密性{rule.max_confidentiality}まで）")


def check_backend(settings: Settings | None) -> Check:
    name = "生成AIの呼び出し"
    if settings is None or not settings.model:
        return Check(name, False, "設定に誤りがあるため確認できません", "上の「設定」の対処を先に行ってください。")
    try:
        client = build_client(settings)
    except KenshuError as exc:
        return Check(name, False, exc.what, exc.todo)
    began = time.perf_counter()
    try:
        client.chat.completions.create(
            model=settings.model or "", max_tokens=16,
            messages=[{"role": "user", "content": "接続確認です。「はい」とだけ答えてください。"}])
    except openai.OpenAIError as exc:
        error = explain(exc, settings, endpoint_of(client))
        todo = error.todo + _available_models(client) if isinstance(exc, openai.NotFoundError) else error.todo
        return Check(name, False, error.what, todo)
    elapsed = time.perf_counter() - began
    return Check(name, True, f"{endpoint_of(client)} から応答がありました（{elapsed:.2f} 秒）")


def _available_models(client: openai.OpenAI) -> str:
    try:
        names = [model.id for model in client.models.list()]
    except openai.OpenAIError:
        return ""
    return f" この接続先のモデル: {', '.join(names[:10])}" if names else ""


def iter_checks(kernel: bool = True) -> Iterator[Check]:
    """Each check as it completes, so a slow one does not hide the others."""
    steps: list[Callable[[], Check]] = [check_python, check_packages, check_course]
    if kernel:
        steps.append(check_kernel)
    for step in steps:
        yield step()
    settings_check, settings = check_settings()
    yield settings_check
    yield check_policy(settings)
    yield check_backend(settings)


def doctor() -> int:
    print("kenshu doctor — 研修の動作環境を点検します", flush=True)
    checks = []
    for check in iter_checks():
        checks.append(check)
        print(f"{'✓' if check.ok else '✗'} {check.name}: {check.detail}", flush=True)
        if not check.ok and check.todo:
            print(f"    対処: {check.todo}")
    failures = sum(not check.ok for check in checks)
    if failures:
        print(f"\n問題が {failures} 件あります。「対処」に従って直してから、もう一度 {RUN} doctor を実行してください。")
        return 1
    print(f"\nすべて正常です。{START}で研修を始められます。")
    return 0
