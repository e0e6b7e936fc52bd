"""``ask()``: one question, one answer, for learners who are not programmers."""

from __future__ import annotations

import openai

from kenshu.llm.backends import build_client, endpoint_of
from kenshu.llm.failures import explain
from kenshu.settings import ENV_VARS, resolve


def ask(prompt: str, *, system: str | None = None, **options: object) -> str:
    """Send ``prompt`` (and an optional ``system`` instruction); return the reply text.

    ``options`` may name settings (``backend``, ``model``, ...) or chat parameters
    (``temperature``, ``max_tokens``, ``seed``, ...). Failures raise a ``KenshuError``
    whose Japanese message says what to change.
    """
    overrides = {name: options.pop(name) for name in list(options) if name in ENV_VARS}
    settings = resolve(**overrides)
    client = build_client(settings)
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": prompt})
    try:
        completion = client.chat.completions.create(model=settings.model, messages=messages, **options)
    except openai.OpenAIError as exc:
        raise explain(exc, settings, endpoint_of(client)) from None
    return completion.choices[0].message.content or ""
