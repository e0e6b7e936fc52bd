"""Every lesson runs unchanged when the learner's backend is `kenshu serve` instead of the in-process engine."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kenshu.settings import ENV_VARS

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "course").glob("*.ipynb"))


@pytest.fixture(scope="module")
def server_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "kenshu", "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"{base}/v1"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=20)


def stream_text(cell) -> str:
    return "".join(out.get("text", "") for out in cell.get("outputs", []) if out.get("output_type") == "stream")


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_gives_the_same_answers_through_the_classroom_server(lesson, server_url, monkeypatch):
    for variable in ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("KENSHU_BACKEND", "compatible")
    monkeypatch.setenv("OPENAI_BASE_URL", server_url)
    monkeypatch.setenv("KENSHU_MODEL", "kenshu-offline")
    stored = nbformat.read(lesson, as_version=4)
    fresh = nbformat.read(lesson, as_version=4)
    NotebookClient(fresh, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(lesson.parent)}}).execute()
    compared = 0
    for before, after in zip(stored.cells, fresh.cells, strict=True):
        if before.cell_type != "code" or "接続先" in stream_text(before):
            continue  # cells that print the backend or an endpoint differ by design
        assert stream_text(after) == stream_text(before), before.source
        compared += 1
    assert compared >= 3
