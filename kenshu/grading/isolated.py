"""Grade a list of cells in a fresh test process (``kenshu.grading.runner``), from any caller.

Both the official grading (the nbgrader preprocessor) and the learner's ``check()`` go through here,
so they run the same tests in the same way and agree on the score.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from kenshu.grading.learner_process import Limits


@dataclass
class GradingCell:
    index: int
    kind: str  # "learner" (answer and other code cells) or "test" (autograded tests)
    source: str
    grade_id: str | None = None


class GradingFailed(Exception):
    """The test process itself could not finish (the reason is Japanese)."""


def run_isolated(cells: list[GradingCell], *, files: Path | None = None, denied: list[Path] | tuple = (),
                 limits: Limits | None = None) -> dict:
    """Run ``cells`` and return ``{"cells": {index: result}, "flags": [...]}`` (see ``kenshu.grading.runner``)."""
    limits = limits or Limits()
    request = {"cells": [asdict(c) for c in cells], "files": str(files) if files else None,
               "denied": [str(p) for p in denied], "limits": asdict(limits)}
    env = {k: v for k, v in os.environ.items() if not k.startswith("JPY_")}
    env["PYTHONIOENCODING"] = "utf-8"
    try:
        done = subprocess.run([sys.executable, "-X", "utf8", "-m", "kenshu.grading.runner"],
                              input=json.dumps(request, ensure_ascii=False), capture_output=True, text=True,
                              encoding="utf-8", env=env, timeout=limits.total_seconds + 120)
    except subprocess.TimeoutExpired:
        raise GradingFailed(f"採点が {int(limits.total_seconds)} 秒以内に終わりませんでした。") from None
    for line in reversed(done.stdout.strip().splitlines()):
        try:
            answer = json.loads(line)
        except ValueError:
            continue
        if isinstance(answer, dict):
            if answer.get("error"):
                raise GradingFailed(str(answer["error"]))
            return answer
    raise GradingFailed("採点の途中で問題が起きました（結果を受け取れませんでした）。")


__all__ = ["GradingCell", "GradingFailed", "Limits", "run_isolated"]
