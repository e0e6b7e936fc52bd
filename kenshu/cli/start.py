"""``kenshu start``: JupyterLab on the course, first lesson open, in Japanese, offline-friendly.

One Ctrl+C stops it: the server is started with ``ServerApp.answer_yes`` (jupyter_server's own option to
skip its English "Shut down this Jupyter server (y/[n])?" question), and this process waits for the server
to shut down cleanly (kernels stopped, its server file removed) instead of killing it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kenshu.paths import FIRST_LESSON, jupyter_profile, kit_root
from kenshu.settings import Settings, resolve

# seconds the server has to shut down by itself after Ctrl+C (a terminal sends it to the server too),
# then after each firmer request (SIGINT, then SIGTERM; jupyter_server shuts down cleanly on both)
FIRST_GRACE = 3.0
STOP_GRACE = 8.0
# seconds to look for the server's address after it was started
ADDRESS_WAIT = 120.0


def lab_command(root: Path, *, trainer: bool, open_browser: bool, port: int | None) -> list[str]:
    profile = jupyter_profile(trainer)
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{FIRST_LESSON.as_posix()}",
        f"--LabApp.app_settings_dir={profile / 'lab-settings'}",
        f"--ServerApp.open_browser={open_browser}",
        "--ServerApp.answer_yes=True",  # Ctrl+C stops at once, without an English y/n question
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


def describe_connection(settings: Settings) -> str:
    """The backend and model as the banner shows them; an unset model says whether it matters."""
    if settings.model:
        model = f"モデル {settings.model}"
    elif settings.backend == "offline":
        model = "モデル: 未設定。練習エンジンでは不要です"
    else:
        model = "モデル: 未設定。生成AIを使う前に設定してください。python3 run.py doctor で確かめられます"
    return f"接続先: {settings.backend}（{model}）"


def lab_address(info: dict) -> str:
    """The address that opens the first lesson, with the server's token if it has one."""
    url = f"{str(info['url']).rstrip('/')}/lab/tree/{FIRST_LESSON.as_posix()}"
    return f"{url}?token={info['token']}" if info.get("token") else url


def _servers() -> list[dict]:
    from jupyter_server.serverapp import list_running_servers

    try:
        return list(list_running_servers())
    except Exception:  # an unreadable runtime folder only costs the address line
        return []


def _find_server(process: subprocess.Popen, root: Path, before: set[str]) -> dict | None:
    """This server's information (jupyter_server's public server list): by process id, else a new one on ``root``."""
    found = [info for info in _servers() if info.get("pid") == process.pid]
    if not found:  # on Windows the venv's python.exe may start the real Python as a child process
        found = [info for info in _servers()
                 if str(info.get("url")) not in before and Path(str(info.get("root_dir", ""))) == root]
    return found[0] if found else None


def _show_address(process: subprocess.Popen, root: Path, before: set[str], open_browser: bool) -> None:
    """Print the address in Japanese once the server is up (or stop looking when it has exited)."""
    deadline = time.monotonic() + ADDRESS_WAIT
    while time.monotonic() < deadline:
        try:
            process.wait(timeout=0.5)
            return
        except subprocess.TimeoutExpired:
            pass
        info = _find_server(process, root, before)
        if info:
            lead = "ブラウザーが開かないときは、次のアドレスを開いてください" if open_browser \
                else "ブラウザーで次のアドレスを開いてください"
            print(f"[kenshu] {lead}: {lab_address(info)}", flush=True)
            return


def _stop(process: subprocess.Popen) -> int:
    """After Ctrl+C: let the server shut down by itself (it got the same Ctrl+C), ask again, kill last."""
    print("\n[kenshu] 停止しています…", flush=True)
    posix = os.name != "nt"  # on Windows the console's Ctrl+C reaches the server; there is nothing gentler to send
    steps = [(None, FIRST_GRACE), (signal.SIGINT if posix else None, STOP_GRACE),
             (signal.SIGTERM if posix else None, STOP_GRACE)]
    for ask, grace in steps:
        try:
            if ask is not None and process.poll() is None:
                process.send_signal(ask)
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:  # another Ctrl+C: go on to the next, firmer step
            continue
    else:
        process.kill()
        process.wait()
    print("[kenshu] 停止しました。", flush=True)
    return 0


def start(*, trainer: bool, open_browser: bool, port: int | None, folder: Path | None) -> int:
    root = kit_root(folder)
    settings = resolve(cwd=root)
    view = "講師用" if trainer else "受講者用"
    print(f"[kenshu] {root} の研修を{view}の表示で開きます。{describe_connection(settings)}")
    print("[kenshu] 終了するには、この画面で Ctrl+C を 1 回押してください。", flush=True)
    command = lab_command(root, trainer=trainer, open_browser=open_browser, port=port)
    before = {str(info.get("url")) for info in _servers()}
    process = subprocess.Popen(command, cwd=root, env=lab_environment(trainer))
    try:
        _show_address(process, root, before, open_browser)
        return process.wait()
    except KeyboardInterrupt:
        return _stop(process)
