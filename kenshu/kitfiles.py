"""What a kit in use holds besides its own files: what Jupyter, nbgrader and the PC write while it is used.

A trainer's kit soon has ``.ipynb_checkpoints/`` beside every notebook opened in JupyterLab,
``__pycache__/`` beside imported code, and nbgrader's work in ``grader/`` (submissions, grading,
feedback, the gradebook). None of it is part of the kit: the checks of the kit, the exercise build
and the learner bundle leave it out, and ``.gitignore`` keeps it out of git.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path, PurePath

# written anywhere in the kit by JupyterLab, Python and the PC's file manager (matched against each path part)
LEFTOVER_PATTERNS = (".ipynb_checkpoints", ".virtual_documents", "__pycache__", "*.pyc",
                     ".DS_Store", "Thumbs.db", "desktop.ini", "~$*")
# written in grader/ (nbgrader's course folder) by nbgrader (collect, autograde, generate_feedback, export)
# and by ``kenshu class roster import`` (roster.csv); kept out of git (.gitignore) and out of the learner bundle (all of grader/ is)
GRADER_WORK = ("submitted", "autograded", "feedback", "release", "source", "gradebook.db", "grades.csv",
               "roster.csv", ".nbgrader.log", "*.log")


def is_leftover(relative: PurePath | str, patterns: Iterable[str] = LEFTOVER_PATTERNS) -> bool:
    """Whether a path (relative to the folder walked) is, or lies inside, something a PC wrote."""
    patterns = tuple(patterns)
    return any(fnmatch(part, pattern) for part in PurePath(relative).parts for pattern in patterns)


def kit_files(folder: Path, patterns: Iterable[str] = LEFTOVER_PATTERNS) -> list[str]:
    """The files of ``folder`` (POSIX paths relative to it), without the leftovers of using the kit."""
    if not folder.is_dir():
        return []
    patterns = tuple(patterns)
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.is_file() and not is_leftover(path.relative_to(folder), patterns))


__all__ = ["GRADER_WORK", "LEFTOVER_PATTERNS", "is_leftover", "kit_files"]
