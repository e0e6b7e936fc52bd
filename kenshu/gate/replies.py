"""A chat completion coming back: put the originals into it, and keep the texts as received for the log."""

from __future__ import annotations

from typing import Any

from kenshu.safety import Masker


def unmask_completion(data: dict[str, Any], masker: Masker) -> str:
    """Unmask every reply text of ``data`` in place; return the texts as received (placeholders kept)."""
    texts: list[str] = []
    choices = data.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        for key in ("content", "refusal"):
            if isinstance(message.get(key), str):
                texts.append(message[key])
                message[key] = masker.unmask(message[key])
        calls = message.get("tool_calls")
        for call in calls if isinstance(calls, list) else []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                texts.append(f"ツール呼び出し {function.get('name')}: {function['arguments']}")
                function["arguments"] = masker.unmask_json(function["arguments"])
        function = message.get("function_call")
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            texts.append(f"関数呼び出し {function.get('name')}: {function['arguments']}")
            function["arguments"] = masker.unmask_json(function["arguments"])
    return "\n".join(texts)


def error_message(data: object) -> str:
    """The ``error.message`` of an OpenAI-style error body, or ""."""
    if isinstance(data, dict):
        error = data.get("error", data)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
    return ""
