"""Grade a list of cells in a fresh test process (``kenshu.grading.runner``), from any caller.

Both the official grading (the nbgrader preprocessor) and the learner's ``check()`` go through here,
so they run the same tests in the same way and agree on the score.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kenshu.grading import warm
from kenshu.grading.protocol import GradingAnswer, GradingCell, GradingRequest, Limits, ProtocolError

NO_ANSWER = "採点の途中で問題が起きました（結果を受け取れませんでした）。"


class GradingFailed(Exception):
    """The test process itself could not finish (the reason is Japanese)."""


def run_isolated(cells: list[GradingCell], *, files: Path | None = None, denied: list[Path] | tuple = (),
                 limits: Limits | None = None) -> GradingAnswer:
    """Run ``cells`` and return the results by cell index, and the flags (see ``kenshu.grading.runner``)."""
    limits = limits or Limits()
    request = GradingRequest(list(cells), str(files) if files else None, [str(p) for p in denied], limits)
    warm_grader = warm.current()
    if warm_grader is not None:
        answer = warm_grader.grade(request, timeout=limits.total_seconds + 120)
        if answer is None:
            raise GradingFailed(f"採点が {int(limits.total_seconds)} 秒以内に終わりませんでした。")
        if answer.error:
            raise GradingFailed(answer.error)
        return answer
    env = {k: v for k, v in os.environ.items() if not k.startswith("JPY_")}
    try:
        # -I: the caller's folder (a learner's notebook folder, with its own ast.py or json.py perhaps)
        # is not on sys.path, and PYTHON* variables do not apply; the kit is found through site-packages
        done = subprocess.run([sys.executable, "-I", "-X", "utf8", "-m", "kenshu.grading.runner"],
                              input=request.to_json(), capture_output=True, text=True,
                              encoding="utf-8", env=env, timeout=limits.total_seconds + 120)
    except subprocess.TimeoutExpired:
        raise GradingFailed(f"採点が {int(limits.total_seconds)} 秒以内に終わりませんでした。") from None
    answer = last_answer(done.stdout)
    if answer is None:
        raise GradingFailed(NO_ANSWER)
    if answer.error:
        raise GradingFailed(answer.error)
    return answer


def last_answer(stdout: str) -> GradingAnswer | None:
    """The runner's answer: the last line of its output that is a whole ``GradingAnswer``."""
    for line in reversed(stdout.strip().splitlines()):
        try:
            return GradingAnswer.from_json(line)
        except ProtocolError:
            continue
    return None


__all__ = ["GradingCell", "GradingFailed", "Limits", "last_answer", "run_isolated"]
