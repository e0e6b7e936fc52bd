"""Backend faults through a real OpenAI-compatible server on 127.0.0.1: what the learner sees (one Japanese
message, never a traceback) and what the audit log keeps (every attempt, complete rows, nothing half-written)."""

from __future__ import annotations

import time

import pytest

import kenshu
from kenshu import audit, llm
from kenshu.errors import KenshuError, RateLimitedError, RequestTimeoutError, ServerError
from kenshu.settings import OFFLINE_MODEL
from tests.support.openai_server import serve

QUESTION = "会議録を要約してください。\n\n本日の会議では、来年度の研修計画を決定した。"


@pytest.fixture
def server(monkeypatch, tmp_path):
    with serve() as (url, behaviour):
        monkeypatch.setenv("KENSHU_BACKEND", "compatible")
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
        monkeypatch.setenv("KENSHU_AUDIT_LOG", str(tmp_path / "audit.sqlite3"))
        yield behaviour


def _rows():
    return audit.frame()


def _shown(error: KenshuError) -> str:
    return "\n".join(error._render_traceback_())


def _complete(rows) -> None:
    """Every row has its time, backend, status and prompt: nothing half-written."""
    assert not rows.empty
    assert rows[["time", "backend", "status", "prompt"]].notna().all().all()
    assert (rows["prompt"].str.len() > 0).all()


def test_a_reply_cut_half_way_is_one_japanese_message_and_every_attempt_is_logged(server):
    server.cut = True
    with pytest.raises(KenshuError) as caught:
        kenshu.ask(QUESTION)
    shown = _shown(caught.value)
    assert "Traceback" not in shown and "対処:" in shown and "途中で切れました" in shown
    rows = _rows()
    assert len(rows) == len(server.requests) == 3  # the first try and the SDK's two retries
    assert set(rows["status"]) == {"error"}
    assert rows["response"].str.contains("応答の途中で切れました").all()
    _complete(rows)


def test_a_stream_cut_before_its_end_is_logged_as_an_error_with_what_arrived(server):
    server.cut = True
    stream = llm.client().chat.completions.create(model=llm.model(), messages=[{"role": "user", "content": QUESTION}],
                                                  stream=True)
    received = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    rows = _rows()
    assert len(rows) == 1
    assert rows.loc[0, "status"] == "error"
    assert "途中で切れました" in rows.loc[0, "response"] and received in rows.loc[0, "response"]
    _complete(rows)


def test_a_whole_stream_is_logged_as_ok(server):
    stream = llm.client().chat.completions.create(model=llm.model(), messages=[{"role": "user", "content": QUESTION}],
                                                  stream=True)
    received = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    rows = _rows()
    assert rows.loc[0, "status"] == "ok" and rows.loc[0, "response"] == received


def test_a_slow_server_past_the_timeout_is_one_japanese_message_and_logged(server, monkeypatch):
    server.delay = 1.0
    monkeypatch.setenv("KENSHU_TIMEOUT", "0.2")
    monkeypatch.setenv("KENSHU_MAX_RETRIES", "0")
    with pytest.raises(RequestTimeoutError) as caught:
        kenshu.ask(QUESTION)
    assert "Traceback" not in _shown(caught.value) and "KENSHU_TIMEOUT" in _shown(caught.value)
    rows = _rows()
    assert list(rows["status"]) == ["error"] and "接続できませんでした" in rows.loc[0, "response"]
    _complete(rows)


def test_server_errors_then_success_are_retried_and_each_attempt_is_logged(server):
    server.fail_status, server.fail_times = 503, 2
    assert "研修計画を決定した" in kenshu.ask(QUESTION)
    rows = _rows()
    assert list(rows["status"]) == ["error", "error", "ok"]
    assert rows.loc[0, "response"].startswith("HTTP 503")
    _complete(rows)


def test_a_429_with_retry_after_waits_as_the_server_asks_then_succeeds(server):
    server.fail_status, server.fail_times, server.retry_after = 429, 1, "1"
    started = time.monotonic()
    assert "研修計画を決定した" in kenshu.ask(QUESTION)
    assert time.monotonic() - started >= 0.9  # the SDK honoured Retry-After: 1
    assert list(_rows()["status"]) == ["error", "ok"]


def test_a_429_that_does_not_end_is_one_japanese_message(server):
    server.fail_status, server.retry_after = 429, "0"
    with pytest.raises(RateLimitedError) as caught:
        kenshu.ask(QUESTION)
    shown = _shown(caught.value)
    assert "Traceback" not in shown and "429" in shown and "KENSHU_BACKEND=offline" in shown
    assert len(_rows()) == 3


def test_a_persistent_5xx_is_one_japanese_message(server):
    server.fail_status = 500
    with pytest.raises(ServerError) as caught:
        kenshu.ask(QUESTION)
    assert "Traceback" not in _shown(caught.value)
    assert set(_rows()["status"]) == {"error"}
