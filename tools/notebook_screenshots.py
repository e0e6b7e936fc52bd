"""Open notebooks in the kit's own JupyterLab in headless Chromium, run all cells, save screenshots.

    .venv/bin/python tools/notebook_screenshots.py course/00_orientation.ipynb [...] [--out shots] [--trainer] [--click]

For looking at what a learner sees (a developer's tool, not a test). Needs Debian's
``chromium`` and ``pip install playwright`` in the venv. For each notebook it writes
``<out>/<name>-01.png``, ``-02.png``, ... (one per screen, top to bottom) and prints the text
of any error output and of any cell still running after the time limit. With ``--click``, after Run All
every primary widget button (「実行」「分類する」…) is pressed once, top to bottom, before the screenshots,
so they show what a learner sees after trying each widget.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "kenshu-screenshots"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_lab(port: int, trainer: bool, settings: Path) -> subprocess.Popen:
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")  # render every cell
    env = {**os.environ, "JUPYTER_TOKEN": TOKEN, "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTER_CONFIG_DIR": str(settings.parent / "config"), "JUPYTER_RUNTIME_DIR": str(settings.parent / "rt")}
    args = [sys.executable, "-m", "kenshu", "start", "--no-browser", "--port", str(port)]
    process = subprocess.Popen(args + (["--trainer"] if trainer else []), cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit("JupyterLab did not start")


def press_buttons(page) -> int:
    """Press every primary widget button once, waiting until the kernel is idle after each."""
    buttons = page.locator(".jp-OutputArea-output button.jupyter-button.mod-primary")
    pressed = 0
    for index in range(buttons.count()):
        button = buttons.nth(index)
        if not (button.is_visible() and button.is_enabled()):
            continue  # e.g. a second step shown only after the first
        button.scroll_into_view_if_needed(timeout=10_000)
        button.click(timeout=10_000)
        pressed += 1
        page.wait_for_timeout(500)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        page.wait_for_timeout(1000)
    return pressed


def shoot(page, base: str, notebook: str, out: Path, wait: float, click: bool = False) -> list[str]:
    # a workspace of its own: only this notebook open
    workspace = Path(notebook).stem.replace(".", "-")
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    # the Japanese menu: 実行 > すべてのセルを実行
    page.locator(".lm-MenuBar-itemLabel", has_text="実行").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="すべてのセルを実行").first.click()
    deadline = time.time() + wait
    try:
        page.wait_for_selector(".jp-InputPrompt:has-text('[*]')", timeout=15_000)
    except Exception:
        return [f"{notebook}: Run All did not start"]
    while time.time() < deadline:
        busy = page.locator(".jp-InputPrompt:has-text('[*]')").count()
        if busy == 0:
            break
        page.wait_for_timeout(1000)
    page.wait_for_timeout(1500)
    problems = [f"{notebook}: error output: {text[:300]}"
                for text in page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
                if "Traceback" in text or "Error" in text]
    if page.locator(".jp-InputPrompt:has-text('[*]')").count():
        problems.append(f"{notebook}: cells still running after {wait:.0f} s")
    if click:
        print(f"{notebook}: pressed {press_buttons(page)} buttons")
    scroller = page.locator(".jp-WindowedPanel-outer").first
    # the last cell's bottom, not scrollHeight: the notebook pads its end with an empty screen
    height = scroller.evaluate("e => { const cells = e.querySelectorAll('.jp-Cell');"
                               " const last = cells[cells.length - 1];"
                               " return last ? last.getBoundingClientRect().bottom - e.getBoundingClientRect().top"
                               " + e.scrollTop : e.scrollHeight; }")
    step = scroller.evaluate("e => e.clientHeight") - 40
    stem = Path(notebook).stem
    for number, top in enumerate(range(0, max(int(height), 1), int(step)), 1):
        scroller.evaluate(f"e => e.scrollTop = {top}")
        page.wait_for_timeout(250)
        page.screenshot(path=str(out / f"{stem}-{number:02d}.png"))
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", type=Path, default=Path("shots"))
    parser.add_argument("--trainer", action="store_true")
    parser.add_argument("--wait", type=float, default=180, help="seconds to wait for Run All")
    parser.add_argument("--click", action="store_true", help="press every primary widget button after Run All")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="kenshu-shots-") as scratch:
        lab = start_lab(port, args.trainer, Path(scratch) / "settings")
        problems: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"),
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", "--no-first-run"])
                page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="ja-JP")
                for notebook in args.notebooks:
                    problems += shoot(page, f"http://127.0.0.1:{port}", notebook, args.out, args.wait, args.click)
                browser.close()
        finally:
            os.killpg(lab.pid, signal.SIGTERM)
            lab.wait(timeout=30)
    for problem in problems:
        print(problem)
    print(f"screenshots in {args.out}/")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
