"""``kenshu class grade``: autograde a class in parallel, each submission still graded on its own.

Each job is one Python process that loads nbgrader and the course settings once and grades one
learner at a time through nbgrader's own ``NbGraderAPI.autograde`` (the kit's pipeline from
``grader/nbgrader_config.py``: the submission checked against the gradebook, learner code sandboxed,
tests in a fresh process).  On Linux each job keeps a pre-warmed process (``kenshu.grading.warm``)
that forks a fresh test process and sandbox per submission, so a submission does not pay Python's
start-up.  A submission nbgrader cannot grade is reported and never stops the batch.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from kenshu.errors import ClassroomError

LOCKED = "database is locked"


@dataclass(frozen=True)
class Graded:
    student: str
    ok: bool
    seconds: float
    reason: str = ""


@dataclass
class GradeRun:
    assignment: str
    results: list[Graded] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Graded]:
        return [x for x in self.results if not x.ok]


# --- in each job ---------------------------------------------------------------------------------

_api = None


def _start_job(grader: str) -> None:
    global _api
    from kenshu.cli.exercises import nbgrader_api
    from kenshu.grading import warm

    logging.getLogger("traitlets").setLevel(logging.ERROR)
    _api = nbgrader_api(Path(grader))
    warm.use_warm_processes()


def _grade_one(assignment: str, student: str, feedback: bool = False) -> Graded:
    started = time.perf_counter()
    for attempt in range(3):
        result = _api.autograde(assignment, student, force=True, create=True)
        error = result.get("error") or ""
        if result.get("success") or LOCKED not in error:
            break
        time.sleep(0.5 * (attempt + 1))  # another job held the gradebook: try again
    if result.get("success") and feedback:
        returned = _api.generate_feedback(assignment, student, force=True)
        if not returned.get("success"):
            return Graded(student, False, time.perf_counter() - started,
                          f"採点はできましたが、返却用の結果を作れませんでした（{_reason(returned)}）")
    seconds = time.perf_counter() - started
    if result.get("success"):
        return Graded(student, True, seconds)
    return Graded(student, False, seconds, _reason(result))


def _reason(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "理由は記録されていません"


# --- the trainer's side --------------------------------------------------------------------------

def submitted_students(grader: Path, assignment: str) -> list[str]:
    """Learners with a submission of ``assignment`` in ``grader/submitted/``, in ID order."""
    from kenshu.cli.exercises import nbgrader_api

    coursedir = nbgrader_api(grader).coursedir
    root = Path(coursedir.format_path(coursedir.submitted_directory, "*", assignment)).parent.parent
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir() and any((p / assignment).glob("*.ipynb")))


def _up_to_date(grader: Path, assignment: str, student: str) -> bool:
    """Graded after the submission last changed (its files as collected)."""
    from kenshu.cli.exercises import nbgrader_api

    coursedir = nbgrader_api(grader).coursedir
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    graded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    graded_files = list(graded.glob("*.ipynb"))
    if not graded_files:
        return False
    newest_submitted = max(p.stat().st_mtime for p in submitted.rglob("*") if p.is_file())
    return min(p.stat().st_mtime for p in graded_files) >= newest_submitted


def grade_class(grader: Path, assignment: str, *, jobs: int | None = None, force: bool = False,
                feedback: bool = False, students: Iterable[str] | None = None,
                progress: Callable[[Graded, int, int], None] | None = None) -> GradeRun:
    """Autograde the submissions of ``assignment``: those not yet graded or changed since, or all with ``force``.

    With ``feedback``, each learner's Japanese feedback (``grader/feedback/``, hidden tests removed) is written too.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from kenshu.cli.exercises import nbgrader_api

    coursedir = nbgrader_api(grader).coursedir
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            raise ClassroomError(f"課題「{assignment}」は採点記録にまだありません。",
                                 todo=f"`python3 run.py exercises build --assignment {assignment}` を実行してから、"
                                      "もう一度試してください。") from None
    wanted = list(students) if students is not None else submitted_students(grader, assignment)
    run = GradeRun(assignment)
    todo = []
    for student in wanted:
        if not force and _up_to_date(grader, assignment, student):
            run.skipped.append(student)
        else:
            todo.append(student)
    if not todo:
        return run
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    started = time.perf_counter()
    # spawn: each job is a fresh Python on every system (fork would copy this process's state)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_job,
                             initargs=(str(grader),)) as pool:
        futures = {pool.submit(_grade_one, assignment, student, feedback): student for student in todo}
        for future in as_completed(futures):
            try:
                done = future.result()
            except Exception as error:  # noqa: BLE001 -- a job that died: report it, go on
                done = Graded(futures[future], False, 0.0, f"{type(error).__name__}: {error}")
            run.results.append(done)
            if progress is not None:
                progress(done, len(run.results), len(todo))
    run.results.sort(key=lambda x: x.student)
    run.seconds = time.perf_counter() - started
    return run


__all__ = ["GradeRun", "Graded", "grade_class", "submitted_students"]
