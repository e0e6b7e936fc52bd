"""`kenshu serve` as a classroom runs it: a real uvicorn server on 127.0.0.1, driven by
the real openai SDK, by kenshu's own helpers, and by hostile raw HTTP."""

from __future__ import annotations

import http.client
import json
import logging
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from openai.types.chat import ChatCompletion

import kenshu
from kenshu import llm
from kenshu.cli.serve import _bind, server_config
from kenshu.errors import AuthenticationFailedError
from kenshu.server import create_app
from kenshu.settings import ENV_VARS, OFFLINE_MODEL

ROOT = Path(__file__).resolve().parent.parent
KEY = "trainer-key-7f3a9c"
LIMIT = 64 * 1024
PROMPT = ("あなたは総務課の職員です。庁内回覧に使うため、以下の文を箇条書き3点で要約してください。\n\n"
          "みどり町では、10月から転入届の事前申請をオンラインで受け付けています。3か月の利用は412件でした。"
          "入力画面の説明が分かりにくいという意見があり、文言を見直します。")
MESSAGES = [{"role": "user", "content": PROMPT}]


@contextmanager
def running(**options: object) -> Iterator[str]:
    """The classroom server's app and uvicorn settings in a thread; yields http://127.0.0.1:<port>."""
    listener = _bind("127.0.0.1", 0)
    server = uvicorn.Server(server_config(create_app(**options), log_config=None))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


class ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def server_errors() -> Iterator[ErrorRecords]:
    """Every ERROR the servers log while this module runs (the last test expects none)."""
    handler = ErrorRecords()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture(scope="module")
def url(server_errors: ErrorRecords) -> Iterator[str]:
    with running(max_body_bytes=LIMIT) as base:
        yield base


@pytest.fixture(scope="module")
def keyed_url(server_errors: ErrorRecords) -> Iterator[str]:
    with running(api_key=KEY) as base:
        yield base


def sdk(base: str, **settings: object):
    return llm.client(backend="compatible", base_url=f"{base}/v1", model=OFFLINE_MODEL, max_retries=0, **settings)


def offline_answer(messages: list[dict[str, str]]) -> str:
    completion = llm.client(backend="offline").chat.completions.create(model=OFFLINE_MODEL, messages=messages)
    return completion.choices[0].message.content


def request(base: str, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request(method, path, body=body, headers={"content-type": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def post_json(base: str, payload: object, path: str = "/v1/chat/completions") -> tuple[int, dict]:
    status, _, body = request(base, "POST", path, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return status, json.loads(body)


def assert_openai_error(payload: dict, *, kind: str = "invalid_request_error") -> dict:
    """An OpenAI-style error object whose message is written in Japanese."""
    assert set(payload) == {"error"}
    error = payload["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == kind
    assert any("\u3040" <= ch <= "\u30ff" for ch in error["message"]), error["message"]  # kana
    return error


def raw_socket(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def read_response(sock: socket.socket) -> tuple[int, dict]:
    """Status and JSON body of one HTTP/1.1 response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection without answering"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers["content-length"]):
        body += sock.recv(65536)
    return int(lines[0].split()[1]), json.loads(body)


# --- a learner's compatible backend pointed at the server -------------------------------------

def test_sdk_client_pointed_at_the_server_gets_a_chat_completion(url):
    completion = sdk(url).chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES)
    assert isinstance(completion, ChatCompletion)
    assert completion.model == OFFLINE_MODEL
    assert completion.choices[0].message.content == offline_answer(MESSAGES)
    assert completion.usage.total_tokens > 0


def test_streamed_answer_joins_to_the_non_streamed_answer(url):
    stream = sdk(url).chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES, stream=True)
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert len(pieces) > 3
    assert "".join(pieces) == offline_answer(MESSAGES)


def test_kenshu_ask_works_against_the_server_from_environment_settings(url, monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "compatible")
    monkeypatch.setenv("OPENAI_BASE_URL", f"{url}/v1")
    monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
    assert kenshu.ask(PROMPT) == offline_answer(MESSAGES)


def test_models_and_embeddings_work_through_the_sdk(url):
    client = sdk(url)
    assert [model.id for model in client.models.list()] == [OFFLINE_MODEL]
    vectors = client.embeddings.create(model=OFFLINE_MODEL, input=["住民票の写し", "転入届"]).data
    assert len(vectors) == 2 and len(vectors[0].embedding) > 0


def test_health_page_says_in_japanese_that_the_server_is_running(url):
    status, _, body = request(url, "GET", "/health")
    payload = json.loads(body)
    assert status == 200 and payload["status"] == "ok" and payload["model"] == OFFLINE_MODEL
    assert "動いています" in payload["message"]
    assert payload["api_key_required"] is False
    assert request(url, "GET", "/")[0] == 200


# --- the trainer's API key ----------------------------------------------------------------

def test_learner_without_the_key_gets_authentication_failed(keyed_url):
    with pytest.raises(AuthenticationFailedError) as caught:
        kenshu.ask("テスト", backend="compatible", base_url=f"{keyed_url}/v1", model=OFFLINE_MODEL)
    assert "401" in str(caught.value) and "OPENAI_API_KEY" in str(caught.value)


def test_wrong_key_gets_401_telling_to_set_openai_api_key_without_echoing_it(keyed_url):
    status, headers, body = request(keyed_url, "POST", "/v1/chat/completions", b"{}",
                                    {"authorization": "Bearer sk-wrong-secret-value"})
    assert status == 401
    error = assert_openai_error(json.loads(body))
    assert error["code"] == "invalid_api_key"
    assert "OPENAI_API_KEY" in error["message"] and "講師" in error["message"]
    assert b"sk-wrong-secret-value" not in body and KEY.encode() not in body
    assert KEY not in json.dumps(headers)


def test_learner_with_the_right_key_gets_answers(keyed_url):
    answer = kenshu.ask(PROMPT, backend="compatible", base_url=f"{keyed_url}/v1", model=OFFLINE_MODEL, api_key=KEY)
    assert answer == offline_answer(MESSAGES)
    completion = sdk(keyed_url, api_key=KEY).chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES)
    assert completion.choices[0].message.content == answer


def test_health_page_needs_no_key_and_says_one_is_required(keyed_url):
    status, _, body = request(keyed_url, "GET", "/health")
    assert status == 200 and json.loads(body)["api_key_required"] is True


def test_access_log_has_one_line_per_request_without_bodies_or_keys(keyed_url, caplog):
    with caplog.at_level(logging.INFO, logger="kenshu.server.access"):
        request(keyed_url, "POST", "/v1/chat/completions",
                json.dumps({"model": OFFLINE_MODEL, "messages": [{"role": "user", "content": "秘密の本文"}]},
                           ensure_ascii=False).encode(), {"authorization": f"Bearer {KEY}"})
        deadline = time.monotonic() + 5
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.01)
    lines = [record.getMessage() for record in caplog.records if record.name == "kenshu.server.access"]
    assert len(lines) == 1
    method, path, status, ms = lines[0].split()
    assert (method, path, status) == ("POST", "/v1/chat/completions", "200") and ms.endswith("ms")
    assert KEY not in lines[0] and "秘密" not in lines[0]


# --- hostile input, over raw HTTP --------------------------------------------------------------

@pytest.mark.parametrize(("body", "param"), [
    (b'{"model": "kenshu-offline", "messages": [', None),
    (b'[{"role": "user", "content": "hi"}]', None),
    (b"\xff\xfe not utf-8", None),
])
def test_body_that_is_not_a_json_object_gets_400_with_a_japanese_message(url, body, param):
    status, _, answer = request(url, "POST", "/v1/chat/completions", body)
    assert status == 400
    assert assert_openai_error(json.loads(answer))["param"] == param


@pytest.mark.parametrize(("payload", "param"), [
    ({"model": OFFLINE_MODEL}, "messages"),
    ({"model": OFFLINE_MODEL, "messages": []}, "messages"),
    ({"model": OFFLINE_MODEL, "messages": "こんにちは"}, "messages"),
    ({"model": OFFLINE_MODEL, "messages": [{"content": "役割がない"}]}, "messages"),
    ({"model": OFFLINE_MODEL, "messages": [{"role": "user", "content": 42}]}, "messages"),
    ({"messages": MESSAGES}, "model"),
    ({"model": 7, "messages": MESSAGES}, "model"),
])
def test_missing_or_wrongly_typed_fields_get_400_naming_the_field(url, payload, param):
    status, answer = post_json(url, payload)
    assert status == 400
    assert assert_openai_error(answer)["param"] == param


def test_unknown_model_gets_404_model_not_found(url):
    status, answer = post_json(url, {"model": "gpt-9", "messages": MESSAGES})
    assert status == 404
    error = assert_openai_error(answer)
    assert error["code"] == "model_not_found" and OFFLINE_MODEL in error["message"]


@pytest.mark.parametrize("path", ["/v1/nothing", "/v1/chat/completion"])
def test_unknown_endpoint_gets_404_unknown_url(url, path):
    status, _, answer = request(url, "POST", path, b"{}")
    assert status == 404
    assert assert_openai_error(json.loads(answer))["code"] == "unknown_url"


def test_path_outside_v1_gets_404_saying_the_base_url_must_end_in_v1(url):
    status, _, answer = request(url, "POST", "/chat/completions", b"{}")
    assert status == 404
    error = assert_openai_error(json.loads(answer))
    assert "/v1" in error["message"] and "OPENAI_BASE_URL" in error["message"]


@pytest.mark.parametrize(("method", "path"), [
    ("DELETE", "/v1/chat/completions"),
    ("PUT", "/v1/models"),
    ("GET", "/v1/chat/completions"),
    ("POST", "/health"),
])
def test_wrong_http_method_gets_405_with_a_japanese_message(url, method, path):
    status, _, answer = request(url, method, path, b"{}" if method != "GET" else None)
    assert status == 405
    assert assert_openai_error(json.loads(answer))["code"] == "method_not_allowed"


def test_body_over_the_limit_gets_413_with_a_japanese_message(url):
    with raw_socket(url) as sock:
        # only the headers: the declared length alone must be refused, before any body is read
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n")
        status, answer = read_response(sock)
    assert status == 413
    error = assert_openai_error(answer)
    assert error["code"] == "request_too_large" and "64 KB" in error["message"]


def test_chunked_body_over_the_limit_gets_413_before_the_upload_ends(url):
    with raw_socket(url) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"a" * 16384
        for _ in range(LIMIT // len(piece) + 2):  # never sends the final 0-length chunk
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        status, answer = read_response(sock)
    assert status == 413
    assert assert_openai_error(answer)["code"] == "request_too_large"


def test_client_that_disconnects_mid_stream_does_not_disturb_the_server(url):
    body = json.dumps({"model": OFFLINE_MODEL, "messages": MESSAGES, "stream": True, "n": 8},
                      ensure_ascii=False).encode()
    for _ in range(3):
        sock = raw_socket(url)
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        assert b"data: " in sock.recv(4096) + sock.recv(4096)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not a polite close
        sock.close()
    stream = sdk(url).chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == offline_answer(MESSAGES)


def test_slow_client_does_not_hold_up_other_learners(url):
    body = json.dumps({"model": OFFLINE_MODEL, "messages": MESSAGES}, ensure_ascii=False).encode()
    with raw_socket(url) as slow:
        slow.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body))
        pieces = [body[i:i + 40] for i in range(0, len(body), 40)]
        waits = []
        for index, piece in enumerate(pieces):
            slow.sendall(piece)
            if index % (len(pieces) // 4 or 1) == 0:  # meanwhile, others are answered at once
                started = time.perf_counter()
                assert request(url, "GET", "/v1/models")[0] == 200
                waits.append(time.perf_counter() - started)
            time.sleep(0.6 / len(pieces))
        status, answer = read_response(slow)
    assert status == 200 and answer["choices"][0]["message"]["content"] == offline_answer(MESSAGES)
    assert max(waits) < 0.5


def test_body_trickled_past_the_timeout_gets_408_with_a_japanese_message(server_errors):
    with running(body_timeout=0.5) as base, raw_socket(base) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":")
        status, answer = read_response(sock)
    assert status == 408
    assert assert_openai_error(answer)["code"] == "request_timeout"


def test_requests_on_a_kept_alive_connection_are_not_held_back_by_delayed_acks(url):
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    timings = []
    for _ in range(8):
        started = time.perf_counter()
        connection.request("GET", "/v1/models")
        connection.getresponse().read()
        timings.append(time.perf_counter() - started)
    connection.close()
    assert statistics.median(timings[1:]) < 0.02  # without TCP_NODELAY each took ~40 ms


def test_forty_concurrent_learners_each_get_their_own_correct_answer(url):
    prompts = [f"{PROMPT}\n（受講者 {number} 番）" for number in range(40)]
    expected = [offline_answer([{"role": "user", "content": prompt}]) for prompt in prompts]
    answers: dict[int, str] = {}
    problems: list[BaseException] = []
    start_together = threading.Barrier(40)

    def learner(number: int) -> None:
        try:
            client = sdk(url)
            start_together.wait(timeout=10)
            completion = client.chat.completions.create(
                model=OFFLINE_MODEL, messages=[{"role": "user", "content": prompts[number]}])
            answers[number] = completion.choices[0].message.content
        except BaseException as exc:  # reported below, not lost in the thread
            problems.append(exc)

    threads = [threading.Thread(target=learner, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not problems
    assert [answers.get(number) for number in range(40)] == expected


def test_identical_requests_from_a_whole_class_get_identical_answers(url):
    answers: list[str] = []
    start_together = threading.Barrier(20)

    def learner() -> None:
        client = sdk(url)
        start_together.wait(timeout=10)
        answers.append(client.chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES,
                                                      seed=3, temperature=1).choices[0].message.content)

    threads = [threading.Thread(target=learner) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == 20 and set(answers) == {
        llm.client(backend="offline").chat.completions.create(
            model=OFFLINE_MODEL, messages=MESSAGES, seed=3, temperature=1).choices[0].message.content}


def test_request_that_trips_the_engine_gets_a_500_server_error_and_the_server_carries_on(url, server_errors):
    # When this was written the engine raised AttributeError on a json_schema given as a string.
    # The server must turn that into an OpenAI-style 500 (logged once). Should the engine learn to
    # refuse it with a 400 instead, that is right too: the learner still gets a Japanese error object.
    before = len(server_errors.records)
    status, answer = post_json(url, {"model": OFFLINE_MODEL, "messages": MESSAGES,
                                     "response_format": {"type": "json_schema", "json_schema": "壊れた指定"}})
    logged = [record.getMessage() for record in server_errors.records[before:]]
    del server_errors.records[before:]  # expected here; the last test checks nothing else went wrong
    if status == 500:
        assert "サーバー" in assert_openai_error(answer, kind="server_error")["message"]
        assert len(logged) == 1 and "engine failed" in logged[0]
    else:
        assert status == 400 and assert_openai_error(answer) and logged == []
    assert sdk(url).chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES).choices[0].message.content


# --- the kenshu serve command ----------------------------------------------------------------

def kenshu_serve(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS.values()}
    return subprocess.Popen([sys.executable, "-m", "kenshu", "serve", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_kenshu_serve_prints_learner_settings_without_the_key_and_stops_cleanly_on_ctrl_c():
    server = kenshu_serve("--host", "127.0.0.1", "--port", "0", "--api-key", KEY)
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            if "Ctrl+C" in line:
                break
        printed = "".join(lines)
        base = next(line.split("=", 1)[1].strip() for line in lines if "OPENAI_BASE_URL=" in line)
        for setting in ("KENSHU_BACKEND=compatible", f"KENSHU_MODEL={OFFLINE_MODEL}", "OPENAI_API_KEY="):
            assert setting in printed
        assert KEY not in printed
        assert kenshu.ask("テスト", backend="compatible", base_url=base, model=OFFLINE_MODEL, api_key=KEY)
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=15)
    finally:
        server.kill()
    assert server.returncode == 0
    assert "停止しました" in out and "Traceback" not in err and KEY not in out + err
    assert "POST /v1/chat/completions 200" in err  # the access log line


def test_kenshu_serve_on_a_busy_port_says_so_in_japanese_and_exits_1():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = kenshu_serve("--port", str(busy.getsockname()[1]))
        out, err = server.communicate(timeout=30)
    assert server.returncode == 1
    assert "ほかのプログラムがすでに使っています" in err and "--port" in err
    assert "Traceback" not in out + err


def test_kenshu_serve_warns_when_reachable_from_other_pcs_without_a_key():
    # 192.0.2.1 (TEST-NET-1) is never this machine's address, so nothing is exposed: the bind fails
    server = kenshu_serve("--host", "192.0.2.1", "--port", "8000")
    out, err = server.communicate(timeout=30)
    assert "注意" in err and "--api-key" in err
    assert server.returncode == 1 and "待ち受けできません" in err and "Traceback" not in err


# --- after everything above ------------------------------------------------------------------

def test_after_the_hostile_suite_the_server_still_answers_promptly_and_logged_no_errors(url, server_errors):
    started = time.perf_counter()
    completion = sdk(url).chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES)
    assert time.perf_counter() - started < 1.0
    assert completion.choices[0].message.content == offline_answer(MESSAGES)
    assert [record.getMessage() for record in server_errors.records] == []


def test_the_key_comes_from_the_option_a_file_or_the_environment(tmp_path, monkeypatch):
    from kenshu.cli.serve import KEY_VARIABLE, resolve_key
    from kenshu.errors import SettingsError

    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    assert resolve_key(None, None) is None
    monkeypatch.setenv(KEY_VARIABLE, " 研修室のキー ")
    assert resolve_key(None, None) == "研修室のキー"
    key_file = tmp_path / "key.txt"
    key_file.write_text("\ufeffファイルのキー\n二行目は読まない\n", encoding="utf-8")
    assert resolve_key(None, key_file) == "ファイルのキー"
    assert resolve_key("コマンドのキー", key_file) == "コマンドのキー"
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="1 行目が空です"):
        resolve_key(None, tmp_path / "empty.txt")
    with pytest.raises(SettingsError, match="読めませんでした"):
        resolve_key(None, tmp_path / "none.txt")


def test_a_server_started_with_the_key_only_in_the_environment_requires_it(tmp_path):
    from kenshu.cli.serve import KEY_VARIABLE

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, KEY_VARIABLE: "kenshu-secret-7"}
    process = subprocess.Popen([sys.executable, "-m", "kenshu", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(base, "GET", "/v1/models")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 401
        status, _, _ = request(base, "GET", "/v1/models", headers={"authorization": "Bearer kenshu-secret-7"})
        assert status == 200
    finally:
        process.terminate()
        process.wait(timeout=15)
