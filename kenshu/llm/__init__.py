"""One interface over every backend: an openai SDK client chosen by settings."""

from __future__ import annotations

import openai

from kenshu import settings as _settings
from kenshu.llm.backends import build_client, endpoint_of


def client(**overrides: object) -> openai.OpenAI:
    """An ``openai.OpenAI`` (or ``AzureOpenAI``) client for the configured backend.

    ``overrides`` are settings (``backend``, ``model``, ``base_url``, ...) that win
    over environment variables and ``kenshu.toml``.
    """
    return build_client(_settings.resolve(**overrides))


def model(**overrides: object) -> str | None:
    """The model name to pass as ``model=`` for the configured backend."""
    return _settings.resolve(**overrides).model


__all__ = ["client", "endpoint_of", "model"]
