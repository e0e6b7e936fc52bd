"""``kenshu start``: JupyterLab on the course, first lesson open, in Japanese, offline-friendly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kenshu.paths import FIRST_LESSON, jupyter_profile, kit_root
from kenshu.settings import resolve


def lab_command(root: Path, *, trainer: bool, open_browser: bool, port: int | None) -> list[str]:
    profile = jupyter_profile(trainer)
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{FIRST_LESSON.as_posix()}",
        f"--LabApp.app_settings_dir={profile / 'lab-settings'}",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI machines run as root
    return command


def lab_environment(trainer: bool) -> dict[str, str]:
    """Put kenshu's Jupyter settings first on the config path (news off, learner's tools only).

    The kit's Python folder goes first on PATH: nbgrader runs `alembic` from there when the formgrader
    creates the gradebook, and terminals opened in JupyterLab find the kit's tools.
    """
    env = dict(os.environ)
    paths = [str(jupyter_profile(trainer)), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def start(*, trainer: bool, open_browser: bool, port: int | None, folder: Path | None) -> int:
    root = kit_root(folder)
    settings = resolve(cwd=root)
    view = "講師用" if trainer else "受講者用"
    print(f"[kenshu] {root} の研修を{view}の表示で開きます。接続先: {settings.backend}（モデル {settings.model}）")
    print("[kenshu] 終了するには、この画面で Ctrl+C を押してください。", flush=True)
    command = lab_command(root, trainer=trainer, open_browser=open_browser, port=port)
    try:
        return subprocess.call(command, cwd=root, env=lab_environment(trainer))
    except KeyboardInterrupt:
        return 0
