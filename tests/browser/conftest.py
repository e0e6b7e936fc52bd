"""Fixtures for the browser tests: a copy of the kit served by its own JupyterLab, and headless Chromium.

Without Debian's ``chromium`` or Playwright the tests are skipped, except where ``KENSHU_REQUIRE_BROWSER=1``
(``.ci/run`` sets it after installing Chromium): there a missing browser fails the run. A failing test
leaves a screenshot of its page in ``.browser-failures/`` at the kit's top.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.browser import free_port, launch, start_lab, stop_lab
from tests.support.grading_kit import ROOT, environment

FAILURES = ROOT / ".browser-failures"


def _browser_or_skip():
    reason = None
    if shutil.which("chromium") is None:
        reason = "Debian の chromium がありません（apt-get install chromium）"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright がありません（python3 run.py test で入ります）"
    if reason:
        if os.environ.get("KENSHU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ブラウザーのテストを実行できません: {reason}")
        pytest.skip(reason)


def _kit_copy(target: Path) -> Path:
    """What a learner's PC holds, plus the trainer's folders (the learner's view must hide them)."""
    for name in ("course", "exercises", "solutions"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (target / "grader").mkdir()
    for name in ("nbgrader_config.py", "class_admin.ipynb"):
        shutil.copy(ROOT / "grader" / name, target / "grader")
    shutil.copy(ROOT / "README.md", target / "README.md")
    return target


def _a_class(kit: Path) -> None:
    """demo in the gradebook, a roster file and a shared folder with two submissions, as a trainer has them."""
    import nbformat

    from tests.support.grading_kit import run, solution

    built = run(["-m", "kenshu", "exercises", "build", "--assignment", "demo"], cwd=kit)
    assert built.returncode == 0, built.stdout + built.stderr
    (kit / "名簿.csv").write_text("受講者ID,氏名,所属課\n3001,山本 花子,総務課\n3002,佐藤 健,市民課\n", encoding="utf-8")
    (kit / "提出").mkdir()
    nbformat.write(solution("demo"), kit / "提出" / "demo_3001.ipynb")
    nbformat.write(solution("demo"), kit / "提出" / "demo_3002 - コピー.ipynb")


@pytest.fixture(scope="session")
def playwright_session():
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def _lab(tmp_path_factory, trainer: bool, prepare=None):
    kit = _kit_copy(tmp_path_factory.mktemp("trainer-kit" if trainer else "learner-kit"))
    if prepare is not None:
        prepare(kit)
    port = free_port()
    env = environment(KENSHU_AUDIT_LOG=str(kit / "audit.sqlite3"))
    process = start_lab(kit, port, trainer, kit.parent / f"{kit.name}-settings" / "settings", env=env)
    return kit, f"http://127.0.0.1:{port}", process


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory, playwright_session):
    kit, base, process = _lab(tmp_path_factory, trainer=False)
    yield kit, base
    stop_lab(process)


@pytest.fixture(scope="module")
def trainer_lab(tmp_path_factory, playwright_session):
    kit, base, process = _lab(tmp_path_factory, trainer=True, prepare=_a_class)
    yield kit, base
    stop_lab(process)


@pytest.fixture
def page(playwright_session, request):
    context = playwright_session.new_context(viewport={"width": 1280, "height": 1400}, locale="ja-JP")
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        FAILURES.mkdir(exist_ok=True)
        path = FAILURES / f"{request.node.name}.png"
        try:
            opened.screenshot(path=str(path), full_page=True)
            print(f"画面を保存しました: {path}")
        except Exception:  # noqa: BLE001 - the page may be gone
            pass
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
