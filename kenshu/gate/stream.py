"""A streamed reply (server-sent events) passed through the gate: unmasked as it arrives, then logged."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx2

from kenshu.safety.mask import PARTIAL_PLACEHOLDER

# (reply as received, whether the stream ended well, the usage block if any)
Finished = Callable[[str, bool, object], None]


def dump_json(data: object) -> bytes:
    """Compact UTF-8 JSON; a lone surrogate is kept as a JSON escape."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, separators=(",", ":")).encode("ascii")


class Carry:
    """Unmasks one streamed text field, holding back a tail that may be the start of a placeholder."""

    def __init__(self, unmask: Callable[[str], str]) -> None:
        self.unmask = unmask
        self.held = ""

    def feed(self, piece: str) -> str:
        text = self.held + piece
        partial = PARTIAL_PLACEHOLDER.search(text)
        cut = partial.start() if partial else len(text)
        self.held = text[cut:]
        return self.unmask(text[:cut])

    def flush(self) -> str:
        text, self.held = self.held, ""
        return self.unmask(text)


class GatedStream(httpx2.SyncByteStream):
    """The events of ``response``, rewritten with ``unmask`` / ``unmask_json`` when given; ``finished`` once at the end."""

    def __init__(self, response: httpx2.Response, finished: Finished, *,
                 unmask: Callable[[str], str] | None = None, unmask_json: Callable[[str], str] | None = None) -> None:
        self.response = response
        self.finished = finished
        self.unmask = unmask
        self.unmask_json = unmask_json or unmask
        self.rewrite = unmask is not None
        self.carries: dict[tuple[Any, ...], Carry] = {}
        self.received: dict[int, list[str]] = {}
        self.usage: object = None
        self.last_chunk: dict[str, Any] | None = None
        self.done = False
        self.failed: str | bool = False
        self.ended = False  # [DONE] or a finish_reason arrived: the reply is whole

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
        except Exception as exc:
            self.failed = type(exc).__name__
            raise
        finally:
            self._finish()

    def close(self) -> None:
        try:
            self.response.close()
        finally:
            self._finish()

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        reply = "\n".join("".join(parts) for _, parts in sorted(self.received.items()))
        success = 200 <= self.response.status_code < 300
        if success and (self.failed or not self.ended):  # what arrived is kept, and marked as cut
            why = self.failed or "終わりの印（[DONE]）がありません"
            reply = f"{reply}\n（応答の途中で切れました: {why}）" if reply else f"（応答の途中で切れました: {why}）"
        self.finished(reply, success and not self.failed and self.ended, self.usage)

    def _carry(self, key: tuple[Any, ...], is_json: bool = False) -> Carry:
        if key not in self.carries:
            unmask = self.unmask_json if is_json else self.unmask
            assert unmask is not None
            self.carries[key] = Carry(unmask)
        return self.carries[key]

    def _event(self, event: bytes) -> bytes:
        lines = event.decode("utf-8", "replace").split("\n")
        data_lines = [line[5:].removeprefix(" ") for line in lines if line.startswith("data:")]
        if not data_lines:
            return event
        payload = "\n".join(data_lines)
        if payload.strip() == "[DONE]":
            self.ended = True
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
        return ("\n".join([*others, "data: " + dump_json(chunk).decode("utf-8")]) + "\n\n").encode("utf-8")

    def _choice(self, choice: dict[str, Any]) -> None:
        if choice.get("finish_reason") is not None:
            self.ended = True
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
        return b"data: " + dump_json(chunk) + b"\n\n"
