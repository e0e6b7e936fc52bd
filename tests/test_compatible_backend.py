"""The compatible backend against a real OpenAI-compatible server on 127.0.0.1."""

import socket

import pytest
from openai.types.chat import ChatCompletion

import kenshu
from kenshu import llm
from kenshu.errors import (
    AuthenticationFailedError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    ServerUnreachableError,
    UnknownModelError,
)
from kenshu.settings import OFFLINE_MODEL
from tests.engine.samples import MEETING
from tests.support.openai_server import serve

MESSAGES = [{"role": "user", "content": f"あなたは総務課の職員です。以下の会議録を 3 点で要約してください。\n\n{MEETING}"}]


@pytest.fixture
def server(monkeypatch):
    with serve() as (url, behaviour):
        monkeypatch.setenv("KENSHU_BACKEND", "compatible")
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
        yield behaviour


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_plain_sdk_chat_completion_over_http(server):
    completion = llm.client().chat.completions.create(model=llm.model(), messages=MESSAGES)
    assert isinstance(completion, ChatCompletion)
    assert "全庁で利用を開始することが決定した" in completion.choices[0].message.content
    assert completion.model == OFFLINE_MODEL
    method, path, _ = server.requests[-1]
    assert (method, path) == ("POST", "/v1/chat/completions")


def test_streamed_chat_completion_over_http(server):
    stream = llm.client().chat.completions.create(model=llm.model(), messages=MESSAGES, stream=True)
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert len(pieces) > 3
    assert "".join(pieces) == kenshu.ask(MESSAGES[0]["content"])


def test_configured_key_is_sent_as_bearer_token(server, monkeypatch):
    server.api_key = "gateway-key-123"
    monkeypatch.setenv("OPENAI_API_KEY", "gateway-key-123")
    assert kenshu.ask("テスト").startswith("【オフライン練習エンジン】")
    assert server.requests[-1][2]["authorization"] == "Bearer gateway-key-123"


def test_wrong_key_gives_a_japanese_401_message_without_the_key(server, monkeypatch):
    server.api_key = "the-right-key"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-secret-value")
    with pytest.raises(AuthenticationFailedError) as caught:
        kenshu.ask("テスト")
    message = str(caught.value)
    assert "401" in message and "OPENAI_API_KEY" in message
    assert "sk-wrong-secret-value" not in message
    assert len(server.requests) == 1  # a bad key is not retried


def test_missing_key_for_a_server_that_wants_one_reports_401(server):
    server.api_key = "the-right-key"
    with pytest.raises(AuthenticationFailedError):
        kenshu.ask("テスト")


def test_unknown_model_reports_which_setting_to_change(server, monkeypatch):
    monkeypatch.setenv("KENSHU_MODEL", "llama-does-not-exist")
    with pytest.raises(UnknownModelError) as caught:
        kenshu.ask("テスト")
    assert "llama-does-not-exist" in str(caught.value)
    assert caught.value.setting == "KENSHU_MODEL"


def test_unreachable_server_names_the_address_and_the_setting(monkeypatch):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    with pytest.raises(ServerUnreachableError) as caught:
        kenshu.ask("テスト", backend="compatible", base_url=url, model="m", max_retries=0)
    assert url in str(caught.value)
    assert caught.value.setting == "OPENAI_BASE_URL"


def test_slow_server_times_out_after_retries(server, monkeypatch):
    server.delay = 1.0
    monkeypatch.setenv("KENSHU_TIMEOUT", "0.2")
    monkeypatch.setenv("KENSHU_MAX_RETRIES", "1")
    with pytest.raises(RequestTimeoutError) as caught:
        kenshu.ask("テスト")
    assert "KENSHU_TIMEOUT" in str(caught.value)
    assert len(server.requests) == 2


def test_rate_limit_is_retried_with_backoff_then_succeeds(server):
    server.fail_status, server.fail_times = 429, 2
    assert kenshu.ask("テスト").startswith("【オフライン練習エンジン】")
    assert len(server.requests) == 3


def test_persistent_rate_limit_becomes_a_kenshu_error(server):
    server.fail_status = 429
    with pytest.raises(RateLimitedError) as caught:
        kenshu.ask("テスト")
    assert "429" in str(caught.value)
    assert len(server.requests) == 3  # the first try and the SDK's two retries


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_then_reported(server, status):
    server.fail_status = status
    with pytest.raises(ServerError) as caught:
        kenshu.ask("テスト")
    assert str(status) in str(caught.value)
    assert len(server.requests) == 3


def test_kenshu_errors_render_in_a_notebook_without_a_traceback(server):
    server.fail_status = 503
    with pytest.raises(ServerError) as caught:
        kenshu.ask("テスト", max_retries=0)
    rendered = "\n".join(caught.value._render_traceback_())
    assert "Traceback" not in rendered
    assert "対処:" in rendered
