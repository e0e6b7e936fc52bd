"""Every lesson runs to the end without an error, whatever the model answers.

The server on 127.0.0.1 answers every chat request with the same short text, in the way a real model answers
with none of the practice engine's habits: no 【オフライン練習エンジン】 sign, no JSON when JSON was asked for,
no sentences picked from the prompt. A lesson cell that only works with the engine's answers (parsing them,
counting on their shape) shows up here as an error output, which a learner on a real backend would meet as a
traceback.
"""

from __future__ import annotations

import json
import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from kenshu.engine.api import ApiResponse
from tests.support.grading_kit import ROOT, environment
from tests.support.openai_server import Behaviour, serve

LESSONS = sorted((ROOT / "course").glob("*.ipynb"))
MODEL = "another-model"
ANSWER = "ご依頼の件について、次のとおりまとめました。\n\n- 一点目の内容です。\n- 二点目の内容です。\n\n以上です。"


def _chunk(delta: dict, finish: str | None = None) -> bytes:
    chunk = {"id": "chatcmpl-any", "object": "chat.completion.chunk", "created": 0, "model": MODEL,
             "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()


def _answer(route: str, body: object) -> ApiResponse | None:
    if route != "/v1/chat/completions" or not isinstance(body, dict):
        return None
    if body.get("stream"):
        events = [_chunk({"role": "assistant", "content": ANSWER[:12]}), _chunk({"content": ANSWER[12:]}),
                  _chunk({}, "stop"), b"data: [DONE]\n\n"]
        return ApiResponse(200, iter(events), {"content-type": "text/event-stream"})
    completion = {"id": "chatcmpl-any", "object": "chat.completion", "created": 0, "model": MODEL,
                  "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}],
                  "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}
    return ApiResponse(200, json.dumps(completion, ensure_ascii=False).encode("utf-8"))


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    kit = tmp_path_factory.mktemp("kit")
    shutil.copytree(ROOT / "course", kit / "course", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "exercises" / "demo", kit / "exercises" / "demo")  # lesson 00 opens it
    return kit


@pytest.mark.parametrize("lesson", LESSONS, ids=[path.stem for path in LESSONS])
def test_the_lesson_runs_without_an_error_whatever_the_model_answers(lesson, kit, monkeypatch):
    path = kit / "course" / lesson.name
    notebook = nbformat.read(path, as_version=4)
    with serve(Behaviour(script=_answer)) as (url, _):
        for name in [name for name in os.environ if name.startswith("KENSHU_")]:
            monkeypatch.delenv(name)  # the kernel inherits this process's environment
        for name, value in environment(KENSHU_BACKEND="compatible", OPENAI_BASE_URL=url, KENSHU_MODEL=MODEL,
                                       KENSHU_AUDIT_LOG=str(kit / "audit.sqlite3")).items():
            monkeypatch.setenv(name, value)
        NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [f"cell {number}: {output['ename']}: {output['evalue'][:300]}"
              for number, cell in enumerate(notebook.cells) if cell.cell_type == "code"
              for output in cell.outputs if output.get("output_type") == "error"]
    assert errors == [], "\n".join(errors)
