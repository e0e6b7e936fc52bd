"""``ask()``: one question, one answer, for learners who are not programmers."""

from __future__ import annotations

import re

import openai

from kenshu.llm.backends import build_client, endpoint_of
from kenshu.llm.failures import explain
from kenshu.llm.recording import label_of
from kenshu.settings import ENV_VARS, resolve

_SURROGATE = re.compile("[\ud800-\udfff]")


def _sendable(text: object) -> object:
    """A lone surrogate (a broken decode) cannot be sent as UTF-8: show it as U+FFFD instead."""
    return _SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text


def ask(prompt: str, *, system: str | None = None, confidentiality: int | None = None, **options: object) -> str:
    """Send ``prompt`` (and an optional ``system`` instruction); return the reply text.

    ``confidentiality`` declares the 機密性 (1, 2 or 3) of what is sent; undeclared
    counts as 1. The gate checks it and the text against the policy before anything
    leaves this PC. ``options`` may name settings (``backend``, ``model``, ...) or chat
    parameters (``temperature``, ``max_tokens``, ``seed``, ...). Failures raise a
    ``KenshuError`` whose Japanese message says what to change.
    """
    overrides = {name: options.pop(name) for name in list(options) if name in ENV_VARS}
    settings = resolve(**overrides)
    client = build_client(settings, confidentiality=confidentiality)
    messages = [{"role": "system", "content": _sendable(system)}] if system else []
    messages.append({"role": "user", "content": _sendable(prompt)})
    try:
        completion = client.chat.completions.create(model=settings.model, messages=messages, **options)
    except openai.OpenAIError as exc:
        raise explain(exc, settings, endpoint_of(client)) from None
    label = label_of(completion)
    if label:
        _show(label)  # an answer replayed from a recording says so, beside it: the text itself stays the model's
    return completion.choices[0].message.content or ""


def _show(label: str) -> None:
    """A short grey line in the notebook (nothing outside one: the reply's ``model`` still says it)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None or getattr(shell, "kernel", None) is None:
            return
        from html import escape

        from IPython.display import display

        display({"text/plain": label, "text/html": f"<div style='color:#666;font-size:90%'>{escape(label)}</div>"},
                raw=True)
    except Exception:  # noqa: BLE001 - a label must never cost the learner the answer
        return
