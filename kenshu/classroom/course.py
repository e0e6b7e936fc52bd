"""The nbgrader course directory of the kit's ``grader/`` folder, configured as stock ``nbgrader`` reads it."""

from __future__ import annotations

from pathlib import Path

from kenshu.errors import ClassroomError


def grader_folder() -> Path:
    from kenshu.cli.exercises import CONFIG_NAME
    from kenshu.paths import kit_root

    grader = kit_root() / "grader"
    if not (grader / CONFIG_NAME).is_file():
        raise ClassroomError(f"nbgrader の設定ファイル（grader/{CONFIG_NAME}）が見つかりません。",
                             todo="キットのフォルダーで実行しているか確かめてください。")
    return grader


def course_directory(grader: Path):
    from kenshu.cli.exercises import nbgrader_api

    return nbgrader_api(grader).coursedir
