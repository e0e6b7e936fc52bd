"""Recordings of real model answers: written once where a real model is reachable, replayed on closed networks.

The file is JSON Lines (``docs/recording_format.md``): a header line, then one line per request::

    {"format": "kenshu-recording", "version": 1, "kit_version": "...", "created": "..."}
    {"key": "<sha256>", "request": {...}, "response": {chat.completion}, "model": "...", "backend": "...",
     "date": "2026-12-03"}

``key`` is the SHA-256 of the request's canonical JSON (keys sorted, no spaces) without the fields that
depend on where it is sent (``model``, ``stream``, ``stream_options``, ``user``). Headers are never stored.
Requests are recorded as they leave the gate (masked), which is also how they reach the replay.

- ``RecordingTransport`` (under the gate, around a real backend's transport) appends each successful chat
  completion to the file named by ``KENSHU_RECORD_TO`` (set by ``kenshu record``); a streamed reply is
  stored as its final content.
- ``ReplayTransport`` (under the gate, around the offline engine) answers a request found in the recording
  from it, as JSON or as a stream, and every other request from the engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx2

from kenshu.errors import KenshuError

FORMAT = "kenshu-recording"
VERSION = 1
RECORD_TO = "KENSHU_RECORD_TO"
CHAT_PATH = "/chat/completions"
# fields that depend on where a request goes, not on what it asks
UNKEYED = frozenset({"model", "stream", "stream_options", "user"})


class RecordingError(KenshuError):
    title = "録画した応答のファイルを使えません"


def normalised(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in UNKEYED}


def request_key(body: dict) -> str:
    canonical = json.dumps(normalised(body), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _kit_version() -> str:
    try:
        from importlib.metadata import version

        return version("kenshu")
    except Exception:  # noqa: BLE001 - a source checkout without metadata
        return "unknown"


@dataclass(frozen=True)
class Entry:
    key: str
    request: dict
    response: dict
    model: str
    backend: str
    date: str

    def content(self) -> str:
        choices = self.response.get("choices") or [{}]
        message = choices[0].get("message") or {}
        return message.get("content") or ""

    def label(self) -> str:
        return f"【録画した応答（{self.model}・{self.date}）】"


def load(path: str | Path) -> dict[str, Entry]:
    """The entries of a recording by key; a missing, corrupt or foreign file raises ``RecordingError``."""
    path = Path(path).expanduser()
    todo = "KENSHU_RECORDING（または kenshu.toml の recording）に、`python3 run.py record` で作ったファイルを指定してください。"
    if not path.is_file():
        raise RecordingError(f"録画した応答のファイル {path} が見つかりません。", todo=todo, setting="KENSHU_RECORDING")
    entries: dict[str, Entry] = {}
    try:
        with path.open(encoding="utf-8") as stream:
            header = json.loads(stream.readline() or "null")
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise RecordingError(f"{path} は kenshu の録画ファイルではありません。", todo=todo, setting="KENSHU_RECORDING")
            if header.get("version") != VERSION:
                raise RecordingError(f"{path} は、この kenshu が読めない版（{header.get('version')}）の録画ファイルです。",
                                     todo="同じ版の kenshu で録画し直すか、kenshu を新しくしてください。",
                                     setting="KENSHU_RECORDING")
            for number, line in enumerate(stream, 2):
                if not line.strip():
                    continue
                raw = json.loads(line)
                if isinstance(raw, dict) and raw.get("format") == FORMAT and "key" not in raw:
                    continue  # the header again, from a second kernel that started the file at the same moment
                entry = Entry(str(raw["key"]), dict(raw["request"]), dict(raw["response"]), str(raw["model"]),
                              str(raw["backend"]), str(raw["date"]))
                if entry.key != request_key(entry.request):
                    raise ValueError(f"{number} 行目の key が request と合いません")
                entries[entry.key] = entry
    except RecordingError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise RecordingError(f"録画ファイル {path} が壊れています（{exc}）。",
                             todo="録画し直してください。KENSHU_RECORDING（または kenshu.toml の recording）を外すと、"
                                  "練習エンジンだけで続けられます。", setting="KENSHU_RECORDING") from None
    return entries


_write_lock = threading.Lock()


def append(path: str | Path, request: dict, response: dict, *, backend: str) -> None:
    """Add one answered request to the recording at ``path`` (the header is written first when new)."""
    path = Path(path)
    entry = {"key": request_key(request), "request": normalised(request), "response": response,
             "model": str(response.get("model") or request.get("model") or ""), "backend": backend,
             "date": date.today().isoformat()}
    header = json.dumps({"format": FORMAT, "version": VERSION, "kit_version": _kit_version(),
                         "created": date.today().isoformat()}, ensure_ascii=False) + "\n"
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    with _write_lock:
        # append-only writes of whole lines, so kernels recording into one file at once never mix their lines;
        # two of them starting a new file may both write the header, which load() then reads once
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            if os.fstat(fd).st_size == 0:
                _write_all(fd, header.encode("utf-8"))
            _write_all(fd, line)
        finally:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data):]


def completion_from_events(payload: bytes, model: str) -> dict | None:
    """A chat.completion assembled from a streamed reply's server-sent events (None when it did not end)."""
    parts: list[str] = []
    finish, ended = None, False
    for line in payload.decode("utf-8", "replace").splitlines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            ended = True
            continue
        try:
            chunk = json.loads(data)
        except ValueError:
            continue
        for choice in chunk.get("choices") or []:
            if choice.get("index", 0) != 0:
                continue
            parts.append((choice.get("delta") or {}).get("content") or "")
            finish = choice.get("finish_reason") or finish
        model = chunk.get("model") or model
    if not ended and finish is None:
        return None
    return {"id": "chatcmpl-recorded", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(parts)},
                         "finish_reason": finish or "stop"}]}


def _json_body(request: httpx2.Request) -> dict | None:
    if request.method != "POST" or not request.url.path.endswith(CHAT_PATH):
        return None
    try:
        body = json.loads(request.read() or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


class RecordingTransport(httpx2.BaseTransport):
    """Pass requests to ``inner``; append each answered chat completion to ``path``."""

    def __init__(self, inner: httpx2.BaseTransport, path: str | Path, backend: str) -> None:
        self.inner, self.path, self.backend = inner, Path(path), backend

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = _json_body(request)
        response = self.inner.handle_request(request)
        if body is None or not 200 <= response.status_code < 300:
            return response
        content = response.read()
        response.close()
        if "text/event-stream" in response.headers.get("content-type", ""):
            answer = completion_from_events(content, str(body.get("model") or ""))
        else:
            try:
                answer = json.loads(content)
            except ValueError:
                answer = None
        if isinstance(answer, dict) and answer.get("choices"):
            append(self.path, body, answer, backend=self.backend)
        return httpx2.Response(response.status_code, headers=response.headers, content=content, request=request,
                               extensions=response.extensions)

    def close(self) -> None:
        self.inner.close()


def recording_transport(inner: httpx2.BaseTransport, backend: str) -> httpx2.BaseTransport:
    """``inner``, recording into ``KENSHU_RECORD_TO`` when ``kenshu record`` set it."""
    target = os.environ.get(RECORD_TO)
    return RecordingTransport(inner, target, backend) if target else inner


def _stream_events(entry: Entry, content: str) -> bytes:
    base = {"id": "chatcmpl-recorded", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": entry.model}
    events = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}]
    events += [{**base, "choices": [{"index": 0, "delta": {"content": content[i:i + 40]}, "finish_reason": None}]}
               for i in range(0, len(content), 40)]
    events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    text = "".join(f"data: {json.dumps(event, ensure_ascii=False)}\n\n" for event in events) + "data: [DONE]\n\n"
    return text.encode("utf-8")


def _as_the_gate_sent_it(body: dict) -> tuple[dict, Any] | None:
    """``body`` with its personal data masked as the gate masks it for a service (and the masker), or None.

    A recording holds requests as they left the gate towards the real model, masked; on the offline backend
    nothing is masked, so a request with a name in it is looked up in its masked form, with the gate's own
    pieces (``collect``, the detector, ``Masker``).
    """
    from kenshu.gate.outgoing import CHAT, collect
    from kenshu.safety.detect import find_pii_in
    from kenshu.safety.mask import Masker

    masked = json.loads(json.dumps(body))
    out = collect(CHAT, masked)
    texts = out.texts
    spans = find_pii_in(texts)
    if not any(spans):
        return None
    masker = Masker(texts=texts)
    for slot, found in zip(out.slots, spans, strict=True):
        slot.replace(masker.apply(slot.text, found))
    return masked, masker


class ReplayTransport(httpx2.BaseTransport):
    """Answer from the recording where it has the request; otherwise from ``fallback`` (the offline engine)."""

    def __init__(self, fallback: httpx2.BaseTransport, entries: dict[str, Entry]) -> None:
        self.fallback, self.entries = fallback, entries

    def _find(self, body: dict) -> tuple[Entry, Any] | None:
        entry = self.entries.get(request_key(body))
        if entry is not None:
            return entry, None
        masked = _as_the_gate_sent_it(body)
        if masked is not None:
            entry = self.entries.get(request_key(masked[0]))
            if entry is not None:
                return entry, masked[1]
        return None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = _json_body(request)
        found = self._find(body) if body is not None else None
        if found is None:
            return self.fallback.handle_request(request)
        entry, masker = found
        response = json.loads(json.dumps(entry.response))
        if masker is not None:  # the names the learner wrote come back in place of the placeholders
            from kenshu.gate.replies import unmask_completion

            unmask_completion(response, masker)
        if body.get("stream"):
            content = ((response.get("choices") or [{}])[0].get("message") or {}).get("content") or ""
            return httpx2.Response(200, headers={"content-type": "text/event-stream"},
                                   content=_stream_events(entry, content), request=request)
        response["model"] = entry.model
        response["kenshu_recording"] = {"model": entry.model, "date": entry.date, "backend": entry.backend}
        return httpx2.Response(200, headers={"content-type": "application/json"},
                               content=json.dumps(response, ensure_ascii=False).encode("utf-8"), request=request)


@lru_cache(maxsize=4)
def _load_cached(path: str, modified: int, size: int) -> dict[str, Entry]:
    return load(path)


def replaying(fallback: httpx2.BaseTransport, recording: str | None) -> httpx2.BaseTransport:
    """``fallback`` behind the recording at ``recording`` (read once while the file stays as it is)."""
    if not recording:
        return fallback
    try:
        found = os.stat(recording)
    except OSError:
        return ReplayTransport(fallback, load(recording))  # says in Japanese what is missing
    return ReplayTransport(fallback, _load_cached(str(recording), found.st_mtime_ns, found.st_size))


def label_of(completion: Any) -> str | None:
    """「【録画した応答（モデル・日付）】」 for a completion replayed from a recording, else None."""
    extra = getattr(completion, "model_extra", None) or {}
    info = extra.get("kenshu_recording")
    if isinstance(info, dict):
        return f"【録画した応答（{info.get('model')}・{info.get('date')}）】"
    return None


__all__ = ["Entry", "RecordingError", "RecordingTransport", "ReplayTransport", "append", "label_of", "load",
           "recording_transport", "replaying", "request_key"]
