"""The engine behind OpenAI's HTTP API: requests in, responses out, no network.

``handle`` takes what arrived over HTTP and returns what to send back, so the
in-process transport and any HTTP server can share it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from kenshu.engine.coach import coach_reply
from kenshu.engine.tokens import estimate_tokens
from kenshu.settings import OFFLINE_MODEL

OWNER = "kenshu"
FINGERPRINT = "kenshu-offline-1"


@dataclass
class ApiResponse:
    status: int
    body: bytes | Iterator[bytes]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


def error_response(status: int, message: str, *, kind: str, code: str | None = None,
                   param: str | None = None) -> ApiResponse:
    payload = {"error": {"message": message, "type": kind, "param": param, "code": code}}
    return ApiResponse(status, _json(payload))


def _json(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def handle(method: str, path: str, body: bytes = b"") -> ApiResponse:
    route = "/" + path.strip("/").removeprefix("v1").strip("/")
    if method == "GET" and route == "/models":
        return ApiResponse(200, _json({"object": "list", "data": [_model_card(OFFLINE_MODEL)]}))
    if method == "GET" and route.startswith("/models/"):
        name = route.removeprefix("/models/")
        if name != OFFLINE_MODEL:
            return _unknown_model(name)
        return ApiResponse(200, _json(_model_card(name)))
    if method == "POST" and route == "/chat/completions":
        try:
            request = json.loads(body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return error_response(400, "リクエストの本文が JSON として読めません。JSON の書式を確認してください。", kind="invalid_request_error")
        if not isinstance(request, dict):
            return error_response(400, "リクエストの本文は JSON のオブジェクト（{ ... }）にしてください。", kind="invalid_request_error")
        return chat_completion(request)
    return error_response(404, f"このサーバーに {method} {path} はありません。使えるのは /v1/chat/completions、/v1/embeddings、/v1/models です。", kind="invalid_request_error",
                          code="unknown_url")


def _model_card(name: str) -> dict[str, object]:
    return {"id": name, "object": "model", "created": 0, "owned_by": OWNER}


def _unknown_model(name: str) -> ApiResponse:
    return error_response(
        404, f"モデル「{name}」はありません。使えるモデルは {OFFLINE_MODEL} です。",
        kind="invalid_request_error", code="model_not_found", param="model",
    )


def _text_of(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content
                         if isinstance(part, dict) and part.get("type") == "text")
    return ""


def _invalid(message: str, param: str) -> ApiResponse:
    return error_response(400, message, kind="invalid_request_error", param=param)


def chat_completion(request: Mapping[str, object]) -> ApiResponse:
    model = request.get("model")
    if not isinstance(model, str) or not model:
        return _invalid("model（モデル名）を指定してください。", "model")
    if model != OFFLINE_MODEL:
        return _unknown_model(model)
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        return _invalid("messages には一つ以上のメッセージを配列で指定してください。", "messages")
    if not all(isinstance(m, dict) and "role" in m for m in messages):
        return _invalid("messages の各要素は role（system / user / assistant など）を持つオブジェクトにしてください。", "messages")
    n = request.get("n") or 1
    if not isinstance(n, int) or not 1 <= n <= 8:
        return _invalid("n は 1 から 8 までの整数にしてください。", "n")
    limit = request.get("max_completion_tokens") or request.get("max_tokens")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        return _invalid("max_tokens は 1 以上の整数にしてください。", "max_tokens")

    system = "\n".join(_text_of(m.get("content")) for m in messages if m["role"] in ("system", "developer"))
    users = [_text_of(m.get("content")) for m in messages if m["role"] == "user"]
    reply = coach_reply(users[-1] if users else "", system)
    reply, finish = _truncate(reply, limit)

    prompt_tokens = sum(estimate_tokens(_text_of(m.get("content"))) + 4 for m in messages)
    completion_tokens = estimate_tokens(reply) * n
    usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
             "total_tokens": prompt_tokens + completion_tokens}
    ident = "chatcmpl-" + hashlib.sha256(_json(request)).hexdigest()[:24]
    if request.get("stream"):
        options = request.get("stream_options")
        with_usage = isinstance(options, dict) and bool(options.get("include_usage"))
        return ApiResponse(200, _stream(ident, model, reply, finish, n, usage if with_usage else None),
                           {"content-type": "text/event-stream"})
    choices = [{"index": i, "message": {"role": "assistant", "content": reply, "refusal": None},
                "finish_reason": finish, "logprobs": None} for i in range(n)]
    return ApiResponse(200, _json({
        "id": ident, "object": "chat.completion", "created": 0, "model": model,
        "system_fingerprint": FINGERPRINT, "choices": choices, "usage": usage,
    }))


def _truncate(text: str, limit: object) -> tuple[str, str]:
    if not isinstance(limit, int) or estimate_tokens(text) <= limit:
        return text, "stop"
    cut = len(text)
    while cut > 0 and estimate_tokens(text[:cut]) > limit:
        cut -= 1
    return text[:cut], "length"


def _pieces(text: str) -> list[str]:
    """Stream in short pieces, as a real model would: a line or a clause at a time."""
    pieces: list[str] = []
    for line in text.splitlines(keepends=True):
        start = 0
        for index, char in enumerate(line):
            if char in "、。":
                pieces.append(line[start:index + 1])
                start = index + 1
        if start < len(line):
            pieces.append(line[start:])
    return pieces


def _stream(ident: str, model: str, reply: str, finish: str, n: int,
            usage: dict[str, int] | None) -> Iterator[bytes]:
    def event(choices: list[dict[str, object]], **extra: object) -> bytes:
        chunk = {"id": ident, "object": "chat.completion.chunk", "created": 0, "model": model,
                 "system_fingerprint": FINGERPRINT, "choices": choices, **extra}
        return b"data: " + _json(chunk) + b"\n\n"

    for i in range(n):
        yield event([{"index": i, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        for piece in _pieces(reply):
            yield event([{"index": i, "delta": {"content": piece}, "finish_reason": None}])
        yield event([{"index": i, "delta": {}, "finish_reason": finish}])
    if usage is not None:
        yield event([], usage=usage)
    yield b"data: [DONE]\n\n"
