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


# ---------------------------------------------------------------------------- one Ctrl+C, the address, the banner

def _run_py_is_set_up() -> bool:
    """Whether run.py would start at once (its .venv is installed), so a test never makes it install."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("kenshu_run_py", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if Path(sys.executable).resolve() != module.venv_python().resolve() or not module.STAMP.exists():
        return False
    installed = module.STAMP.read_text(encoding="utf-8").splitlines()
    return module.wanted_stamp("") in installed or module.wanted_stamp("[test]") in installed


@pytest.mark.skipif(os.name == "nt", reason="Ctrl+C is made with a terminal (pty) and a signal to the process group")
@pytest.mark.parametrize("launcher", ["kenshu", "run.py"])
def test_one_ctrl_c_stops_the_server_cleanly_and_the_address_is_shown_in_japanese(tmp_path, launcher):
    import pty

    if launcher == "run.py" and not _run_py_is_set_up():
        pytest.skip("run.py would install its environment first")
    port = free_port()
    runtime = tmp_path / "runtime"
    env = {**os.environ, "JUPYTER_TOKEN": TOKEN, "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-user-settings"), "JUPYTER_RUNTIME_DIR": str(runtime),
           "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "kenshu"] if launcher == "kenshu" else [sys.executable, str(ROOT / "run.py")]
    terminal, console = pty.openpty()  # as in a terminal: Jupyter asks its y/n question only on one
    log = tmp_path / "console.txt"  # a file, so the test can wait for the address line before pressing Ctrl+C
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen([*command, "start", "--no-browser", "--port", str(port)], cwd=ROOT, env=env,
                                   stdin=console, stdout=sink, stderr=subprocess.STDOUT, text=True,
                                   encoding="utf-8", start_new_session=True)
    os.close(console)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if get(f"{base}/api/status")[0] == 200 and "ブラウザーで次のアドレス" in log.read_text(encoding="utf-8"):
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 seconds")
        assert list(runtime.glob("jpserver-*.json")), "the running server has its server file"
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C: the terminal signals every process of the command
        began = time.monotonic()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail("one Ctrl+C did not stop the server within 10 seconds")
        output = log.read_text(encoding="utf-8")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        os.close(terminal)
    assert time.monotonic() - began < 10
    assert process.returncode == 0, output
    assert "Shut down this Jupyter server" not in output and "resuming operation" not in output, output
    assert "[kenshu] 停止しました。" in output, output
    assert not list(runtime.glob("jpserver-*.json")), "the server shut down cleanly (it removes its file)"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    address = f"http://localhost:{port}/lab/tree/course/00_orientation.ipynb?token={TOKEN}"
    lines = [line for line in output.splitlines() if "ブラウザーで次のアドレスを開いてください" in line]
    assert lines == [f"[kenshu] ブラウザーで次のアドレスを開いてください: {address}"], output


def test_the_banner_says_what_an_unset_model_means():
    from kenshu.cli.start import describe_connection
    from kenshu.settings import Settings, resolve

    assert describe_connection(resolve(environ={})) == "接続先: offline（モデル kenshu-offline）"
    assert describe_connection(Settings(backend="offline", model=None)) == "接続先: offline（モデル: 未設定。練習エンジンでは不要です）"
    unset = describe_connection(resolve(environ={"KENSHU_BACKEND": "compatible", "OPENAI_BASE_URL": "http://x/v1"}))
    assert "None" not in unset and "未設定" in unset and "run.py doctor" in unset


def test_the_address_carries_the_token_only_when_there_is_one():
    from kenshu.cli.start import lab_address

    assert lab_address({"url": "http://localhost:8888/", "token": "abc"}) == \
        "http://localhost:8888/lab/tree/course/00_orientation.ipynb?token=abc"
    assert lab_address({"url": "http://localhost:8888/", "token": ""}) == \
        "http://localhost:8888/lab/tree/course/00_orientation.ipynb"
