"""What a request would send: every text in a chat or embeddings body, and where its masked form goes.

Texts are message contents (text parts), message names, refusals, tool-call and function-call
arguments, and embedding inputs. Content the gate cannot read (images, audio, files, token
arrays, non-string values) is named, so the decision can block it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHAT, EMBEDDINGS = "chat.completions", "embeddings"
# Detection reads every character; past this many (about 250 pages) the gate refuses
# rather than keep a learner waiting, and says to send the text in parts.
MAX_INSPECT_CHARS = 500_000
_ROUTES = (("/chat/completions", CHAT), ("/embeddings", EMBEDDINGS))
_PART_NAMES = {"image_url": "画像", "input_image": "画像", "input_audio": "音声", "file": "ファイル",
               "input_file": "ファイル"}
_TEXT_PARTS = ("text", "input_text", "output_text", "refusal")


def route(path: str) -> str | None:
    """The API a POST to ``path`` calls (``chat.completions`` or ``embeddings``), or None."""
    path = path.rstrip("/")
    for suffix, name in _ROUTES:
        if path.endswith(suffix):
            return name
    return None


@dataclass
class Slot:
    """One text in the request body, and where to put its masked version."""

    holder: dict[str, Any] | list[Any]
    key: str | int
    text: str
    label: str          # where it came from, for the log (「user」「assistant のツール呼び出し」)
    is_json: bool = False

    def replace(self, text: str) -> None:
        self.holder[self.key] = text  # type: ignore[index]


@dataclass
class Outgoing:
    slots: list[Slot] = field(default_factory=list)
    uninspectable: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [slot.text for slot in self.slots]

    def describe_uninspectable(self) -> str | None:
        return "・".join(dict.fromkeys(self.uninspectable)) or None

    def _add(self, holder: dict[str, Any] | list[Any], key: str | int, label: str, *, is_json: bool = False) -> None:
        value = holder[key]  # type: ignore[index]
        if isinstance(value, str):
            self.slots.append(Slot(holder, key, value, label, is_json))
        elif value is not None:
            self.uninspectable.append(f"文字列でない {label}")


def collect(endpoint: str, body: dict[str, Any]) -> Outgoing:
    """Every text ``body`` would send to ``endpoint``."""
    return _collect_chat(body) if endpoint == CHAT else _collect_embeddings(body)


def _collect_chat(body: dict[str, Any]) -> Outgoing:
    out = Outgoing()
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
                if kind in _TEXT_PARTS:
                    key = "refusal" if kind == "refusal" else "text"
                    if key in part:
                        out._add(part, key, role)
                else:
                    out.uninspectable.append(_PART_NAMES.get(str(kind), f"点検できない部品（{kind}）"))
        elif "content" in message:
            out._add(message, "content", role)
        if "name" in message:
            out._add(message, "name", f"{role} の名前")
        if "refusal" in message:
            out._add(message, "refusal", role)
        calls = message.get("tool_calls")
        for call in calls if isinstance(calls, list) else []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and "arguments" in function:
                out._add(function, "arguments", f"{role} のツール呼び出し", is_json=True)
        function = message.get("function_call")
        if isinstance(function, dict) and "arguments" in function:
            out._add(function, "arguments", f"{role} の関数呼び出し", is_json=True)
    return out


def _collect_embeddings(body: dict[str, Any]) -> Outgoing:
    out = Outgoing()
    if "input" not in body:
        return out
    value = body["input"]
    if isinstance(value, str):
        out._add(body, "input", "input")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                out._add(value, index, f"input[{index}]")
            else:
                out.uninspectable.append("トークン列（数値の配列）")
                break
    elif value is not None:
        out.uninspectable.append("文字列でない input")
    return out
