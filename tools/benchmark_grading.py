"""Time the official grading and the learner's self-check.

    .venv/bin/python tools/benchmark_grading.py [--students 10] [--assignment lesson01]

Builds a throwaway copy of the kit's grading folders in a temporary folder, submits the solution
of one assignment for N students, times stock ``nbgrader autograde`` (the kit's sandboxed grading)
and times ``run_selfcheck`` on one notebook three times.  Prints the figures; writes nothing in the kit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _kit(target: Path) -> Path:
    (target / "course").mkdir(parents=True)
    shutil.copy(ROOT / "course" / "00_orientation.ipynb", target / "course")
    (target / "grader").mkdir()
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", target / "grader")
    shutil.copytree(ROOT / "solutions", target / "solutions")
    shutil.copytree(ROOT / "exercises", target / "exercises")
    return target


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENSHU_")}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["KENSHU_DATASETS"] = str(ROOT / "datasets")
    return env


def _nbgrader(kit: Path, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=kit / "grader", env=_env(),
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--assignment", default="lesson01")
    args = parser.parse_args()
    name = args.assignment
    with tempfile.TemporaryDirectory() as scratch:
        kit = _kit(Path(scratch) / "kit")
        _nbgrader(kit, "generate_assignment", name, "--force")
        for number in range(args.students):
            folder = kit / "grader" / "submitted" / f"s{number:03d}" / name
            folder.mkdir(parents=True)
            shutil.copy(kit / "solutions" / name / f"{name}.ipynb", folder)
        seconds = _nbgrader(kit, "autograde", name)
        print(f"nbgrader autograde {name}: {args.students} submissions in {seconds:.1f} s "
              f"({seconds / args.students:.2f} s per submission, nbgrader start-up included)")

        os.environ.update({"KENSHU_DATASETS": str(ROOT / "datasets")})
        from kenshu.grading.selfcheck import run_selfcheck

        learner = kit / "exercises" / name / "mine.ipynb"
        shutil.copy(kit / "solutions" / name / f"{name}.ipynb", learner)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = run_selfcheck(path=learner)
            times.append(time.perf_counter() - started)
        print(f"check() on {name}: median {statistics.median(times):.2f} s over 3 runs "
              f"(score {report.score:g}/{report.max_score:g})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
