"""A model that is not the practice engine, for tests: a server on 127.0.0.1 that answers every chat request
with the same short text, with none of the engine's habits (no 【オフライン練習エンジン】 sign, no JSON when
JSON was asked for, no sentences picked from the prompt), and the settings that point a kernel at it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kenshu.engine.api import ApiResponse
from tests.support.grading_kit import environment
from tests.support.openai_server import Behaviour, serve

MODEL = "another-model"
ANSWER = "ご依頼の件について、次のとおりまとめました。\n\n- 一点目の内容です。\n- 二点目の内容です。\n\n以上です。"


def _chunk(delta: dict, finish: str | None = None) -> bytes:
    chunk = {"id": "chatcmpl-any", "object": "chat.completion.chunk", "created": 0, "model": MODEL,
             "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()


def answer(route: str, body: object) -> ApiResponse | None:
    """The server's ``Behaviour.script``: the same answer to every chat request, streamed when asked."""
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


@contextmanager
def another_model(monkeypatch, audit_log: Path) -> Iterator[Behaviour]:
    """The server running, and this process (and the kernels it starts) set to it on the compatible backend."""
    with serve(Behaviour(script=answer)) as (url, behaviour):
        for name in [name for name in os.environ if name.startswith("KENSHU_")]:
            monkeypatch.delenv(name)
        for name, value in environment(KENSHU_BACKEND="compatible", OPENAI_BASE_URL=url, KENSHU_MODEL=MODEL,
                                       KENSHU_AUDIT_LOG=str(audit_log)).items():
            monkeypatch.setenv(name, value)
        yield behaviour
