"""Time grading side by side: stock nbgrader, the kit's pipeline under stock nbgrader, and ``kenshu class grade``.

    .venv/bin/python tools/benchmark_grading.py [--students 40] [--assignment lesson01] [--jobs 2]

Builds throwaway copies of the kit's grading folders in a temporary folder and submits the same
notebooks (the solution, and a wrong copy for every third learner) for N learners in each, then times:

1. stock ``nbgrader autograde`` with nbgrader's stock configuration (a Jupyter kernel per notebook,
   no sandbox);
2. stock ``nbgrader autograde`` with the kit's ``grader/nbgrader_config.py`` (one submission at a time);
3. ``kenshu class grade --jobs J`` (parallel jobs, a pre-warmed process per job);

then ``check()`` on one notebook three times.  Prints the figures and the ratio of 1 to 3; writes nothing in the kit.
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

import nbformat

ROOT = Path(__file__).resolve().parent.parent
STOCK_CONFIG = '''import os
c = get_config()
_G = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = _G
c.CourseDirectory.course_id = "kenshu"
c.CourseDirectory.source_directory = os.path.join("..", "solutions")
c.CourseDirectory.release_directory = os.path.join("..", "exercises")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_G, "gradebook.db")
'''


def _kit(target: Path, *, stock: bool) -> Path:
    (target / "course").mkdir(parents=True)
    shutil.copy(ROOT / "course" / "00_orientation.ipynb", target / "course")
    (target / "grader").mkdir()
    if stock:
        (target / "grader" / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
    else:
        shutil.copy(ROOT / "grader" / "nbgrader_config.py", target / "grader")
    shutil.copytree(ROOT / "solutions", target / "solutions")
    (target / "exercises").mkdir()
    return target


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENSHU_")}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["KENSHU_DATASETS"] = str(ROOT / "datasets")
    return env


def _run(cwd: Path, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def _submit(kit: Path, name: str, students: int) -> None:
    """The solution for most learners; for every third, the released notebook with its answers left empty."""
    _run(kit / "grader", "-m", "nbgrader", "generate_assignment", name, "--force")
    answer = nbformat.read(kit / "solutions" / name / f"{name}.ipynb", as_version=4)
    empty = nbformat.read(kit / "exercises" / name / f"{name}.ipynb", as_version=4)
    for number in range(students):
        folder = kit / "grader" / "submitted" / f"s{number:03d}" / name
        folder.mkdir(parents=True)
        nbformat.write(empty if number % 3 == 2 else answer, folder / f"{name}.ipynb")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignment", default="lesson01")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    name, count = args.assignment, args.students
    with tempfile.TemporaryDirectory() as scratch:
        stock = _kit(Path(scratch) / "stock", stock=True)
        kit_serial = _kit(Path(scratch) / "serial", stock=False)
        kit_parallel = _kit(Path(scratch) / "parallel", stock=False)
        for kit in (stock, kit_serial, kit_parallel):
            _submit(kit, name, count)
        figures = {}
        figures["stock"] = _run(stock / "grader", "-m", "nbgrader", "autograde", name)
        figures["serial"] = _run(kit_serial / "grader", "-m", "nbgrader", "autograde", name)
        figures["parallel"] = _run(kit_parallel, "-m", "kenshu", "class", "grade", name, "--jobs", str(args.jobs))
        labels = {"stock": "stock nbgrader autograde (stock config)",
                  "serial": "nbgrader autograde, kit config (sandboxed)",
                  "parallel": f"kenshu class grade --jobs {args.jobs} (sandboxed)"}
        print(f"{count} submissions of {name} on {os.cpu_count()} cores, start-up included:")
        for key, label in labels.items():
            seconds = figures[key]
            print(f"  {label:<45} {seconds:6.1f} s  {count / seconds:5.2f} submissions/s")
        print(f"  ratio stock / kenshu class grade: {figures['stock'] / figures['parallel']:.2f}x")

        os.environ.update({"KENSHU_DATASETS": str(ROOT / "datasets")})
        from kenshu.grading.selfcheck import run_selfcheck

        shutil.copytree(ROOT / "exercises" / name, kit_serial / "exercises" / name, dirs_exist_ok=True)
        learner = kit_serial / "exercises" / name / "mine.ipynb"
        shutil.copy(kit_serial / "solutions" / name / f"{name}.ipynb", learner)
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
