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
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.browser import (  # noqa: E402
    error_outputs,
    free_port,
    launch,
    open_notebook,
    press_buttons,
    run_all,
    start_lab,
    stop_lab,
)


def shoot(page, base: str, notebook: str, out: Path, wait: float, click: bool = False) -> list[str]:
    open_notebook(page, base, notebook)
    finished = run_all(page, wait)
    problems = [f"{notebook}: error output: {text}" for text in error_outputs(page)]
    if not finished:
        problems.append(f"{notebook}: cells still running after {wait:.0f} s (or Run All did not start)")
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
        lab = start_lab(ROOT, port, args.trainer, Path(scratch) / "settings")
        problems: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="ja-JP")
                for notebook in args.notebooks:
                    problems += shoot(page, f"http://127.0.0.1:{port}", notebook, args.out, args.wait, args.click)
                browser.close()
        finally:
            stop_lab(lab)
    for problem in problems:
        print(problem)
    print(f"screenshots in {args.out}/")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
