"""In a real notebook kernel, a failed ask() shows the Japanese message, not a traceback."""

import re

import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def kernel():
    manager, client = start_new_kernel(kernel_name="python3")
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run_cell(client, code: str) -> list[dict]:
    messages = []
    client.execute_interactive(code, timeout=60, output_hook=messages.append)
    return messages


def test_a_failed_ask_shows_what_to_do_instead_of_a_traceback(kernel):
    messages = run_cell(kernel, 'import kenshu\nkenshu.ask("テスト", model="no-such-model")')
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert len(errors) == 1
    shown = "\n".join(errors[0]["traceback"])
    assert "モデル「no-such-model」が接続先に見つかりませんでした" in shown
    assert "対処: KENSHU_MODEL" in shown
    # no traceback frames (「File "…/simple_ask.py", line 3」); the advice may name `python3 run.py doctor`
    assert "Traceback" not in shown and not re.search(r'\.py["\',:]', shown) and "openai" not in shown


def test_other_errors_keep_their_normal_traceback(kernel):
    messages = run_cell(kernel, "1 / 0")
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert errors[0]["ename"] == "ZeroDivisionError"
