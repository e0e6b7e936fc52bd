"""The engine behind OpenAI's HTTP API: requests in, responses out, no network.

``handle`` takes what arrived over HTTP and returns what to send back, so the
in-process transport and the classroom server (``kenshu serve``) share it.
Every error is an OpenAI-style error object with a Japanese message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kenshu.engine.chat import Choice, complete
from kenshu.engine.embeddings import DEFAULT_DIMENSIONS, as_base64, embed
from kenshu.engine.prompt import text_of
from kenshu.engine.tokens import estimate_tokens
from kenshu.settings import OFFLINE_MODEL

OWNER = "kenshu"
FINGERPRINT = "kenshu-offline-1"
MAX_EMBEDDING_INPUTS = 2048


@dataclass
class ApiResponse:
    status: int
    body: bytes | Iterator[bytes]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


class InvalidRequest(Exception):
    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


def error_response(status: int, message: str, *, kind: str, code: str | None = None,
                   param: str | None = None) -> ApiResponse:
    payload = {"error": {"message": message, "type": kind, "param": param, "code": code}}
    return ApiResponse(status, _json(payload))


def _json(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


ROLES = ("system", "developer", "user", "assistant", "tool", "function")
MAX_MESSAGES = 2048
MAX_TOKENS = 1_000_000


def handle(method: str, path: str, body: bytes = b"") -> ApiResponse:
    route = "/" + path.split("?")[0].strip("/").removeprefix("v1").strip("/")
    if method == "GET" and route == "/models":
        return ApiResponse(200, _json({"object": "list", "data": [_model_card(OFFLINE_MODEL)]}))
    if method == "GET" and route.startswith("/models/"):
        name = route.removeprefix("/models/")
        return ApiResponse(200, _json(_model_card(name))) if name == OFFLINE_MODEL else _unknown_model(name)
    endpoints = {"/chat/completions": chat_completion, "/embeddings": embeddings}
    if route in endpoints:
        if method != "POST":
            return error_response(405, f"{path} には POST で送ってください。", kind="invalid_request_error",
                                  code="method_not_allowed")
        try:
            request = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError):  # bad JSON, a number too long, nesting too deep
            return _invalid("リクエストの本文が JSON として読めません。JSON の書式を確認してください。")
        if not isinstance(request, dict):
            return _invalid("リクエストの本文は JSON のオブジェクト（{ ... }）にしてください。")
        try:
            return endpoints[route](request)
        except InvalidRequest as problem:
            return _invalid(str(problem), problem.param)
    return error_response(404, f"このサーバーに {method} {path} はありません。使えるのは /v1/chat/completions、"
                               "/v1/embeddings、/v1/models です。", kind="invalid_request_error", code="unknown_url")


def _model_card(name: str) -> dict[str, object]:
    return {"id": name, "object": "model", "created": 0, "owned_by": OWNER}


def _unknown_model(name: str) -> ApiResponse:
    return error_response(404, f"モデル「{name}」はありません。使えるモデルは {OFFLINE_MODEL} です。",
                          kind="invalid_request_error", code="model_not_found", param="model")


def _invalid(message: str, param: str | None = None) -> ApiResponse:
    return error_response(400, message, kind="invalid_request_error", param=param)


def _check_model(request: Mapping[str, Any]) -> ApiResponse | None:
    model = request.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("model（モデル名）を指定してください。", "model")
    return None if model == OFFLINE_MODEL else _unknown_model(model)


def _check_chat(request: Mapping[str, Any]) -> None:
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidRequest("messages には一つ以上のメッセージを配列で指定してください。", "messages")
    if len(messages) > MAX_MESSAGES:
        raise InvalidRequest(f"messages は {MAX_MESSAGES} 件までにしてください。", "messages")
    for number, message in enumerate(messages, start=1):
        where = f"messages の {number} 件目"
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise InvalidRequest("messages の各要素は role（system / user / assistant など）を持つオブジェクトにしてください。", "messages")
        if message["role"] not in ROLES:
            raise InvalidRequest(f"{where}の role「{message['role'][:40]}」は使えません。{' / '.join(ROLES)} のどれかにしてください。",
                                 "messages")
        name = message.get("name")
        if name is not None and not (isinstance(name, str) and len(name) <= 64):
            raise InvalidRequest(f"{where}の name は 64 文字までの文字列にしてください。", "messages")
        content = message.get("content")
        if content is not None and not isinstance(content, (str, list)):
            raise InvalidRequest("content は文字列か、部品（{\"type\": \"text\", ...}）の配列にしてください。", "messages")
        if isinstance(content, list):
            for part in content:
                if not (isinstance(part, dict) and isinstance(part.get("type"), str)):
                    raise InvalidRequest(f"{where}の content の部品は、type を持つオブジェクト（{{\"type\": \"text\", \"text\": \"…\"}}）"
                                         "にしてください。", "messages")
                if part["type"] == "text" and not isinstance(part.get("text"), str):
                    raise InvalidRequest(f"{where}の text の部品には、文字列の text を入れてください。", "messages")
        if message["role"] != "assistant" and content is None:
            raise InvalidRequest(f"{where}（role: {message['role']}）に content がありません。", "messages")
    stream = request.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise InvalidRequest("stream は true か false にしてください。", "stream")
    n = request.get("n", 1)
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 8):
        raise InvalidRequest("n は 1 から 8 までの整数にしてください。", "n")
    for name in ("max_tokens", "max_completion_tokens"):
        value = request.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_TOKENS):
            raise InvalidRequest(f"{name} は 1 から {MAX_TOKENS} までの整数にしてください。", name)
    temperature = request.get("temperature")
    if temperature is not None and (not isinstance(temperature, (int, float)) or isinstance(temperature, bool)
                                    or not 0 <= temperature <= 2):
        raise InvalidRequest("temperature は 0 から 2 までの数にしてください。", "temperature")
    seed = request.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise InvalidRequest("seed は整数にしてください。", "seed")
    stop = request.get("stop")
    if stop is not None and not (isinstance(stop, str) or (isinstance(stop, list) and len(stop) <= 4
                                                          and all(isinstance(s, str) for s in stop))):
        raise InvalidRequest("stop は文字列か、4 個までの文字列の配列にしてください。", "stop")
    response_format = request.get("response_format")
    if response_format is not None:
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind not in ("text", "json_object", "json_schema"):
            raise InvalidRequest("response_format の type は text / json_object / json_schema のどれかにしてください。",
                                 "response_format")
        if kind == "json_schema":
            spec = response_format.get("json_schema")
            schema = spec.get("schema") if isinstance(spec, dict) else None
            if not isinstance(schema, dict):
                raise InvalidRequest("json_schema には schema（JSON スキーマのオブジェクト）を含めてください。", "response_format")
            _check_schema(schema, "response_format")
    tools = request.get("tools")
    if tools is not None and not (isinstance(tools, list) and all(
            isinstance(t, dict) and isinstance(t.get("function"), dict) and t["function"].get("name") for t in tools)):
        raise InvalidRequest("tools の各要素は {\"type\": \"function\", \"function\": {\"name\": ...}} の形にしてください。", "tools")
    for tool in tools or []:
        parameters = tool["function"].get("parameters")
        if parameters is not None:
            if not isinstance(parameters, dict):
                raise InvalidRequest("tools の parameters は JSON スキーマのオブジェクトにしてください。", "tools")
            _check_schema(parameters, "tools")


def _check_schema(schema: dict[str, Any], param: str) -> None:
    import jsonschema  # slow to import (about 1 s); only schema requests need it

    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as problem:
        raise InvalidRequest(f"JSON スキーマが正しくありません（{problem.message}）。", param) from None


def chat_completion(request: Mapping[str, Any]) -> ApiResponse:
    unknown = _check_model(request)
    if unknown:
        return unknown
    _check_chat(request)
    choices = complete(request)
    messages = request["messages"]
    prompt_tokens = sum(estimate_tokens(text_of(m.get("content"))) + 4 for m in messages)
    completion_tokens = sum(estimate_tokens(c.content or json.dumps(c.tool_calls, ensure_ascii=False)) for c in choices)
    usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
             "total_tokens": prompt_tokens + completion_tokens}
    ident = "chatcmpl-" + hashlib.sha256(_json(request)).hexdigest()[:24]
    model = request["model"]
    if request.get("stream"):
        options = request.get("stream_options")
        with_usage = isinstance(options, dict) and bool(options.get("include_usage"))
        return ApiResponse(200, _stream(ident, model, choices, usage if with_usage else None),
                           {"content-type": "text/event-stream", "cache-control": "no-cache"})
    return ApiResponse(200, _json({
        "id": ident, "object": "chat.completion", "created": 0, "model": model,
        "system_fingerprint": FINGERPRINT, "usage": usage,
        "choices": [{"index": i, "message": _message(c), "finish_reason": c.finish_reason, "logprobs": None}
                    for i, c in enumerate(choices)],
    }))


def _message(choice: Choice) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": choice.content, "refusal": None}
    if choice.tool_calls:
        message["tool_calls"] = choice.tool_calls
    return message


def _pieces(text: str) -> list[str]:
    """Stream in short pieces, as a real model would: a clause or a line at a time."""
    pieces: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if char in "、。\n":
            pieces.append(text[start:index + 1])
            start = index + 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _stream(ident: str, model: str, choices: list[Choice], usage: dict[str, int] | None) -> Iterator[bytes]:
    def event(deltas: list[dict[str, object]], **extra: object) -> bytes:
        chunk = {"id": ident, "object": "chat.completion.chunk", "created": 0, "model": model,
                 "system_fingerprint": FINGERPRINT, "choices": deltas, **extra}
        return b"data: " + _json(chunk) + b"\n\n"

    for i, choice in enumerate(choices):
        yield event([{"index": i, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        if choice.tool_calls:
            calls = [{"index": k, **call} for k, call in enumerate(choice.tool_calls)]
            yield event([{"index": i, "delta": {"tool_calls": calls}, "finish_reason": None}])
        for piece in _pieces(choice.content or ""):
            yield event([{"index": i, "delta": {"content": piece}, "finish_reason": None}])
        yield event([{"index": i, "delta": {}, "finish_reason": choice.finish_reason}])
    if usage is not None:
        yield event([], usage=usage)
    yield b"data: [DONE]\n\n"


def embeddings(request: Mapping[str, Any]) -> ApiResponse:
    unknown = _check_model(request)
    if unknown:
        return unknown
    raw = request.get("input")
    inputs = [raw] if isinstance(raw, str) else raw
    if not isinstance(inputs, list) or not inputs or len(inputs) > MAX_EMBEDDING_INPUTS \
            or not all(isinstance(text, str) and text.strip() for text in inputs):
        raise InvalidRequest(f"input は空でない文字列か、{MAX_EMBEDDING_INPUTS} 個までの空でない文字列の配列にしてください。", "input")
    dimensions = request.get("dimensions") or DEFAULT_DIMENSIONS
    if not isinstance(dimensions, int) or isinstance(dimensions, bool) or not 8 <= dimensions <= 4096:
        raise InvalidRequest("dimensions は 8 から 4096 までの整数にしてください。", "dimensions")
    encoding = request.get("encoding_format") or "float"
    if encoding not in ("float", "base64"):
        raise InvalidRequest("encoding_format は float か base64 にしてください。", "encoding_format")
    data = []
    for index, text in enumerate(inputs):
        vector = embed(text, dimensions)
        data.append({"object": "embedding", "index": index,
                     "embedding": as_base64(vector) if encoding == "base64" else vector})
    tokens = sum(estimate_tokens(text) for text in inputs)
    return ApiResponse(200, _json({"object": "list", "data": data, "model": request["model"],
                                   "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}))
