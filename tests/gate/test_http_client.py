"""The HTTP seam: the SDK's documented ``http_client=``, gated transports, proxies from the environment.

The proxy is a real HTTP server on 127.0.0.1 that records what reaches it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kenshu
from kenshu import llm
from kenshu.gate.http_client import proxy_routes
from kenshu.settings import OFFLINE_MODEL
from tests.gate.test_transport import NAME, REPORT, recording_server

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch, tmp_path):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(tmp_path / "audit.sqlite3"))


def ask_gateway(base_url: str) -> str:
    """A real backend that masks (a gateway on the LGWAN side), reached over HTTP."""
    return kenshu.ask(REPORT, backend="compatible", model=OFFLINE_MODEL, base_url=base_url, max_retries=0)


def test_a_proxy_named_in_the_environment_carries_the_call_and_sees_only_masked_text(monkeypatch):
    with recording_server() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        reply = ask_gateway("http://api.kenshu-test.invalid/v1")
        method, path, body = proxy.seen[-1]
    assert NAME in reply
    assert path == "http://api.kenshu-test.invalid/v1/chat/completions"   # absolute form: a proxy request
    assert "［氏名1］" in body["messages"][0]["content"] and not proxy.saw(NAME)


def test_no_proxy_sends_direct_to_the_host_it_names(monkeypatch):
    with recording_server() as proxy, recording_server() as server:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        ask_gateway(server.url + "/v1")
        assert proxy.seen == []
        assert server.seen[-1][1] == "/v1/chat/completions"   # origin form: sent directly


def test_a_blocked_call_never_reaches_the_proxy(monkeypatch):
    with recording_server() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        with pytest.raises(kenshu.KenshuError):
            kenshu.ask("個人番号 123456789018", backend="openai", api_key="sk-test", model=OFFLINE_MODEL,
                       base_url="http://api.kenshu-test.invalid/v1")
        assert proxy.seen == []


def test_proxy_routes_read_the_environment_as_httpx2_does(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example.jp:8080")
    monkeypatch.setenv("NO_PROXY", "localhost, 10.0.0.1,.lg.jp,::1")
    assert proxy_routes() == {"https://": "http://proxy.example.jp:8080", "all://localhost": None,
                              "all://10.0.0.1": None, "all://*.lg.jp": None, "all://[::1]": None}
    monkeypatch.setenv("NO_PROXY", "*")
    assert proxy_routes() == {}


def test_a_real_backend_client_keeps_the_sdk_defaults():
    http = llm.client(backend="openai", api_key="sk-test", model="m")._client
    assert http.follow_redirects is True
    assert http.timeout.connect == 5.0


def test_kenshu_uses_no_private_hooks_of_httpx2_or_openai():
    package = Path(kenshu.__file__).parent
    private = re.compile(r"_init_transport|_init_proxy_transport|openai\._constants|\._transport\b|\._mounts\b")
    hits = [f"{path.relative_to(package)}:{number}"
            for path in package.rglob("*.py")
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if private.search(line)]
    assert hits == []
