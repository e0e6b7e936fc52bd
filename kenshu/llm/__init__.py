"""One interface over every backend: an openai SDK client chosen by settings."""

from __future__ import annotations

import openai

from kenshu import settings as _settings
from kenshu.llm.backends import build_client, endpoint_of


def client(*, confidentiality: int | None = None, **overrides: object) -> openai.OpenAI:
    """An ``openai.OpenAI`` (or ``AzureOpenAI``) client for the configured backend.

    ``confidentiality`` declares the 機密性 (1, 2 or 3) of everything this client sends
    (undeclared: 1); the gate checks it and every text against the policy. ``overrides``
    are settings (``backend``, ``model``, ``base_url``, ...) that win over environment
    variables and ``kenshu.toml``.
    """
    return build_client(_settings.resolve(**overrides), confidentiality=confidentiality)


def model(**overrides: object) -> str | None:
    """The model name to pass as ``model=`` for the configured backend."""
    return _settings.resolve(**overrides).model


__all__ = ["client", "endpoint_of", "model"]
