"""Chat completions: turn a validated request into choices (text, JSON or a tool call)."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kenshu.engine.prompt import Prompt, parse, text_of
from kenshu.engine.router import route
from kenshu.engine.tasks import extract
from kenshu.engine.text import cosine, ngrams
from kenshu.engine.tokens import estimate_tokens


@dataclass(frozen=True)
class Choice:
    content: str | None
    tool_calls: list[dict[str, Any]] | None
    finish_reason: str


def _rng(temperature: float, seed: int | None, index: int) -> random.Random | None:
    """No variation at temperature 0; above it, choices vary with the seed (and the choice index)."""
    if temperature == 0 or (seed is None and index == 0):
        return None
    return random.Random(f"{seed or 0}:{index}")


def complete(request: Mapping[str, Any]) -> list[Choice]:
    messages: Sequence[Mapping[str, Any]] = request["messages"]
    temperature = float(request.get("temperature", 1) if request.get("temperature") is not None else 1)
    seed = request.get("seed")
    limit = request.get("max_completion_tokens") or request.get("max_tokens")
    choices = []
    for index in range(request.get("n") or 1):
        prompt = parse(messages, _rng(temperature, seed, index))
        tool_calls = _tool_calls(request, prompt)
        if tool_calls:
            choices.append(Choice(None, tool_calls, "tool_calls"))
            continue
        content = _content(request, prompt, messages)
        content, finish = _apply_stop(content, request.get("stop"))
        content, finish = truncate(content, limit, finish)
        choices.append(Choice(content, None, finish))
    return choices


def _content(request: Mapping[str, Any], prompt: Prompt, messages: Sequence[Mapping[str, Any]]) -> str:
    if messages[-1].get("role") == "tool":
        result = text_of(messages[-1].get("content"))
        return f"ツールの実行結果を受け取りました。結果は次のとおりです。\n{result}"
    response_format = request.get("response_format") or {}
    kind = response_format.get("type")
    if kind == "json_schema":
        schema = response_format.get("json_schema", {}).get("schema", {})
        return json.dumps(extract.fill_schema(schema, prompt), ensure_ascii=False)
    if kind == "json_object":
        name, task = route(prompt)
        if name == "classify":
            return json.dumps({"label": task(prompt)}, ensure_ascii=False)
        return json.dumps(extract.extract_object(prompt), ensure_ascii=False)
    return route(prompt)[1](prompt)


def _tool_calls(request: Mapping[str, Any], prompt: Prompt) -> list[dict[str, Any]] | None:
    tools = [t["function"] for t in request.get("tools") or [] if t.get("type") == "function"]
    choice = request.get("tool_choice", "auto")
    if not tools or choice == "none" or request["messages"][-1].get("role") == "tool":
        return None
    if isinstance(choice, Mapping):
        wanted = choice.get("function", {}).get("name")
        tools = [t for t in tools if t.get("name") == wanted] or tools
    query = ngrams(prompt.user)
    best = max(tools, key=lambda t: cosine(query, ngrams(f"{t.get('name', '')} {t.get('description', '')}")))
    relevance = cosine(query, ngrams(f"{best.get('name', '')} {best.get('description', '')}"))
    if choice == "auto" and len(tools) > 1 and relevance == 0:
        return None
    arguments = extract.fill_schema(best.get("parameters") or {"type": "object", "properties": {}}, prompt)
    encoded = json.dumps(arguments, ensure_ascii=False)
    call_id = "call_" + hashlib.sha256(f"{best.get('name')}:{encoded}".encode()).hexdigest()[:24]
    return [{"id": call_id, "type": "function", "function": {"name": best.get("name"), "arguments": encoded}}]


def _apply_stop(text: str, stop: object) -> tuple[str, str]:
    stops = [stop] if isinstance(stop, str) else list(stop or [])
    cuts = [text.find(s) for s in stops if s and s in text]
    return (text[:min(cuts)], "stop") if cuts else (text, "stop")


def truncate(text: str, limit: object, finish: str = "stop") -> tuple[str, str]:
    """Cut to at most ``limit`` estimated tokens; the finish reason becomes ``length``."""
    if not isinstance(limit, int) or estimate_tokens(text) <= limit:
        return text, finish
    low, high = 0, len(text)
    while low < high:  # the longest prefix within the limit
        middle = (low + high + 1) // 2
        if estimate_tokens(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low], "length"

