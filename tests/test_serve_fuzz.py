"""Fuzzing the classroom server's request body: whatever a client sends, the answer is an OpenAI-style 200 or 4xx,
never a 5xx or a hang, and the server stays up (issue 17)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_serve import assert_openai_error, request, running

OFFLINE_MODEL = "kenshu-offline"
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                        max_leaves=12)
ROLE = st.sampled_from(["system", "developer", "user", "assistant", "tool", "wizard", "", "USER"]) | ANY_JSON
CONTENT = st.text(max_size=200) | st.lists(st.fixed_dictionaries({"type": st.sampled_from(["text", "image_url", 3]),
                                                                  "text": ANY_JSON}), max_size=3) | ANY_JSON
MESSAGE = st.fixed_dictionaries({"role": ROLE}, optional={"content": CONTENT, "name": ANY_JSON}) | ANY_JSON
BODY = st.fixed_dictionaries(
    {"model": st.just(OFFLINE_MODEL) | ANY_JSON, "messages": st.lists(MESSAGE, max_size=4) | ANY_JSON},
    optional={key: ANY_JSON for key in ("stream", "n", "max_tokens", "temperature", "seed", "stop", "response_format",
                                        "tools", "stream_options", "max_completion_tokens")})


@pytest.fixture(scope="module")
def server():
    with running() as base:
        yield base


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(body=BODY)
def test_any_chat_body_gets_a_200_or_an_openai_style_4xx(server, body):
    status, headers, raw = request(server, "POST", "/v1/chat/completions", json.dumps(body).encode())
    assert status < 500, (status, body, raw[:300])
    if status >= 400:
        assert_openai_error(json.loads(raw))
    elif headers.get("content-type", "").startswith("application/json"):
        assert json.loads(raw)["choices"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_get_a_4xx_or_a_200_never_a_5xx(server, raw):
    for path in ("/v1/chat/completions", "/v1/embeddings"):
        status, _, _ = request(server, "POST", path, raw)
        assert status < 500


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,                      # nesting too deep for the JSON reader
    b'{"model": "kenshu-offline", "seed": ' + b"9" * 5000 + b"}",   # a number too long to convert
])
def test_bodies_the_json_reader_cannot_take_get_a_400(server, body):
    status, _, raw = request(server, "POST", "/v1/chat/completions", body)
    assert status == 400, raw[:200]
    assert_openai_error(json.loads(raw))


def test_an_unknown_role_is_named_in_a_japanese_400(server):
    status, _, raw = request(server, "POST", "/v1/chat/completions", json.dumps(
        {"model": OFFLINE_MODEL, "messages": [{"role": "wizard", "content": "こんにちは"}]}).encode())
    assert status == 400
    assert "role「wizard」は使えません" in assert_openai_error(json.loads(raw))["message"]


def test_the_server_still_answers_after_the_fuzzing(server):
    status, _, raw = request(server, "POST", "/v1/chat/completions", json.dumps(
        {"model": OFFLINE_MODEL, "messages": [{"role": "user", "content": "こんにちは"}]}).encode())
    assert status == 200 and json.loads(raw)["choices"][0]["message"]["content"]
