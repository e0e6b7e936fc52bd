"""Build an openai SDK client for each kind of backend from resolved settings.

Every client sends through the gate (``kenshu.gate.http_client``): the policy is read
here, so a broken policy file stops the call with a Japanese message before anything
is sent.
"""

from __future__ import annotations

import openai

from kenshu.errors import MissingAPIKeyError, SettingsError
from kenshu.gate.decide import check_confidentiality
from kenshu.gate.http_client import gated_http_client
from kenshu.gate.policy import policy_for
from kenshu.llm.offline_transport import OFFLINE_BASE_URL, OfflineTransport
from kenshu.llm.recording import replaying
from kenshu.settings import Settings, path_setting

# Local servers (Ollama, llama.cpp, vLLM) accept any key; the SDK needs one to send.
NO_KEY = "kenshu-no-key"


def _missing_model(settings: Settings, example: str) -> SettingsError:
    return SettingsError(
        f"接続先「{settings.backend}」で使うモデル名が設定されていません。",
        todo=f"KENSHU_MODEL（または kenshu.toml の model）にモデル名を設定してください（例: {example}）。",
        setting="KENSHU_MODEL")


def build_client(settings: Settings, *, confidentiality: int | None = None) -> openai.OpenAI:
    """A client for ``settings``; ``confidentiality`` is the declared 機密性 (1-3, None: 1) of what it sends."""
    level = check_confidentiality(confidentiality)
    policy = policy_for(settings)
    common = {"timeout": settings.timeout, "max_retries": settings.max_retries}
    if settings.backend == "offline":
        recorded = path_setting(settings, "recording")
        transport = replaying(OfflineTransport(), str(recorded) if recorded else None)
        return openai.OpenAI(api_key="offline", base_url=OFFLINE_BASE_URL,
                             http_client=gated_http_client(settings, policy, level, transport=transport),
                             **common)
    if settings.backend == "openai":
        if not settings.api_key:
            raise MissingAPIKeyError(
                "接続先が openai ですが、APIキーが設定されていません。",
                todo="環境変数 OPENAI_API_KEY にキーを設定してください。キーがない場合は KENSHU_BACKEND=offline で練習できます。",
                setting="OPENAI_API_KEY")
        if not settings.model:
            raise _missing_model(settings, "gpt-4.1-mini")
        return openai.OpenAI(api_key=settings.api_key, base_url=settings.base_url,
                             http_client=gated_http_client(settings, policy, level), **common)
    if settings.backend == "azure":
        if not settings.azure_endpoint:
            raise SettingsError(
                "接続先が azure ですが、エンドポイントが設定されていません。",
                todo="AZURE_OPENAI_ENDPOINT に https://<リソース名>.openai.azure.com/ の形で設定してください。",
                setting="AZURE_OPENAI_ENDPOINT")
        if not settings.azure_api_key:
            raise MissingAPIKeyError(
                "接続先が azure ですが、APIキーが設定されていません。",
                todo="AZURE_OPENAI_API_KEY に Azure ポータルの「キーとエンドポイント」にあるキーを設定してください。",
                setting="AZURE_OPENAI_API_KEY")
        if not settings.api_version:
            raise SettingsError(
                "接続先が azure ですが、API バージョンが設定されていません。",
                todo="OPENAI_API_VERSION に Azure OpenAI の API バージョンを設定してください（例: 2024-10-21）。",
                setting="OPENAI_API_VERSION")
        if not settings.model:
            raise _missing_model(settings, "デプロイ名")
        return openai.AzureOpenAI(azure_endpoint=settings.azure_endpoint, api_key=settings.azure_api_key,
                                  api_version=settings.api_version,
                                  http_client=gated_http_client(settings, policy, level), **common)
    if not settings.base_url:
        raise SettingsError(
            "接続先が compatible ですが、サーバーのアドレスが設定されていません。",
            todo="OPENAI_BASE_URL にサーバーのアドレスを設定してください（例: Ollama なら http://127.0.0.1:11434/v1）。",
            setting="OPENAI_BASE_URL")
    if not settings.model:
        raise _missing_model(settings, "llama3.1")
    return openai.OpenAI(api_key=settings.api_key or NO_KEY, base_url=settings.base_url,
                         http_client=gated_http_client(settings, policy, level), **common)


def endpoint_of(client: openai.OpenAI) -> str:
    """Where calls go, as a person would recognise it (the offline engine says so)."""
    url = str(client.base_url)
    return "オフライン練習エンジン" if url.startswith(OFFLINE_BASE_URL) else url
