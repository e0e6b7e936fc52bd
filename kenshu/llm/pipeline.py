"""The gate on the wire: every call a kenshu client makes is checked, masked or blocked, and logged.

``GateTransport`` wraps the httpx2 transport of every backend (the offline engine's
in-process transport, and the real HTTP transports, proxies included). For each
POST to ``chat/completions`` or ``embeddings`` it

1. reads the JSON body and collects every text that would leave: message contents
   (text parts), message names, tool-call arguments, embedding inputs;
2. asks ``kenshu.gate.decide`` what the policy says for this backend and the
   declared 機密性;
3. blocked: answers itself with HTTP 403 and an OpenAI-style error body (the SDK raises
   ``openai.PermissionDeniedError`` and does not retry; ``kenshu.ask`` turns it into
   ``GateBlockedError``). Nothing is sent;
4. masked: rewrites the body with ［氏名1］-style placeholders (one mapping per call,
   so a name is the same placeholder in every message), forwards it, and puts the
   originals back into the reply: JSON replies, streamed replies (a placeholder split
   across chunks is held back until complete) and tool-call arguments;
5. records the call in the audit log with every kind of personal data masked, whatever
   the decision, so raw personal data is never stored. A log that cannot be written
   gives one Japanese warning; the learner's answer is never lost for it.

Other requests (GET /models ...) pass through unaudited. Other POSTs carry content the
gate cannot read, so they only reach a backend whose rule allows everything.
"""

from __future__ import annotations

import json
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2

from kenshu.gate.decide import BLOCKED, MASKED, Decision, check_confidentiality, decide
from kenshu.gate.policy import Policy
from kenshu.safety import KINDS, LABELS, Masked, Span, find_pii
from kenshu.settings import Settings

GATE_ERROR_TYPE = "kenshu_gate"
GATE_ERROR_CODE = "kenshu_gate_blocked"
# Detection reads every character; past this many (about 250 pages) the gate refuses
# rather than keep a learner waiting, and says to send the text in parts.
MAX_INSPECT_CHARS = 500_000
LOG_KINDS = frozenset(KINDS)   # the log masks every kind, whatever the policy allows to be sent

_ROUTES = (("/chat/completions", "chat.completions"), ("/embeddings", "embeddings"))
_PLACEHOLDER = re.compile(r"[［\[]([^［］\[\]\d]{2,8})(\d{1,4})[］\]]")
_PARTIAL_PLACEHOLDER = re.compile(r"[［\[][^［］\[\]\d]{0,8}\d{0,4}\Z")
_LABEL_KIND = {label: kind for kind, label in LABELS.items()}
_DROPPED_HEADERS = ("content-length", "content-encoding", "transfer-encoding")


class AuditLogWarning(UserWarning):
    """The audit log could not be written; the call itself went ahead."""


# ---------------------------------------------------------------------------- masking with one mapping

class _Masker:
    """Placeholders for one call, numbered as ``kenshu.safety.mask`` numbers them.

    The spans come from one detection per text, shared by the decision, the text sent
    and the text logged. Numbers already used in the learner's own text (someone who
    wrote ［氏名1］ by hand) are skipped, so a reply's ［氏名1］ is never mistaken.
    """

    def __init__(self, kinds: frozenset[str], texts: list[str]) -> None:
        self.kinds = kinds
        self.mapping: dict[str, str] = {}
        self._by_original: dict[tuple[str, str], str] = {}
        self._counters = dict.fromkeys(KINDS, 0)
        for text in texts:
            for match in _PLACEHOLDER.finditer(text):
                kind = _LABEL_KIND.get(match.group(1))
                if kind:
                    self._counters[kind] = max(self._counters[kind], int(match.group(2)))

    def apply(self, text: str, spans: list[Span]) -> str:
        pieces, position = [], 0
        for span in spans:
            if span.kind not in self.kinds:
                continue
            key = (span.text, span.kind)
            if key not in self._by_original:
                self._counters[span.kind] += 1
                placeholder = f"［{LABELS[span.kind]}{self._counters[span.kind]}］"
                self._by_original[key] = placeholder
                self.mapping[placeholder] = span.text
            pieces += [text[position:span.start], self._by_original[key]]
            position = span.end
        pieces.append(text[position:])
        return "".join(pieces)

    def hide_known(self, text: str) -> str:
        """Replace every original this mapping knows, wherever it appears (a reply echoing a name)."""
        for placeholder, original in sorted(self.mapping.items(), key=lambda item: -len(item[1])):
            if original.strip():
                text = text.replace(original, placeholder)
        return text

    def for_log(self, text: str) -> str:
        text = self.hide_known(text)
        return self.apply(text, find_pii(text)) if len(text) <= MAX_INSPECT_CHARS else _too_long_for_log(text)


def _too_long_for_log(text: str) -> str:
    return f"（{len(text):,} 文字。長すぎるため記録には残していません）"


def _unmask(text: str, mapping: dict[str, str]) -> str:
    return Masked(text, (), mapping).unmask(text) if mapping else text


def _unmask_json(text: str, mapping: dict[str, str]) -> str:
    """Unmask inside a JSON document (tool-call arguments): originals are JSON-escaped."""
    if not mapping:
        return text

    def restore(match: re.Match[str]) -> str:
        original = mapping.get(f"［{match.group(1)}{match.group(2)}］")
        return json.dumps(original, ensure_ascii=False)[1:-1] if original is not None else match.group(0)

    return _PLACEHOLDER.sub(restore, text)


def _everywhere(texts: list[str], found: list[list[Span]]) -> list[list[Span]]:
    """Add every other occurrence of a value found anywhere in the call.

    A name recognised in one message (山田太郎様) is then also caught where nothing
    marks it as a name (a tool call's ``{"who": "山田太郎"}``). Values shorter than two
    characters are not spread, so a one-character name cannot eat ordinary words.
    """
    values = {span.text: span.kind for spans in found for span in spans if len(span.text.strip()) >= 2}
    if not values:
        return found
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    extended = []
    for text, spans in zip(texts, found):
        taken = [(span.start, span.end) for span in spans]
        extra = [Span(m.start(), m.end(), values[m.group(0)], m.group(0)) for m in pattern.finditer(text)
                 if not any(m.start() < end and start < m.end() for start, end in taken)]
        extended.append(sorted([*spans, *extra]) if extra else spans)
    return extended


def inspect_texts(texts: list[str]) -> list[list[Span]]:
    """The personal data the gate finds in each of the texts of one call."""
    return _everywhere(texts, [find_pii(text) for text in texts])


def mask_texts(texts: list[str], spans: list[list[Span]], kinds: frozenset[str] | set[str]) -> tuple[list[str], dict[str, str]]:
    """The texts with ``kinds`` replaced by placeholders numbered across all of them, and the mapping."""
    masker = _Masker(frozenset(kinds), texts)
    return [masker.apply(text, found) for text, found in zip(texts, spans)], masker.mapping


# ---------------------------------------------------------------------------- what a request sends

@dataclass
class _Slot:
    """One text in the request body and where to put its masked version."""

    holder: dict[str, Any] | list[Any]
    key: str | int
    text: str
    label: str
    is_json: bool = False


@dataclass
class _Outgoing:
    slots: list[_Slot] = field(default_factory=list)
    uninspectable: list[str] = field(default_factory=list)

    def add(self, holder: dict[str, Any] | list[Any], key: str | int, label: str, *, is_json: bool = False) -> None:
        value = holder[key]  # type: ignore[index]
        if isinstance(value, str):
            self.slots.append(_Slot(holder, key, value, label, is_json))
        elif value is not None:
            self.uninspectable.append(f"文字列でない {label}")


_PART_NAMES = {"image_url": "画像", "input_image": "画像", "input_audio": "音声", "file": "ファイル",
               "input_file": "ファイル"}


def _collect_chat(body: dict[str, Any]) -> _Outgoing:
    out = _Outgoing()
    messages = body.get("messages")
    if not isinstance(messages, list):
        return out
    for message in messages:
        if not isinstance(message, dict):
            continue
        role = str(message.get("role") or "message")
        content = message.get("content")
        if isinstance(content, list):
            for part in content:
                if not isinstance(part, dict):
                    continue
                kind = part.get("type")
                if kind in ("text", "input_text", "output_text", "refusal"):
                    key = "refusal" if kind == "refusal" else "text"
                    if key in part:
                        out.add(part, key, role)
                else:
                    out.uninspectable.append(_PART_NAMES.get(str(kind), f"点検できない部品（{kind}）"))
        elif "content" in message:
            out.add(message, "content", role)
        if "name" in message:
            out.add(message, "name", f"{role} の名前")
        if "refusal" in message:
            out.add(message, "refusal", role)
        calls = message.get("tool_calls")
        for call in calls if isinstance(calls, list) else []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and "arguments" in function:
                out.add(function, "arguments", f"{role} のツール呼び出し", is_json=True)
        function = message.get("function_call")
        if isinstance(function, dict) and "arguments" in function:
            out.add(function, "arguments", f"{role} の関数呼び出し", is_json=True)
    return out


def _collect_embeddings(body: dict[str, Any]) -> _Outgoing:
    out = _Outgoing()
    if "input" not in body:
        return out
    value = body["input"]
    if isinstance(value, str):
        out.add(body, "input", "input")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                out.add(value, index, f"input[{index}]")
            else:
                out.uninspectable.append("トークン列（数値の配列）")
                break
    elif value is not None:
        out.uninspectable.append("文字列でない input")
    return out


def _route(path: str) -> str | None:
    path = path.rstrip("/")
    for suffix, name in _ROUTES:
        if path.endswith(suffix):
            return name
    return None


# ---------------------------------------------------------------------------- one call through the gate

@dataclass
class _Call:
    endpoint: str
    model: str | None
    decision: Decision
    log_prompt: str
    log_masker: _Masker | None
    send_mapping: dict[str, str]
    started: float


def _error_body(message: str) -> bytes:
    payload = {"error": {"message": message, "type": GATE_ERROR_TYPE, "code": GATE_ERROR_CODE, "param": None}}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _dump(data: object) -> bytes:
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: keep it as a JSON escape
        return json.dumps(data, separators=(",", ":")).encode("ascii")


def _headers_without(headers: httpx2.Headers, names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.multi_items() if k.lower() not in names]


_warned: set[str] = set()
_warned_lock = threading.Lock()


def _warn_once(key: str, message: str) -> None:
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    warnings.warn(message, AuditLogWarning, stacklevel=2)


class GateTransport(httpx2.BaseTransport):
    """Wraps ``inner`` so every outgoing text is checked against ``policy`` before it leaves."""

    def __init__(self, inner: httpx2.BaseTransport, *, settings: Settings, policy: Policy,
                 confidentiality: int | None = None) -> None:
        self.inner = inner
        self.settings = settings
        self.policy = policy
        self.confidentiality = check_confidentiality(confidentiality)
        self._log: Any = None
        self._log_lock = threading.Lock()

    # -- the transport API

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "POST":
            return self.inner.handle_request(request)
        started = time.perf_counter()
        endpoint = _route(request.url.path)
        if endpoint is None and self.policy.rule(self.settings.backend).allows_everything:
            return self.inner.handle_request(request)
        try:
            call, outgoing = self._inspect(request, endpoint, started)
        except Exception as exc:  # a bug in a detector must not let text out unchecked
            call = self._failed_call(endpoint or request.url.path, started, exc)
            outgoing = None
        if call.decision.action == BLOCKED:
            self._record(call, response="", status="blocked", usage=None)
            return httpx2.Response(403, headers={"content-type": "application/json", "x-should-retry": "false"},
                                   content=_error_body(call.decision.reason), request=request)
        if outgoing is not None:
            request = httpx2.Request(request.method, request.url,
                                     headers=_headers_without(request.headers, ("content-length",)),
                                     content=outgoing, extensions=request.extensions)
        try:
            response = self.inner.handle_request(request)
        except Exception as exc:
            self._record(call, response=f"（接続できませんでした: {exc.__class__.__name__}）", status="error", usage=None)
            raise
        if "text/event-stream" in response.headers.get("content-type", ""):
            stream = _GatedStream(response, call, self)
            return httpx2.Response(response.status_code, headers=_headers_without(response.headers, _DROPPED_HEADERS),
                                   stream=stream, request=request, extensions=response.extensions)
        return self._finish_json(request, response, call)

    def close(self) -> None:
        self.inner.close()

    # -- inspection

    def _inspect(self, request: httpx2.Request, endpoint: str | None, started: float) -> tuple[_Call, bytes | None]:
        backend = self.settings.backend
        if endpoint is None:  # only reached when the rule does not allow everything
            decision = decide(self.policy, backend, self.confidentiality, (),
                              spans=[], uninspectable=f"kenshu が点検しない API（{request.url.path}）への送信")
            return _Call(request.url.path, None, decision, "", None, {}, started), None

        raw = request.read()
        try:
            body = json.loads(raw) if raw else {}
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            decision = decide(self.policy, backend, self.confidentiality, (), spans=[],
                              uninspectable="JSON として読めない本文")
            return _Call(endpoint, None, decision, "", None, {}, started), None
        model = body.get("model") if isinstance(body.get("model"), str) else self.settings.model
        out = _collect_chat(body) if endpoint == "chat.completions" else _collect_embeddings(body)
        texts = [slot.text for slot in out.slots]
        total = sum(len(text) for text in texts)
        uninspectable = "・".join(dict.fromkeys(out.uninspectable)) or None

        if total > MAX_INSPECT_CHARS:
            decision = Decision(
                BLOCKED, backend, self.confidentiality,
                f"送信内容が {total:,} 文字あり、送信前の点検ができる長さ（{MAX_INSPECT_CHARS:,} 文字）を超えています。"
                "点検せずに送ることはしません。",
                "文章をいくつかに分けて、一回ずつ送ってください。")
            return _Call(endpoint, model, decision, f"（{total:,} 文字。長すぎるため記録には残していません）", None, {}, started), None

        spans = inspect_texts(texts)
        decision = decide(self.policy, backend, self.confidentiality, texts,
                          spans=[span for found in spans for span in found], uninspectable=uninspectable)
        log_masker = _Masker(LOG_KINDS, texts)
        log_lines = [f"{slot.label}: {log_masker.apply(slot.text, found)}" for slot, found in zip(out.slots, spans)]
        log_lines += [f"（点検できない内容: {name}）" for name in dict.fromkeys(out.uninspectable)]
        log_prompt = "\n".join(log_lines)
        if decision.action != MASKED:
            return _Call(endpoint, model, decision, log_prompt, log_masker, {}, started), None

        send_masker = _Masker(decision.mask_kinds, texts)
        for slot, found in zip(out.slots, spans):
            slot.holder[slot.key] = send_masker.apply(slot.text, found)  # type: ignore[index]
        return _Call(endpoint, model, decision, log_prompt, log_masker, send_masker.mapping, started), _dump(body)

    def _failed_call(self, endpoint: str, started: float, exc: Exception) -> _Call:
        decision = Decision(
            BLOCKED, self.settings.backend, self.confidentiality,
            f"送信前の点検の途中で問題が起きたため（{exc.__class__.__name__}）、念のため送信を止めました。",
            "送る内容を短くするか、特殊な文字を除いてもう一度試してください。続く場合は講師に知らせてください。")
        return _Call(endpoint, None, decision, "", None, {}, started)

    # -- replies

    def _finish_json(self, request: httpx2.Request, response: httpx2.Response, call: _Call) -> httpx2.Response:
        try:
            content = response.read()
        except Exception as exc:  # the connection broke while the reply arrived
            self._record(call, response=f"（応答の途中で切れました: {exc.__class__.__name__}）", status="error", usage=None)
            raise
        finally:
            response.close()
        headers = _headers_without(response.headers, _DROPPED_HEADERS)
        ok = 200 <= response.status_code < 300
        data: Any = None
        try:
            data = json.loads(content) if content else None
        except (ValueError, UnicodeDecodeError):
            pass
        usage = data.get("usage") if isinstance(data, dict) else None
        if not ok:
            message = _error_message(data) or content[:500].decode("utf-8", "replace")
            self._record(call, response=f"HTTP {response.status_code}: {message}", status="error", usage=None)
            return httpx2.Response(response.status_code, headers=headers, content=content, request=request,
                                   extensions=response.extensions)
        reply = ""
        if isinstance(data, dict):
            if call.endpoint == "chat.completions":
                reply = _reply_texts(data, call.send_mapping)
                if call.send_mapping:
                    content = _dump(data)
            elif call.endpoint == "embeddings":
                items = data.get("data")
                reply = f"（埋め込みベクトル {len(items) if isinstance(items, list) else 0} 件）"
        self._record(call, response=reply, status="ok", usage=usage)
        return httpx2.Response(response.status_code, headers=headers, content=content, request=request,
                               extensions=response.extensions)

    # -- the audit log

    def _record(self, call: _Call, *, response: str, status: str, usage: object) -> None:
        try:
            from kenshu.audit import AuditEntry, open_log

            masker = call.log_masker or _Masker(LOG_KINDS, [])
            usage = usage if isinstance(usage, dict) else {}
            entry = AuditEntry(
                backend=self.settings.backend, model=call.model, endpoint=call.endpoint,
                prompt=call.log_prompt, response=masker.for_log(response) if response else "",
                decision=call.decision.action, reason=call.decision.reason,
                confidentiality=call.decision.confidentiality,
                prompt_tokens=_int(usage.get("prompt_tokens")), completion_tokens=_int(usage.get("completion_tokens")),
                latency_ms=round((time.perf_counter() - call.started) * 1000, 1),
                status=status, pii_kinds=call.decision.pii_kinds)
            with self._log_lock:
                if self._log is None:
                    self._log = open_log(self.settings)
                log = self._log
            log.record(entry)
        except Exception as exc:
            where = getattr(self._log, "path", None) or self.settings.audit_log or "既定の場所"
            detail = getattr(exc, "what", None) or f"{exc.__class__.__name__}: {exc}"
            todo = getattr(exc, "todo", "") or "KENSHU_AUDIT_LOG（または kenshu.toml の audit_log）を確認してください。"
            _warn_once(str(where), f"利用記録（監査ログ）に書き込めませんでした。生成AIの回答はそのまま表示します。"
                                   f"{detail} 対処: {todo} 講師にも知らせてください。")


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _error_message(data: object) -> str:
    if isinstance(data, dict):
        error = data.get("error", data)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
    return ""


def _reply_texts(data: dict[str, Any], mapping: dict[str, str]) -> str:
    """The reply texts of a chat completion (as received, for the log), unmasking them in place."""
    texts: list[str] = []
    choices = data.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        for key in ("content", "refusal"):
            if isinstance(message.get(key), str):
                texts.append(message[key])
                message[key] = _unmask(message[key], mapping)
        calls = message.get("tool_calls")
        for call in calls if isinstance(calls, list) else []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                texts.append(f"ツール呼び出し {function.get('name')}: {function['arguments']}")
                function["arguments"] = _unmask_json(function["arguments"], mapping)
        function = message.get("function_call")
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            texts.append(f"関数呼び出し {function.get('name')}: {function['arguments']}")
            function["arguments"] = _unmask_json(function["arguments"], mapping)
    return "\n".join(texts)


# ---------------------------------------------------------------------------- streamed replies

class _Carry:
    """Unmasks one streamed text field, holding back a tail that may be a placeholder's start."""

    def __init__(self, unmask: Callable[[str, dict[str, str]], str], mapping: dict[str, str]) -> None:
        self.unmask = unmask
        self.mapping = mapping
        self.held = ""

    def feed(self, piece: str) -> str:
        text = self.held + piece
        partial = _PARTIAL_PLACEHOLDER.search(text)
        cut = partial.start() if partial else len(text)
        self.held = text[cut:]
        return self.unmask(text[:cut], self.mapping)

    def flush(self) -> str:
        text, self.held = self.held, ""
        return self.unmask(text, self.mapping)


class _GatedStream(httpx2.SyncByteStream):
    """Server-sent events passed through, unmasked when the call was masked, then logged."""

    def __init__(self, response: httpx2.Response, call: _Call, gate: GateTransport) -> None:
        self.response = response
        self.call = call
        self.gate = gate
        self.rewrite = bool(call.send_mapping)
        self.carries: dict[tuple[Any, ...], _Carry] = {}
        self.received: dict[int, list[str]] = {}
        self.usage: object = None
        self.last_chunk: dict[str, Any] | None = None
        self.recorded = False
        self.failed = False

    def __iter__(self) -> Iterator[bytes]:
        buffer = b""
        try:
            for chunk in self.response.iter_bytes():
                buffer = (buffer + chunk).replace(b"\r\n", b"\n")
                while b"\n\n" in buffer:
                    event, buffer = buffer.split(b"\n\n", 1)
                    yield self._event(event + b"\n\n")
            if buffer.strip():
                yield self._event(buffer)
            tail = self._flush_all()
            if tail:
                yield tail
        except Exception:
            self.failed = True
            raise
        finally:
            self._finish()

    def close(self) -> None:
        try:
            self.response.close()
        finally:
            self._finish()

    def _finish(self) -> None:
        if self.recorded:
            return
        self.recorded = True
        ok = 200 <= self.response.status_code < 300 and not self.failed
        reply = "\n".join("".join(parts) for _, parts in sorted(self.received.items()))
        self.gate._record(self.call, response=reply, status="ok" if ok else "error", usage=self.usage)

    def _carry(self, key: tuple[Any, ...], is_json: bool = False) -> _Carry:
        if key not in self.carries:
            self.carries[key] = _Carry(_unmask_json if is_json else _unmask, self.call.send_mapping)
        return self.carries[key]

    def _event(self, event: bytes) -> bytes:
        lines = event.decode("utf-8", "replace").split("\n")
        data_lines = [line[5:].removeprefix(" ") for line in lines if line.startswith("data:")]
        if not data_lines:
            return event
        payload = "\n".join(data_lines)
        if payload.strip() == "[DONE]":
            return self._flush_all() + event
        try:
            chunk = json.loads(payload)
        except ValueError:
            return event
        if not isinstance(chunk, dict):
            return event
        self.last_chunk = chunk
        if isinstance(chunk.get("usage"), dict):
            self.usage = chunk["usage"]
        choices = chunk.get("choices")
        for choice in choices if isinstance(choices, list) else []:
            if isinstance(choice, dict):
                self._choice(choice)
        if not self.rewrite:
            return event
        others = [line for line in lines if line and not line.startswith("data:")]
        return ("\n".join([*others, "data: " + _dump(chunk).decode("utf-8")]) + "\n\n").encode("utf-8")

    def _choice(self, choice: dict[str, Any]) -> None:
        index = choice.get("index", 0) if isinstance(choice.get("index"), int) else 0
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            return
        for key in ("content", "refusal"):
            if isinstance(delta.get(key), str):
                self.received.setdefault(index, []).append(delta[key])
                if self.rewrite:
                    delta[key] = self._carry((index, key)).feed(delta[key])
        calls = delta.get("tool_calls")
        for call in calls if isinstance(calls, list) else []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                self.received.setdefault(index, []).append(function["arguments"])
                if self.rewrite:
                    carry = self._carry((index, "tool", call.get("index", 0)), is_json=True)
                    function["arguments"] = carry.feed(function["arguments"])
        if self.rewrite and choice.get("finish_reason") is not None:
            self._flush_into(index, delta)

    def _flush_into(self, index: int, delta: dict[str, Any]) -> None:
        for key, carry in list(self.carries.items()):
            if key[0] != index or not carry.held:
                continue
            rest = carry.flush()
            if key[1] in ("content", "refusal"):
                delta[key[1]] = (delta.get(key[1]) or "") + rest
            else:
                calls = delta.setdefault("tool_calls", [])
                target = next((c for c in calls if isinstance(c, dict) and c.get("index") == key[2]), None)
                if target is None:
                    target = {"index": key[2], "function": {"arguments": ""}}
                    calls.append(target)
                function = target.setdefault("function", {})
                function["arguments"] = (function.get("arguments") or "") + rest

    def _flush_all(self) -> bytes:
        """An extra chunk carrying whatever is still held back (a stream that ended early)."""
        if not self.rewrite or not any(carry.held for carry in self.carries.values()):
            return b""
        base = self.last_chunk or {}
        choices = []
        for index in sorted({key[0] for key, carry in self.carries.items() if carry.held}):
            delta: dict[str, Any] = {}
            self._flush_into(index, delta)
            choices.append({"index": index, "delta": delta, "finish_reason": None})
        chunk = {key: base[key] for key in ("id", "object", "created", "model", "system_fingerprint") if key in base}
        chunk.setdefault("object", "chat.completion.chunk")
        chunk["choices"] = choices
        return b"data: " + _dump(chunk) + b"\n\n"


# ---------------------------------------------------------------------------- the HTTP client

def gated_http_client(settings: Settings, policy: Policy, confidentiality: int | None = None,
                      *, transport: httpx2.BaseTransport | None = None) -> httpx2.Client:
    """An httpx2 client whose every transport is gated.

    With ``transport`` (the offline engine) that transport is wrapped. Without it the
    client is the SDK's default (``openai.DefaultHttpx2Client``: its timeouts, connection
    limits and redirects) and the transports httpx2 builds, including those for proxies
    from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, are each wrapped as they are built.
    """
    level = check_confidentiality(confidentiality)
    if transport is not None:
        client = httpx2.Client(transport=GateTransport(transport, settings=settings, policy=policy,
                                                       confidentiality=level))
    else:
        client = _GatedDefaultClient(GatedConfig(settings, policy, level))
    _assert_gated(client)
    return client


@dataclass(frozen=True)
class GatedConfig:
    settings: Settings
    policy: Policy
    confidentiality: int

    def wrap(self, transport: httpx2.BaseTransport) -> GateTransport:
        return GateTransport(transport, settings=self.settings, policy=self.policy,
                             confidentiality=self.confidentiality)


def _sdk_defaults() -> dict[str, Any]:
    """What ``openai.DefaultHttpx2Client`` sets: the SDK's timeout, connection limits, redirects."""
    try:
        from openai._constants import DEFAULT_CONNECTION_LIMITS, DEFAULT_TIMEOUT
    except ImportError:  # pragma: no cover - the values of openai 3.5x
        DEFAULT_TIMEOUT = httpx2.Timeout(timeout=600, connect=5.0)  # noqa: N806
        DEFAULT_CONNECTION_LIMITS = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)  # noqa: N806
    return {"timeout": DEFAULT_TIMEOUT, "limits": DEFAULT_CONNECTION_LIMITS, "follow_redirects": True}


class _GatedDefaultClient(httpx2.Client):
    """``openai.DefaultHttpx2Client`` with each transport httpx2 builds (direct or proxy) gated."""

    def __init__(self, gate: GatedConfig, **kwargs: Any) -> None:
        self._kenshu_gate = gate
        super().__init__(**{**_sdk_defaults(), **kwargs})

    def _init_transport(self, *args: Any, **kwargs: Any) -> httpx2.BaseTransport:
        return self._kenshu_gate.wrap(super()._init_transport(*args, **kwargs))

    def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx2.BaseTransport:
        return self._kenshu_gate.wrap(super()._init_proxy_transport(*args, **kwargs))

    def __del__(self) -> None:  # as the SDK's own default client does
        try:
            if not self.is_closed:
                self.close()
        except Exception:
            pass


def transports_of(client: httpx2.Client) -> list[httpx2.BaseTransport]:
    """Every transport ``client`` may send through (the default and one per proxy)."""
    mounts = getattr(client, "_mounts", {})
    return [client._transport, *(t for t in mounts.values() if t is not None)]  # noqa: SLF001


def _assert_gated(client: httpx2.Client) -> None:
    if not all(isinstance(t, GateTransport) for t in transports_of(client)):
        from kenshu.errors import KenshuError

        client.close()
        raise KenshuError("送信前の点検（ゲート）を通信の部品に組み込めませんでした。安全のため生成AIには送りません。",
                          todo="httpx2 または openai のバージョンが想定と違う可能性があります。講師か管理者に知らせてください。")
