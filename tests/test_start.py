"""``kenshu start`` opens a real JupyterLab: Japanese interface, learner's view, no news."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "kenshu-test-token"
NBGRADER_INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{url}{'&' if '?' in url else '?'}token={TOKEN}", timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture(params=[False, True], ids=["learner", "trainer"])
def lab(request, tmp_path):
    port = free_port()
    args = ["--no-browser", "--port", str(port)] + (["--trainer"] if request.param else [])
    env = {**os.environ, "JUPYTER_TOKEN": TOKEN, "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-user-settings"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    process = subprocess.Popen([sys.executable, "-m", "kenshu", "start", *args], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if get(f"{base}/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                pytest.fail(f"kenshu start exited: {process.stdout.read()}")
            time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 seconds")
        yield base, request.param
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def page_config(base: str) -> dict:
    status, html = get(f"{base}/lab")
    assert status == 200
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_lab_opens_the_first_lesson_in_japanese_without_news(lab):
    base, _ = lab
    status, body = get(f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin")
    assert status == 200
    assert json.loads(body)["schema"]["properties"]["locale"]["default"] == "ja_JP"
    status, body = get(f"{base}/lab/api/translations/ja_JP")
    assert status == 200 and json.loads(body)["data"]
    status, body = get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert json.loads(body)["schema"]["properties"]["fetchNews"]["default"] == "false"
    config = page_config(base)
    assert config["news"]["disabled"] is True
    with urllib.request.urlopen(f"{base}/?token={TOKEN}", timeout=10) as response:
        assert response.url.split("?")[0].endswith("/lab/tree/course/00_orientation.ipynb")
    status, body = get(f"{base}/api/contents/course/00_orientation.ipynb?content=0")
    assert status == 200


def test_instructor_tools_are_hidden_from_learners_only(lab):
    base, trainer = lab
    disabled = page_config(base)["disabledExtensions"]
    formgrader_status, _ = get(f"{base}/formgrader")
    if trainer:
        assert not any(plugin in disabled for plugin in NBGRADER_INSTRUCTOR_PLUGINS)
        assert formgrader_status == 200
    else:
        assert all(plugin in disabled for plugin in NBGRADER_INSTRUCTOR_PLUGINS)
        assert formgrader_status == 404


def test_the_trainers_formgrader_uses_the_kits_grading_setup(lab):
    base, trainer = lab
    if not trainer:
        pytest.skip("the formgrader exists only in the trainer's view")
    status, body = get(f"{base}/formgrader/api/assignments")
    assert status == 200, body
    names = {item["name"] for item in json.loads(body)}
    assert {"demo", "lesson01"} <= names  # found in solutions/ through grader/nbgrader_config.py


def test_the_learners_server_neither_lists_nor_serves_the_trainers_folders(lab):
    base, trainer = lab
    status, body = get(f"{base}/api/contents/?content=1")
    listed = {item["name"] for item in json.loads(body)["content"]}
    paths = ["api/contents/solutions/demo/demo.ipynb", "api/contents/solutions", "api/contents/grader/nbgrader_config.py",
             "api/contents/Solutions/demo/demo.ipynb", "api/contents/./solutions/demo/demo.ipynb",
             "files/solutions/demo/demo.ipynb", "files/grader/nbgrader_config.py",
             "api/contents/solutions/demo/demo.ipynb/checkpoints"]
    statuses = {path: get(f"{base}/{path}")[0] for path in paths}
    if trainer:
        assert {"solutions", "grader"} <= listed
        assert statuses["api/contents/solutions/demo/demo.ipynb"] == 200
    else:
        assert not {"solutions", "grader"} & listed
        assert set(statuses.values()) == {404}, [p for p, s in statuses.items() if s != 404]
        assert get(f"{base}/api/contents/exercises/demo/demo.ipynb?content=0")[0] == 200
        assert get(f"{base}/files/course/00_orientation.ipynb")[0] == 200
