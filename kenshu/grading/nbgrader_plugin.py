"""nbgrader preprocessors that make stock ``nbgrader autograde`` and ``generate_feedback`` trustworthy.

``grader/nbgrader_config.py`` puts them in nbgrader's pipelines:

- ``CheckSubmission`` (first step of sanitising): compares the submission with the assignment's cells
  in the gradebook and records tampering (edited, deleted, unmarked or added test cells, changed
  points) in the notebook's metadata.
- ``SandboxedExecute`` (replaces nbgrader's ``Execute``): answer cells run in a sandboxed process, the
  test cells (always the gradebook's own source) in a fresh test process; outputs are written back so
  nbgrader's ``SaveAutoGrades`` scores them as usual.  Flags are logged and stored.
- ``StripHiddenTests`` (feedback): hidden tests are removed from what learners get back.
- ``ExcelCsvExportPlugin`` (``nbgrader export``): grades.csv in UTF-8 with a BOM, so Excel on a Japanese PC
  reads Japanese learner IDs and names.

``CheckSubmission`` also installs ``HiddenTestChecksumFilter`` on nbgrader's log: nbgrader's ``OverwriteCells``
warns "Attribute 'checksum' for cell … has changed!" for every test cell with hidden tests, because the
learner's copy never had them (jupyter/nbgrader#1961). The filter drops that warning only when the cell is
exactly as released; a test cell the learner changed still warns, and is recorded as 要確認.
"""

from __future__ import annotations

import csv
import logging
import os
from pathlib import Path
from typing import Any

from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import CsvExportPlugin
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import Float, Integer

from kenshu.grading.integrity import METADATA_KEY, ReferenceCell, compare, without_hidden_tests
from kenshu.grading.isolated import GradingCell, GradingFailed, Limits, run_isolated
from kenshu.grading.protocol import CellResult, Flag, GradingAnswer, ProtocolError, error_output

HIDDEN_NOTE = "# （ここにあった非公開のテストは表示しません）"


def _reference(resources: dict) -> dict[str, ReferenceCell]:
    """The assignment's own cells, from the gradebook (what generate_assignment recorded)."""
    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gradebook:
        notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
        graded = {c.name: float(c.max_score) for c in notebook.grade_cells}
        answers = {c.name for c in notebook.solution_cells}
        tasks = {c.name for c in notebook.task_cells}
        reference = {}
        for cell in notebook.source_cells:
            if cell.name in answers:
                kind = "answer"
            elif cell.name in tasks:
                kind = "task"
            elif cell.name in graded and cell.cell_type == "code":
                kind = "test"
            else:
                kind = "readonly"
            reference[cell.name] = ReferenceCell(cell.name, kind, cell.source or "", cell.cell_type,
                                                 graded.get(cell.name))
    return reference


def _who(resources: dict) -> str:
    info = resources.get("nbgrader", {})
    return f"{info.get('student', '?')} / {info.get('assignment', '?')} / {info.get('notebook', '?')}"


class HiddenTestChecksumFilter(logging.Filter):
    """Drop nbgrader's checksum warning for a test cell that is exactly as released (hidden tests removed).

    ``released`` maps each grade id of the notebook being graded to the checksum nbgrader computes for the
    released cell; ``CheckSubmission`` sets it before ``OverwriteCells`` runs.
    """

    def __init__(self) -> None:
        super().__init__("kenshu.hidden_test_checksum")
        self.released: dict[str, str] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.levelno != logging.WARNING or len(args) != 4 or args[0] != "checksum":
            return True
        if not str(record.msg).startswith("Attribute '%s' for cell %s has changed!"):
            return True
        _, grade_id, _, submitted = args
        return self.released.get(grade_id) != submitted

    @classmethod
    def on(cls, log: logging.Logger | logging.LoggerAdapter) -> HiddenTestChecksumFilter:
        """The filter installed on ``log`` (nbgrader's application log), installing it once."""
        logger = log.logger if isinstance(log, logging.LoggerAdapter) else log
        for existing in logger.filters:
            if isinstance(existing, cls):
                return existing
        installed = cls()
        logger.addFilter(installed)
        return installed


def released_checksums(resources: dict, config: Any = None) -> dict[str, str]:
    """Grade id -> nbgrader's checksum of each locked test cell with hidden tests, as it was released.

    The cell is rebuilt from the gradebook and released with nbgrader's own ``ClearHiddenTests``, with the
    attributes ``OverwriteCells`` restores before it computes the submitted cell's checksum.
    """
    from nbformat.v4 import new_code_cell, new_markdown_cell

    info = resources["nbgrader"]
    release = ClearHiddenTests(config=config) if config is not None else ClearHiddenTests()
    found = {}
    with Gradebook(info["db_url"]) as gradebook:
        notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
        points = {c.name: float(c.max_score) for c in notebook.grade_cells}
        solutions = {c.name for c in notebook.solution_cells}
        for source_cell in notebook.source_cells:
            text = source_cell.source or ""
            if not source_cell.locked or source_cell.name not in points or release.begin_test_delimeter not in text:
                continue
            make = new_code_cell if source_cell.cell_type == "code" else new_markdown_cell
            cell = make(text, metadata={"nbgrader": {
                "grade": True, "solution": source_cell.name in solutions, "locked": True,
                "grade_id": source_cell.name, "points": points[source_cell.name]}})
            try:
                release.preprocess_cell(cell, {}, 0)
            except RuntimeError:  # unbalanced markers: nbgrader warns as usual
                continue
            found[source_cell.name] = utils.compute_checksum(cell)
    return found


class CheckSubmission(NbGraderPreprocessor):
    """Record how the submission differs from the assignment (before nbgrader repairs it)."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        quiet = HiddenTestChecksumFilter.on(self.log)
        try:
            quiet.released = released_checksums(resources, self.config)
        except MissingEntry:
            quiet.released = {}
        reference = _reference(resources)
        flags = compare(nb.cells, reference)
        seen = set()
        for cell in nb.cells:
            # a graded cell the assignment never had, or a later copy of one (copied or split in JupyterLab),
            # is plain learner code from here on: the first copy is graded (nbgrader's DeduplicateIds would
            # leave the copy half-marked, and OverwriteCells then stops with a KeyError)
            meta = cell.metadata.get("nbgrader")
            if not isinstance(meta, dict):
                continue
            grade_id = meta.get("grade_id")
            if grade_id not in reference or grade_id in seen:
                del cell.metadata["nbgrader"]
            else:
                seen.add(grade_id)
        nb.metadata[METADATA_KEY] = {"flags": flags}  # replaces anything the learner put there
        return nb, resources


class SandboxedExecute(NbGraderPreprocessor):
    """Run the notebook the kit's way: learner code sandboxed, tests apart from it."""

    cell_timeout = Float(60, help="Seconds one answer cell or one call of a learner's function may take.").tag(config=True)
    total_timeout = Float(600, help="Seconds one notebook may take in all.").tag(config=True)
    memory_mb = Integer(2048, help="Memory ceiling of the learner's process (POSIX), in MB.").tag(config=True)
    cpu_seconds = Integer(600, help="CPU-time ceiling of the learner's process (POSIX).").tag(config=True)
    file_mb = Integer(64, help="Largest file the learner's code may write (POSIX), in MB.").tag(config=True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        reference = _reference(resources)
        tests = {name: ref.source for name, ref in reference.items() if ref.kind == "test"}
        cells: list[GradingCell] = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if utils.is_grade(cell) and not utils.is_solution(cell) and grade_id in tests:
                cells.append(GradingCell(index, "test", tests[grade_id], grade_id))
            else:
                cells.append(GradingCell(index, "learner", cell.source, grade_id))
        limits = Limits(cell_seconds=self.cell_timeout, total_seconds=self.total_timeout,
                        memory_mb=self.memory_mb, cpu_seconds=self.cpu_seconds, file_mb=self.file_mb)
        folder = resources.get("metadata", {}).get("path")
        try:
            result = run_isolated(cells, files=Path(folder) if folder else None, denied=self._denied(), limits=limits)
        except GradingFailed as error:
            self.log.error("採点できませんでした（%s）: %s", _who(resources), error)
            result = GradingAnswer({}, [Flag("grading_failed", str(error))])
        for cell_info in cells:
            cell = nb.cells[cell_info.index]
            done = result.cells.get(cell_info.index) or _not_graded(cell_info)
            if cell_info.kind == "test":
                cell.source = cell_info.source
            cell.outputs = [_output(o) for o in done.outputs]
            cell.execution_count = done.execution_count
        stored = nb.metadata.get(METADATA_KEY, {}) if isinstance(nb.metadata.get(METADATA_KEY), dict) else {}
        flags = _stored_flags(stored.get("flags")) + result.flags  # CheckSubmission's, then the run's
        nb.metadata[METADATA_KEY] = {"flags": [flag.to_dict() for flag in flags]}
        for flag in flags:
            self.log.warning("要確認（%s, %s）: %s", _who(resources), flag.cell or "-", flag.reason)
        return nb, resources

    def _denied(self) -> list[Path]:
        """The course folder (submissions, gradebook) and the assignments' source with solutions."""
        coursedir = CourseDirectory(config=self.config)
        root = Path(coursedir.root).resolve()
        denied = [root]
        for folder in (coursedir.source_directory, coursedir.release_directory):
            path = Path(folder) if os.path.isabs(folder) else root / folder
            denied.append(path.resolve())
        return denied


def _stored_flags(items: Any) -> list[Flag]:
    """The flags CheckSubmission stored in the notebook (anything else there is dropped)."""
    flags = []
    for item in items if isinstance(items, list) else []:
        try:
            flags.append(Flag.from_dict(item))
        except ProtocolError:
            continue
    return flags


def _not_graded(cell: GradingCell) -> CellResult:
    """What a cell shows when the test process gave no result for it."""
    if cell.kind != "test":
        return CellResult([], None)
    return CellResult([error_output("GradingError", "採点できませんでした", ["採点できませんでした。講師に連絡してください。"])],
                      None)


def _output(output: dict) -> Any:
    from nbformat import from_dict

    return from_dict(output)


class StripHiddenTests(NbGraderPreprocessor):
    """Feedback for learners: hidden tests are replaced by a one-line note."""

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            kept = without_hidden_tests(cell.source).rstrip("\n")
            cell.source = f"{kept}\n{HIDDEN_NOTE}" if kept.strip() else HIDDEN_NOTE
        return cell, resources


GRADES_COLUMNS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                  "raw_score", "late_submission_penalty", "score", "max_score")


class ExcelCsvExportPlugin(CsvExportPlugin):
    """``nbgrader export`` as nbgrader's own CSV (same columns and rows), in UTF-8 with a BOM for Excel.

    nbgrader writes grades.csv in the PC's default encoding without a BOM and without CSV quoting, so Excel
    garbles Japanese IDs and a comma in a name shifts the columns. This writes the same table with the
    ``csv`` module; ``--to`` and the assignment and student selections work as before.
    """

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades.csv"
        students = {str(item) for item in self.student}
        assignments = {str(item) for item in self.assignment}
        self.log.info("Exporting grades to %s (UTF-8 with BOM)", dest)
        with open(dest, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(GRADES_COLUMNS)
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    writer.writerow(_grade_row(gradebook, assignment, student))


def _grade_row(gradebook: Gradebook, assignment: Any, student: Any) -> list[str]:
    """One row as nbgrader's ``CsvExportPlugin`` writes it (no submission: score 0)."""
    row: dict[str, Any] = {"assignment": assignment.name, "duedate": assignment.duedate, "student_id": student.id,
                           "last_name": student.last_name, "first_name": student.first_name, "email": student.email,
                           "max_score": assignment.max_score}
    try:
        submission = gradebook.find_submission(assignment.name, student.id)
    except MissingEntry:
        row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
    else:
        penalty = submission.late_submission_penalty
        row.update(timestamp=submission.timestamp, raw_score=submission.score, late_submission_penalty=penalty,
                   score=max(0.0, submission.score - penalty))
    return ["" if row[key] is None else str(row[key]) for key in GRADES_COLUMNS]


__all__ = ["CheckSubmission", "ExcelCsvExportPlugin", "HiddenTestChecksumFilter", "SandboxedExecute",
           "StripHiddenTests"]
