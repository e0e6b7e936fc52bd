"""The offline engine as an OpenAI-compatible HTTP server for a classroom.

``kenshu serve`` runs ``create_app()`` with uvicorn; learners point their
``compatible`` backend at it. Every path under ``/v1/`` goes to
``kenshu.engine.handle``; this module only adds what a shared server needs: an
optional API key, a body-size limit, off-loop execution of the CPU-bound engine,
streaming that stops when the client goes away, and a one-line access log.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kenshu.engine import handle
from kenshu.engine.api import ApiResponse, error_response
from kenshu.settings import OFFLINE_MODEL

log = logging.getLogger("kenshu.server")
access_log = logging.getLogger("kenshu.server.access")

DEFAULT_MAX_BODY_BYTES = 1_048_576
BODY_TIMEOUT_SECONDS = 30.0  # a client that trickles its body longer than this gets 408
CACHE_ENTRIES = 256
API_METHODS = ("GET", "POST")
# Routed to the API endpoint so that it answers them (401 before 405); others get Starlette's 405.
ROUTED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(*, api_key: str | None = None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
               body_timeout: float = BODY_TIMEOUT_SECONDS, cache_entries: int = CACHE_ENTRIES) -> Starlette:
    """The ASGI app: ``GET /`` and ``/health`` report status; ``/v1/...`` is the engine."""
    expected = api_key.encode("utf-8") if api_key else None
    answers = AnswerCache(cache_entries)

    async def run_engine(method: str, path: str, body: bytes) -> ApiResponse:
        try:
            return await run_in_threadpool(handle, method, path, body)
        except Exception:
            log.exception("engine failed on %s %s", method, path)
            return _server_error()

    async def status(request: Request) -> Response:
        return _json_response(200, {
            "status": "ok",
            "message": "kenshu のオフライン練習エンジンが動いています。接続先のアドレスは /v1 で終わる形にしてください。",
            "model": OFFLINE_MODEL,
            "api_key_required": expected is not None,
        })

    async def api(request: Request) -> Response:
        if expected is not None and not _authorised(request, expected):
            return _send(error_response(
                401, "APIキーが指定されていないか、正しくありません。講師から伝えられたキーを環境変数 OPENAI_API_KEY に設定してから、"
                     "もう一度実行してください。",
                kind="invalid_request_error", code="invalid_api_key"), {"www-authenticate": "Bearer"})
        if request.method not in API_METHODS:
            return _send(_method_not_allowed(request.method, API_METHODS), {"allow": ", ".join(API_METHODS)})
        body = await _read_body(request, max_body_bytes, body_timeout)
        if isinstance(body, ApiResponse):
            return _send(body)
        method, path = request.method, request.url.path
        answer = await answers.answer(method, path, body, lambda: run_engine(method, path, body))
        if isinstance(answer.body, bytes):
            return _send(answer)
        return await _stream(answer.status, answer.body, answer.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        # Starlette's own 404 (outside /v1) and 405 (e.g. POST /health), in the API's shape.
        assert isinstance(exc, HTTPException)
        where = f"{request.method} {request.url.path}"
        headers = dict(exc.headers or {})
        if exc.status_code == 404:
            answer = error_response(
                404, f"このサーバーに {where} はありません。接続先のアドレス（OPENAI_BASE_URL）は"
                     "「http://サーバーのアドレス:ポート番号/v1」のように /v1 で終わる形にしてください。",
                kind="invalid_request_error", code="unknown_url")
        elif exc.status_code == 405:
            under_v1 = request.url.path == "/v1" or request.url.path.startswith("/v1/")
            allowed = API_METHODS if under_v1 else ("GET",)
            answer = _method_not_allowed(request.method, allowed)
            headers = {"allow": ", ".join(allowed)}
        else:
            answer = error_response(exc.status_code, f"{where} を処理できませんでした。",
                                    kind="invalid_request_error")
        return _send(answer, headers)

    async def unexpected(request: Request, exc: Exception) -> Response:
        return _send(_server_error())  # Starlette re-raises it after this, and uvicorn logs it once

    return Starlette(
        routes=[
            Route("/", status, methods=["GET"]),
            Route("/health", status, methods=["GET"]),
            Route("/v1", api, methods=ROUTED_METHODS),
            Route("/v1/{rest:path}", api, methods=ROUTED_METHODS),
        ],
        middleware=[Middleware(AccessLog)],
        exception_handlers={HTTPException: http_error, Exception: unexpected},
    )


class AnswerCache:
    """Answers to identical requests, computed once.

    A class often sends the same exercise prompt at the same moment. The engine is
    deterministic (its randomness is seeded from the request), so identical POST
    bodies get identical answers: the first request computes, the ones that arrive
    meanwhile wait for it, and later ones are served from a small LRU of successful
    answers. Streams are single-use, so they are never shared or kept.
    Used from the event loop only, hence no locks.
    """

    MAX_BODY_BYTES = 64 * 1024  # larger requests are not worth keeping

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._answers: OrderedDict[tuple[str, bytes], ApiResponse] = OrderedDict()
        self._in_flight: dict[tuple[str, bytes], _Flight] = {}

    async def answer(self, method: str, path: str, body: bytes,
                     compute: Callable[[], Awaitable[ApiResponse]]) -> ApiResponse:
        if method != "POST" or self.entries <= 0 or len(body) > self.MAX_BODY_BYTES:
            return await compute()
        key = (path, body)
        if key in self._answers:
            self._answers.move_to_end(key)
            return self._answers[key]
        flight = self._in_flight.get(key)
        if flight is not None:
            await flight.done.wait()
            shared = flight.answer
            return shared if shared is not None and isinstance(shared.body, bytes) else await compute()
        flight = self._in_flight[key] = _Flight()
        try:
            flight.answer = answer = await compute()
        finally:
            del self._in_flight[key]
            flight.done.set()  # waiters compute for themselves if this one was cancelled
        if answer.status == 200 and isinstance(answer.body, bytes):
            self._answers[key] = answer
            while len(self._answers) > self.entries:
                self._answers.popitem(last=False)
        return answer


class _Flight:
    def __init__(self) -> None:
        self.done = anyio.Event()
        self.answer: ApiResponse | None = None


def _authorised(request: Request, expected: bytes) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    given = token.strip().encode("utf-8") if scheme.lower() == "bearer" else b""
    return hmac.compare_digest(given, expected)


async def _read_body(request: Request, limit: int, timeout: float) -> bytes | ApiResponse:
    """The request body, never reading past ``limit`` bytes (Content-Length first, then counted)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    return _too_large(limit)
                chunks.append(chunk)
    except TimeoutError:
        return error_response(408, f"リクエストの本文を {timeout:g} 秒以内に受け取れませんでした。通信環境を確認して、もう一度送ってください。",
                              kind="invalid_request_error", code="request_timeout")
    except ClientDisconnect:
        return error_response(400, "リクエストの送信が途中で切れました。", kind="invalid_request_error")
    return b"".join(chunks)


async def _stream(status: int, chunks: Iterator[bytes], headers: dict[str, str]) -> Response:
    """Stream the engine's events; the first one is produced before answering, so an
    engine failure at the start still becomes a plain 500 instead of a broken stream."""
    try:
        first = await run_in_threadpool(next, chunks, b"")
    except Exception:
        log.exception("engine failed before its first streamed event")
        _close(chunks)
        return _send(_server_error())
    return _EngineStream(_events(first, chunks), status_code=status,
                         headers={**headers, "cache-control": "no-cache"})


async def _events(first: bytes, chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """One engine event per step, each computed in a worker thread."""
    try:
        chunk = first
        while chunk:
            yield chunk
            try:
                chunk = await run_in_threadpool(next, chunks, b"")
            except Exception:
                log.exception("engine failed in the middle of a stream")
                # what OpenAI sends: the SDK raises it as an APIError for the learner
                yield b"data: " + _server_error().body + b"\n\n"  # type: ignore[operator]
                return
    finally:
        _close(chunks)


def _close(chunks: Iterator[bytes]) -> None:
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


class _EngineStream(StreamingResponse):
    """A StreamingResponse that always closes the engine's generator, even when the
    client disconnects mid-stream (Starlette then stops iterating and cancels)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except ClientDisconnect:
            pass
        finally:
            with anyio.CancelScope(shield=True):
                await self.body_iterator.aclose()  # type: ignore[attr-defined]


def _send(answer: ApiResponse, extra_headers: dict[str, str] | None = None) -> Response:
    assert isinstance(answer.body, bytes)
    return Response(answer.body, status_code=answer.status, headers={**answer.headers, **(extra_headers or {})})


def _json_response(status: int, payload: object) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False).encode("utf-8"), status_code=status,
                    media_type="application/json")


def _too_large(limit: int) -> ApiResponse:
    return error_response(
        413, f"リクエストの本文が大きすぎます（上限 {limit // 1024:,} KB）。送る文章を短くするか、分けて送ってください。",
        kind="invalid_request_error", code="request_too_large")


def _method_not_allowed(method: str, allowed: tuple[str, ...]) -> ApiResponse:
    return error_response(
        405, f"このアドレスには {method} では送れません。{' か '.join(allowed)} で送ってください。",
        kind="invalid_request_error", code="method_not_allowed")


def _server_error() -> ApiResponse:
    return error_response(
        500, "サーバーの内部でエラーが起きました。もう一度実行してください。続く場合は講師に連絡してください。",
        kind="server_error")


class AccessLog:
    """One line per request: method, path, status, milliseconds. Never bodies or headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        complete = False

        async def recording_send(message: Message) -> None:
            nonlocal status, complete
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                complete = True
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            # raw_path is still percent-encoded: no control characters reach the log
            path = scope.get("raw_path", b"").decode("latin-1")[:200] or scope["path"]
            access_log.info("%s %s %d %.1fms%s", scope["method"], path, status,
                            (time.perf_counter() - started) * 1000, "" if complete else " (途中で切断)")
