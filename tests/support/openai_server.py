"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests, with failures on demand.

It answers from kenshu's offline engine over real HTTP, so the ``compatible``
backend is driven exactly as it would drive Ollama or vLLM.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from kenshu.engine import handle
from kenshu.engine.api import ApiResponse, error_response


@dataclass
class Behaviour:
    """What the server does; tests change it between calls."""

    api_key: str | None = None         # when set, other keys get 401
    fail_status: int | None = None     # answer every chat request with this status
    fail_times: int | None = None      # ... only this many times, then answer normally
    delay: float = 0.0                 # seconds to wait before answering
    retry_after: str | None = None     # the Retry-After header sent with an injected failure (else retry-after-ms: 10)
    cut: bool = False                  # chat replies stop half-way and the connection drops (a stream: after 3 events)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    bodies: list[tuple[str, str, object]] = field(default_factory=list)  # method, path, JSON body (or text)
    # (route, JSON body) -> a response to send instead of the engine's, or None for the engine's
    script: Callable[[str, object], ApiResponse | None] | None = None


def _route(path: str) -> str:
    """The API route of a request path; a proxy sends the absolute URL."""
    path = urlsplit(path).path
    for suffix in ("/chat/completions", "/embeddings", "/models"):
        if suffix in path:
            return "/v1" + suffix + path.split(suffix, 1)[1]
    return path


class _Handler(BaseHTTPRequestHandler):
    behaviour: Behaviour

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        behaviour = self.behaviour
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        behaviour.requests.append((method, self.path, {k.lower(): v for k, v in self.headers.items()}))
        try:
            parsed: object = json.loads(body) if body else None
        except ValueError:
            parsed = body.decode("utf-8", "replace")
        behaviour.bodies.append((method, self.path, parsed))
        if behaviour.delay:
            time.sleep(behaviour.delay)
        route = _route(self.path)
        scripted = behaviour.script(route, parsed) if behaviour.script and method == "POST" else None
        answer = scripted or handle(method, route, body)
        extra: dict[str, str] = {}
        if behaviour.api_key and self.headers.get("authorization") != f"Bearer {behaviour.api_key}":
            answer = error_response(401, "Incorrect API key provided.", kind="invalid_request_error",
                                    code="invalid_api_key")
        elif behaviour.fail_status and self.path.endswith("/chat/completions") and behaviour.fail_times != 0:
            if behaviour.fail_times:
                behaviour.fail_times -= 1
            answer = error_response(behaviour.fail_status, f"Injected failure {behaviour.fail_status}.",
                                    kind="server_error" if behaviour.fail_status >= 500 else "requests")
            # keep the SDK's backoff short in tests, unless the test is about Retry-After
            extra = {"retry-after": behaviour.retry_after} if behaviour.retry_after else {"retry-after-ms": "10"}
        self.send_response(answer.status)
        for name, value in {**answer.headers, **extra}.items():
            self.send_header(name, value)
        if behaviour.cut and route == "/v1/chat/completions" and answer.status == 200:
            self._cut(answer)
            return
        if isinstance(answer.body, bytes):
            self.send_header("content-length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
            return
        self.send_header("connection", "close")
        self.end_headers()
        for chunk in answer.body:
            self.wfile.write(chunk)
            self.wfile.flush()
        self.close_connection = True


    def _cut(self, answer: ApiResponse) -> None:
        """Half the reply, then the connection drops (the length promised is never reached; a stream has no end)."""
        if isinstance(answer.body, bytes):
            self.send_header("content-length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body[: len(answer.body) // 2])
        else:
            self.send_header("connection", "close")
            self.end_headers()
            for number, chunk in enumerate(answer.body):
                if number == 3:
                    break
                self.wfile.write(chunk)
        self.wfile.flush()
        self.close_connection = True


@contextmanager
def serve(behaviour: Behaviour | None = None) -> Iterator[tuple[str, Behaviour]]:
    """Run the server in a thread; yields its base URL (ending in /v1) and its behaviour."""
    behaviour = behaviour or Behaviour()
    handler = type("Handler", (_Handler,), {"behaviour": behaviour})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", behaviour
    finally:
        server.shutdown()
        server.server_close()
