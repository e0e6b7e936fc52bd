"""The gate on the wire: every call a kenshu client makes is checked, masked or blocked, and logged.

``GateTransport`` wraps the httpx2 transport of every backend (the offline engine's in-process
transport, and the real HTTP transports, proxies included). For each POST to
``chat/completions`` or ``embeddings`` it

1. collects every text that would leave (``kenshu.gate.outgoing``) and finds the personal data
   in them with one detection (``kenshu.safety.find_pii_in``);
2. asks ``kenshu.gate.decide`` what the policy says for this backend and the declared 機密性;
3. blocked: answers itself with HTTP 403 and an OpenAI-style error body whose ``what`` and
   ``todo`` say why and what to do (the SDK raises ``openai.PermissionDeniedError`` and does not
   retry; ``kenshu.ask`` turns it into ``GateBlockedError``). Nothing is sent;
4. masked: rewrites the body with ［氏名1］-style placeholders (``kenshu.safety.Masker``, one
   numbering per call), forwards it, and puts the originals back into the reply: JSON replies
   (``kenshu.gate.replies``), streamed replies (``kenshu.gate.stream``) and tool-call arguments;
5. records the call (``kenshu.gate.call_log``) with every kind of personal data masked.

Other requests (GET /models ...) pass through unaudited. Other POSTs carry content the gate
cannot read, so they only reach a backend whose rule allows everything.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx2

from kenshu.gate.call_log import Call, CallLog, new_log_masker, too_long_for_log
from kenshu.gate.decide import BLOCKED, MASKED, Decision, check_confidentiality, decide
from kenshu.gate.outgoing import CHAT, EMBEDDINGS, MAX_INSPECT_CHARS, collect, route
from kenshu.gate.policy import Policy
from kenshu.gate.replies import error_message, unmask_completion
from kenshu.gate.stream import GatedStream, dump_json
from kenshu.safety import Masker, find_pii_in
from kenshu.settings import Settings

GATE_ERROR_TYPE = "kenshu_gate"
GATE_ERROR_CODE = "kenshu_gate_blocked"
_DROPPED_HEADERS = ("content-length", "content-encoding", "transfer-encoding")


def blocked_body(decision: Decision) -> bytes:
    """The 403 body: an OpenAI-style error whose ``what`` and ``todo`` fields say why and what to do."""
    error = {"message": decision.reason, "type": GATE_ERROR_TYPE, "code": GATE_ERROR_CODE, "param": None,
             "what": decision.what, "todo": decision.todo}
    return json.dumps({"error": error}, ensure_ascii=False).encode("utf-8")


def _headers_without(headers: httpx2.Headers, names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.multi_items() if k.lower() not in names]


class GateTransport(httpx2.BaseTransport):
    """Wraps ``inner`` so every outgoing text is checked against ``policy`` before it leaves."""

    def __init__(self, inner: httpx2.BaseTransport, *, settings: Settings, policy: Policy,
                 confidentiality: int | None = None) -> None:
        self.inner = inner
        self.settings = settings
        self.policy = policy
        self.confidentiality = check_confidentiality(confidentiality)
        self.log = CallLog(settings)

    # -- the transport API

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "POST":
            return self.inner.handle_request(request)
        started = time.perf_counter()
        endpoint = route(request.url.path)
        if endpoint is None and self.policy.rule(self.settings.backend).allows_everything:
            return self.inner.handle_request(request)
        try:
            call, outgoing = self._inspect(request, endpoint, started)
        except Exception as exc:  # a bug in a detector must not let text out unchecked
            call, outgoing = self._failed_call(endpoint or request.url.path, started, exc), None
        if call.decision.action == BLOCKED:
            self.log.record(call, response="", status="blocked", usage=None)
            return httpx2.Response(403, headers={"content-type": "application/json", "x-should-retry": "false"},
                                   content=blocked_body(call.decision), request=request)
        if outgoing is not None:
            request = httpx2.Request(request.method, request.url,
                                     headers=_headers_without(request.headers, ("content-length",)),
                                     content=outgoing, extensions=request.extensions)
        try:
            response = self.inner.handle_request(request)
        except Exception as exc:
            self.log.record(call, response=f"（接続できませんでした: {exc.__class__.__name__}）", status="error",
                            usage=None)
            raise
        if "text/event-stream" in response.headers.get("content-type", ""):
            return self._stream(request, response, call)
        return self._finish_json(request, response, call)

    def close(self) -> None:
        self.inner.close()

    # -- inspection

    def _inspect(self, request: httpx2.Request, endpoint: str | None, started: float) -> tuple[Call, bytes | None]:
        backend, level = self.settings.backend, self.confidentiality
        if endpoint is None:  # only reached when the rule does not allow everything
            decision = decide(self.policy, backend, level, (), spans=[],
                              uninspectable=f"kenshu が点検しない API（{request.url.path}）への送信")
            return Call(request.url.path, None, decision, "", new_log_masker(), None, started), None

        raw = request.read()
        try:
            body = json.loads(raw) if raw else {}
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            decision = decide(self.policy, backend, level, (), spans=[], uninspectable="JSON として読めない本文")
            return Call(endpoint, None, decision, "", new_log_masker(), None, started), None
        model = body.get("model") if isinstance(body.get("model"), str) else self.settings.model
        out = collect(endpoint, body)
        texts = out.texts
        total = sum(len(text) for text in texts)
        if total > MAX_INSPECT_CHARS:
            decision = Decision(
                BLOCKED, backend, level,
                f"送信内容が {total:,} 文字あり、送信前の点検ができる長さ（{MAX_INSPECT_CHARS:,} 文字）を超えています。"
                "点検せずに送ることはしません。",
                "文章をいくつかに分けて、一回ずつ送ってください。")
            return Call(endpoint, model, decision, too_long_for_log(total), new_log_masker(), None, started), None

        spans = find_pii_in(texts)
        decision = decide(self.policy, backend, level, texts, spans=[span for found in spans for span in found],
                          uninspectable=out.describe_uninspectable())
        log_masker = new_log_masker(texts)
        log_lines = [f"{slot.label}: {log_masker.apply(slot.text, found)}" for slot, found in zip(out.slots, spans, strict=True)]
        log_lines += [f"（点検できない内容: {name}）" for name in dict.fromkeys(out.uninspectable)]
        call = Call(endpoint, model, decision, "\n".join(log_lines), log_masker, None, started)
        if decision.action != MASKED:
            return call, None
        call.send_masker = Masker(decision.mask_kinds, texts=texts)
        for slot, found in zip(out.slots, spans, strict=True):
            slot.replace(call.send_masker.apply(slot.text, found))
        return call, dump_json(body)

    def _failed_call(self, endpoint: str, started: float, exc: Exception) -> Call:
        decision = Decision(
            BLOCKED, self.settings.backend, self.confidentiality,
            f"送信前の点検の途中で問題が起きたため（{exc.__class__.__name__}）、念のため送信を止めました。",
            "送る内容を短くするか、特殊な文字を除いてもう一度試してください。続く場合は講師に知らせてください。")
        return Call(endpoint, None, decision, "", new_log_masker(), None, started)

    # -- replies

    def _stream(self, request: httpx2.Request, response: httpx2.Response, call: Call) -> httpx2.Response:
        def finished(reply: str, ok: bool, usage: object) -> None:
            self.log.record(call, response=reply, status="ok" if ok else "error", usage=usage)

        masker = call.send_masker
        stream = GatedStream(response, finished, unmask=masker.unmask if masker else None,
                             unmask_json=masker.unmask_json if masker else None)
        return httpx2.Response(response.status_code, headers=_headers_without(response.headers, _DROPPED_HEADERS),
                               stream=stream, request=request, extensions=response.extensions)

    def _finish_json(self, request: httpx2.Request, response: httpx2.Response, call: Call) -> httpx2.Response:
        try:
            content = response.read()
        except Exception as exc:  # the connection broke while the reply arrived
            self.log.record(call, response=f"（応答の途中で切れました: {exc.__class__.__name__}）", status="error",
                            usage=None)
            raise
        finally:
            response.close()
        headers = _headers_without(response.headers, _DROPPED_HEADERS)
        data: Any = None
        try:
            data = json.loads(content) if content else None
        except (ValueError, UnicodeDecodeError):
            pass
        if not 200 <= response.status_code < 300:
            message = error_message(data) or content[:500].decode("utf-8", "replace")
            self.log.record(call, response=f"HTTP {response.status_code}: {message}", status="error", usage=None)
            return httpx2.Response(response.status_code, headers=headers, content=content, request=request,
                                   extensions=response.extensions)
        reply = ""
        if isinstance(data, dict):
            if call.endpoint == CHAT:
                reply = unmask_completion(data, call.send_masker or Masker(mapping={}))
                if call.send_masker and call.send_masker.mapping:
                    content = dump_json(data)
            elif call.endpoint == EMBEDDINGS:
                items = data.get("data")
                reply = f"（埋め込みベクトル {len(items) if isinstance(items, list) else 0} 件）"
        usage = data.get("usage") if isinstance(data, dict) else None
        self.log.record(call, response=reply, status="ok", usage=usage)
        return httpx2.Response(response.status_code, headers=headers, content=content, request=request,
                               extensions=response.extensions)
