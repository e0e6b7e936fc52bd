"""Re-run lesson notebooks on the offline engine and store their outputs for nbval.

    .venv/bin/python tools/refresh_outputs.py course/00_orientation.ipynb [...]

Outputs are deterministic on the offline engine, so nbval can compare them.
Run-specific metadata (timings, widget state) is dropped to keep diffs small.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from kenshu.settings import ENV_VARS


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if any("application/vnd.jupyter.widget-view+json" in output.get("data", {}) for output in cell.get("outputs", [])):
            # a widget shows only when its cell runs; stored, it would read 「VBox(children=…」
            cell.outputs = []
            if "nbval-ignore-output" not in cell.metadata.get("tags", []):
                print(f"warning: {path} cell {cell.get('id')} shows a widget but has no nbval-ignore-output tag")
    nbformat.write(notebook, path)
    print(f"refreshed {path}")


def main(paths: list[str]) -> int:
    for variable in ENV_VARS.values():
        os.environ.pop(variable, None)
    os.environ["KENSHU_BACKEND"] = "offline"
    for name in paths or sorted(str(p) for p in Path("course").glob("*.ipynb")):
        refresh(Path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
