"""Where the kit's folders are, found from the working directory or the package."""

from __future__ import annotations

from pathlib import Path

from kenshu.errors import KenshuError

FIRST_LESSON = Path("course") / "00_orientation.ipynb"


def _is_kit(folder: Path) -> bool:
    return (folder / FIRST_LESSON).is_file()


def kit_root(start: Path | None = None) -> Path:
    """The kit's top folder: ``start`` (or the working directory) or a parent of it.

    Without ``start``, a kit beside the installed package is used as a last resort.
    """
    here = Path(start or Path.cwd()).resolve()
    candidates = [here, *here.parents]
    if start is None:
        candidates.append(Path(__file__).resolve().parent.parent)
    for folder in candidates:
        if _is_kit(folder):
            return folder
    raise KenshuError(
        f"研修キットのフォルダー（{FIRST_LESSON} があるところ）が見つかりませんでした（探した場所: {here}）。",
        todo="キットを取得（git clone）したフォルダーに移動してから実行するか、--dir でその場所を指定してください。")


def jupyter_profile(trainer: bool) -> Path:
    """The Jupyter settings kenshu ships for a learner's or a trainer's view."""
    return Path(__file__).resolve().parent / "jupyter" / ("trainer" if trainer else "learner")
