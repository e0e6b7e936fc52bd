"""The kit's own JupyterLab in headless Chromium (Debian's ``chromium``, driven by Playwright), for the browser
tests and for ``tools/notebook_screenshots.py``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

TOKEN = "kenshu-browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ERROR_OUTPUTS = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
RUNNING = ".jp-InputPrompt:has-text('[*]')"
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_lab(kit: Path, port: int, trainer: bool, settings: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``kenshu start --no-browser`` in ``kit``, with every cell rendered and no autosave; returns once it answers."""
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    docmanager = settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    docmanager.parent.mkdir(parents=True, exist_ok=True)
    docmanager.write_text(json.dumps({"autosave": False}), encoding="utf-8")
    lab_env = {**(env or os.environ), "JUPYTER_TOKEN": TOKEN, "JUPYTERLAB_SETTINGS_DIR": str(settings),
               "JUPYTER_CONFIG_DIR": str(settings.parent / "config"), "JUPYTER_RUNTIME_DIR": str(settings.parent / "rt")}
    args = [sys.executable, "-m", "kenshu", "start", "--no-browser", "--port", str(port)]
    process = subprocess.Popen(args + (["--trainer"] if trainer else []), cwd=kit, env=lab_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", timeout=2):
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    stop_lab(process)
    raise RuntimeError("JupyterLab did not start")


def stop_lab(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def launch(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)


def open_notebook(page, base: str, notebook: str) -> None:
    """Open ``notebook`` alone in a workspace of its own, and wait until its kernel is idle."""
    workspace = Path(notebook).stem.replace(".", "-")
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=90_000)


def run_all(page, wait: float) -> bool:
    """実行 > すべてのセルを実行 from the Japanese menu; True once no cell is running, within ``wait`` seconds."""
    page.locator(".lm-MenuBar-itemLabel", has_text="実行").first.click()
    item = page.locator(".lm-Menu-itemLabel", has_text="すべてのセルを実行").first
    item.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(300)  # the menu opens with its items still settling
    item.click()
    try:
        page.wait_for_selector(RUNNING, timeout=15_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: nothing started
        return False
    deadline = time.time() + wait
    while time.time() < deadline:
        if page.locator(RUNNING).count() == 0:
            page.wait_for_timeout(1500)
            return True
        page.wait_for_timeout(1000)
    return False


def error_outputs(page) -> list[str]:
    return [text[:300] for text in page.locator(ERROR_OUTPUTS).all_inner_texts() if "Traceback" in text or "Error" in text]


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
        page.wait_for_selector(IDLE, timeout=120_000)
        page.wait_for_timeout(1000)
    return pressed
