"""The gate on every call: real HTTP to a server on 127.0.0.1 (or the offline engine in process).

The server records every request body, so the tests assert on what actually left.
"""

from __future__ import annotations

import json
import re
import sqlite3
import textwrap
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openai
import pytest

import kenshu
from kenshu import llm
from kenshu.audit import AuditLog
from kenshu.engine.api import ApiResponse
from kenshu.errors import GateBlockedError, KenshuError, SettingsError
from kenshu.gate import MAX_INSPECT_CHARS, AuditLogWarning
from kenshu.gate.stream import Carry
from kenshu.safety import Masker
from kenshu.settings import OFFLINE_MODEL
from tests.support.openai_server import serve

MYNUMBER = "123456789018"   # passes the 個人番号 check digit
NAME, PHONE = "山田太郎", "03-1234-5678"
REPORT = (f"以下の文章を要約してください。\n\n市民課の{NAME}様から、電話 {PHONE} で転居届について問い合わせがあった。"
          f"{NAME}様は来週来庁する予定である。担当は佐藤花子主任。")
CLOUD_LIKE = """
    [compatible]
    max_confidentiality = 1
    personal_data = "mask"
    block_kinds = ["mynumber", "resident_code", "credit_card", "bank_account"]
"""


# ---------------------------------------------------------------- a recording OpenAI-compatible server

@dataclass
class Server:
    url: str
    seen: list[tuple[str, str, object]] = field(default_factory=list)   # method, path, JSON body
    # (route, body) -> a response instead of the offline engine's
    script: Callable[[str, dict], ApiResponse] | None = None

    @property
    def posts(self) -> list[dict]:
        return [body for method, _, body in self.seen if method == "POST"]

    def saw(self, text: str) -> bool:
        return any(text in json.dumps(body, ensure_ascii=False) for _, _, body in self.seen)


@contextmanager
def recording_server() -> Iterator[Server]:
    """The shared test server, recording every request body and answering from ``script`` first."""
    with serve() as (url, behaviour):
        server_state = Server(url.removesuffix("/v1"))
        behaviour.bodies = server_state.seen
        behaviour.script = lambda route, body: server_state.script(route, body) if server_state.script else None
        yield server_state


def completion(content: str | None = None, tool_arguments: str | None = None) -> ApiResponse:
    message: dict = {"role": "assistant", "content": content}
    if tool_arguments is not None:
        message["tool_calls"] = [{"id": "call_1", "type": "function",
                                  "function": {"name": "register", "arguments": tool_arguments}}]
    body = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": OFFLINE_MODEL,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}}
    return ApiResponse(200, json.dumps(body, ensure_ascii=False).encode())


def sse(deltas: list[dict], finish: str = "stop") -> ApiResponse:
    """One SSE event per delta, the last one with ``finish_reason``."""
    def events() -> Iterator[bytes]:
        for number, delta in enumerate(deltas):
            last = number == len(deltas) - 1
            chunk = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": OFFLINE_MODEL,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish if last else None}]}
            yield b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n"
        yield b"data: [DONE]\n\n"
    return ApiResponse(200, events(), {"content-type": "text/event-stream"})


def placeholders_in(body: dict) -> list[str]:
    return re.findall(r"［[^］]+］", json.dumps(body, ensure_ascii=False))


# ---------------------------------------------------------------- fixtures

@pytest.fixture
def log_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "audit" / "kenshu-audit.sqlite3"
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(path))
    return path


def rows(path: Path):
    return AuditLog(path).frame()


def stored_bytes(path: Path) -> bytes:
    """Everything SQLite has written: the file and its write-ahead log."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


@pytest.fixture
def server():
    with recording_server() as state:
        yield state


@pytest.fixture
def compatible(server, monkeypatch, log_path):
    monkeypatch.setenv("KENSHU_BACKEND", "compatible")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
    return server


@pytest.fixture
def cloud_like_compatible(compatible, tmp_path, monkeypatch):
    """The compatible backend under a policy that treats it as the cloud."""
    policy = tmp_path / "cloud-like.toml"
    policy.write_text(textwrap.dedent(CLOUD_LIKE), encoding="utf-8")
    monkeypatch.setenv("KENSHU_POLICY", str(policy))
    return compatible


@pytest.fixture
def openai_backend(server, monkeypatch, log_path):
    """The real openai backend, its base_url pointed at the local server: no network needed."""
    monkeypatch.setenv("KENSHU_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-0123456789")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
    return server


# ---------------------------------------------------------------- blocked: マイナンバー to the cloud

def test_mynumber_for_a_cloud_like_backend_is_blocked_in_japanese_and_never_sent(cloud_like_compatible, log_path):
    with pytest.raises(GateBlockedError) as caught:
        kenshu.ask(f"次の申請を確認してください。申請者 {NAME} 様、個人番号 {MYNUMBER}")
    error = caught.value
    assert "個人番号 1 件" in error.what and "送信しません" in error.what
    assert "offline" in error.todo
    assert MYNUMBER not in str(error) and NAME not in str(error)
    assert cloud_like_compatible.posts == []   # nothing reached the server

    [row] = rows(log_path).to_dict("records")
    assert (row["decision"], row["status"], row["backend"]) == ("blocked", "blocked", "compatible")
    assert "個人番号 1 件" in row["reason"]
    assert "［個人番号1］" in row["prompt"] and "［氏名1］" in row["prompt"]
    assert "mynumber" in row["pii_kinds"]
    assert MYNUMBER.encode() not in stored_bytes(log_path)
    assert NAME.encode() not in stored_bytes(log_path)


def test_mynumber_for_the_openai_backend_is_blocked_before_it_reaches_the_server(openai_backend, log_path):
    with pytest.raises(GateBlockedError) as caught:
        kenshu.ask(f"個人番号 {MYNUMBER} の方の手続きを教えて")
    assert "接続先「openai」" in caught.value.what and caught.value.setting == "KENSHU_POLICY"
    assert openai_backend.posts == []
    [row] = rows(log_path).to_dict("records")
    assert row["decision"] == "blocked" and row["backend"] == "openai"
    assert MYNUMBER.encode() not in stored_bytes(log_path)


def test_plain_sdk_code_gets_a_403_permission_error_that_is_not_retried(openai_backend):
    client = llm.client()
    assert type(client) is openai.OpenAI
    with pytest.raises(openai.PermissionDeniedError) as caught:
        client.chat.completions.create(model=llm.model(), messages=[{"role": "user", "content": f"番号 {MYNUMBER}"}])
    assert caught.value.status_code == 403
    assert caught.value.body["code"] == "kenshu_gate_blocked" and caught.value.body["type"] == "kenshu_gate"
    assert "個人番号 1 件" in caught.value.message
    assert openai_backend.seen == []


def test_a_class_above_the_backends_maximum_is_blocked(compatible, log_path):
    with pytest.raises(GateBlockedError) as caught:
        kenshu.ask("来年度の人事異動案をまとめて", confidentiality=3)
    assert "機密性3" in caught.value.what and "機密性2まで" in caught.value.what
    with pytest.raises(openai.PermissionDeniedError):
        llm.client(confidentiality=3).chat.completions.create(
            model=OFFLINE_MODEL, messages=[{"role": "user", "content": "テスト"}])
    assert compatible.posts == []
    assert kenshu.ask("以下の文章を要約してください。\n\n会議は10時に始まった。", confidentiality=2)
    assert len(compatible.posts) == 1
    assert list(rows(log_path)["confidentiality"]) == [3, 3, 2]


@pytest.mark.parametrize("value", [0, 4, "2", 1.0, True])
def test_the_declared_class_must_be_1_2_or_3(value):
    with pytest.raises(SettingsError) as caught:
        kenshu.ask("テスト", confidentiality=value)
    assert "機密性" in caught.value.what
    with pytest.raises(SettingsError):
        llm.client(confidentiality=value)


# ---------------------------------------------------------------- masked: placeholders out, names back

def test_compatible_backend_sends_placeholders_only_and_the_learner_gets_the_names_back(compatible, log_path):
    reply = kenshu.ask(REPORT)
    assert f"{NAME}様" in reply and PHONE in reply and "佐藤花子" in reply
    assert "［" not in reply
    [sent] = compatible.posts
    assert not compatible.saw(NAME) and not compatible.saw(PHONE) and not compatible.saw("佐藤花子")
    assert placeholders_in(sent) == ["［氏名1］", "［電話番号1］", "［氏名1］", "［氏名2］"]

    [row] = rows(log_path).to_dict("records")
    assert row["decision"] == "masked" and row["status"] == "ok"
    assert "氏名 3 件" in row["reason"] and "電話番号 1 件" in row["reason"]
    assert "［氏名1］" in row["response"] and NAME not in row["response"]
    assert row["prompt_tokens"] > 0 and row["completion_tokens"] > 0 and row["latency_ms"] > 0
    assert NAME.encode() not in stored_bytes(log_path) and PHONE.encode() not in stored_bytes(log_path)


def test_one_placeholder_per_person_across_every_message_of_a_call(compatible):
    messages = [
        {"role": "system", "content": f"あなたは{NAME}様からの相談に答えます。"},
        {"role": "user", "content": f"{NAME}様と鈴木一郎様への案内文を書いて"},
    ]
    llm.client().chat.completions.create(model=OFFLINE_MODEL, messages=messages)
    [sent] = compatible.posts
    assert sent["messages"][0]["content"] == "あなたは［氏名1］様からの相談に答えます。"
    assert sent["messages"][1]["content"] == "［氏名1］様と［氏名2］様への案内文を書いて"


def test_a_residents_name_and_phone_are_never_sent_to_openai(openai_backend, log_path):
    with pytest.raises(GateBlockedError) as caught:
        kenshu.ask(REPORT)
    assert openai_backend.seen == []
    assert "氏名" in caught.value.what and "電話番号" in caught.value.what
    assert "記号に置き換えた文章" in caught.value.todo and "目で確かめて" in caught.value.todo
    [row] = rows(log_path).to_dict("records")
    assert row["decision"] == "blocked" and NAME not in row["prompt"]


def test_the_masked_and_reviewed_text_can_then_be_sent_to_openai(openai_backend):
    from kenshu.safety import mask

    masked = mask(REPORT)
    reply = kenshu.ask(masked.text)
    assert "［氏名1］" in openai_backend.posts[0]["messages"][0]["content"] and not openai_backend.saw(NAME)
    assert NAME in masked.unmask(reply)


def test_a_placeholder_the_learner_wrote_is_not_confused_with_a_masked_name(compatible):
    compatible.script = lambda route, body: completion("［氏名1］と［氏名2］")
    reply = kenshu.ask(f"［氏名1］様と{NAME}様")
    assert placeholders_in(compatible.posts[0]) == ["［氏名1］", "［氏名2］"]
    assert reply == f"［氏名1］と{NAME}"


def test_streamed_reply_is_unmasked_even_when_a_placeholder_is_split_across_chunks(compatible, log_path):
    reply = "［氏名1］様、お電話（［電話番号1］）ありがとうございました。[参考] ［未知9］"
    compatible.script = lambda route, body: sse([{"role": "assistant", "content": ""}]
                                                + [{"content": char} for char in reply])
    stream = llm.client().chat.completions.create(
        model=OFFLINE_MODEL, messages=[{"role": "user", "content": f"{NAME}様（{PHONE}）への返信"}], stream=True)
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert "".join(pieces) == f"{NAME}様、お電話（{PHONE}）ありがとうございました。[参考] ［未知9］"
    assert not any("［氏" in piece for piece in pieces)
    [row] = rows(log_path).to_dict("records")
    assert row["response"].startswith("［氏名1］様") and NAME not in row["response"]


def test_streamed_reply_held_back_at_the_end_is_still_delivered(compatible):
    compatible.script = lambda route, body: sse([{"content": "宛名: ［"}, {"content": "氏名"}, {"content": "1"}])
    stream = llm.client().chat.completions.create(
        model=OFFLINE_MODEL, messages=[{"role": "user", "content": f"{NAME}様"}], stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "宛名: ［氏名1"


def test_streaming_through_the_real_engine_matches_the_non_streamed_reply(compatible):
    stream = llm.client().chat.completions.create(
        model=OFFLINE_MODEL, messages=[{"role": "user", "content": REPORT}], stream=True,
        stream_options={"include_usage": True})
    streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert streamed == kenshu.ask(REPORT)
    assert NAME in streamed and not compatible.saw(NAME)


@pytest.mark.parametrize("split", range(1, 9))
def test_carry_buffer_unmasks_a_placeholder_split_at_any_point(split):
    text = "こんにちは［氏名1］さん"
    carry = Carry(Masker(mapping={"［氏名1］": NAME}).unmask)
    out = carry.feed(text[:split]) + carry.feed(text[split:]) + carry.flush()
    assert out == f"こんにちは{NAME}さん"


def test_tool_call_arguments_are_unmasked_as_valid_json(compatible):
    arguments = json.dumps({"name": "［氏名1］", "phone": "［電話番号1］"}, ensure_ascii=False)
    compatible.script = lambda route, body: completion(None, arguments)
    result = llm.client().chat.completions.create(
        model=OFFLINE_MODEL, messages=[{"role": "user", "content": f"{NAME}様（{PHONE}）を登録"}])
    call = result.choices[0].message.tool_calls[0]
    assert json.loads(call.function.arguments) == {"name": NAME, "phone": PHONE}


def test_streamed_tool_call_arguments_are_unmasked(compatible):
    arguments = json.dumps({"name": "［氏名1］"}, ensure_ascii=False)
    first = {"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                             "function": {"name": "register", "arguments": ""}}]}
    compatible.script = lambda route, body: sse(
        [first] + [{"tool_calls": [{"index": 0, "function": {"arguments": char}}]} for char in arguments],
        finish="tool_calls")
    stream = llm.client().chat.completions.create(
        model=OFFLINE_MODEL, messages=[{"role": "user", "content": f"{NAME}様を登録"}], stream=True)
    pieces = [c.choices[0].delta.tool_calls[0].function.arguments or ""
              for c in stream if c.choices and c.choices[0].delta.tool_calls]
    assert json.loads("".join(pieces)) == {"name": NAME}


def test_tool_results_sent_back_are_masked_and_the_engines_echo_is_unmasked(compatible):
    messages = [
        {"role": "user", "content": "登録内容を確認して"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": json.dumps({"who": NAME}, ensure_ascii=False)}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": f"{NAME}様、電話 {PHONE}"},
    ]
    reply = llm.client().chat.completions.create(model=OFFLINE_MODEL, messages=messages).choices[0].message.content
    assert f"{NAME}様、電話 {PHONE}" in reply
    assert not compatible.saw(NAME) and not compatible.saw(PHONE)


def test_json_unmasking_escapes_originals():
    masker = Masker(mapping={"［氏名1］": 'O"Brien\\'})
    assert json.loads(masker.unmask_json('{"a": "［氏名1］"}')) == {"a": 'O"Brien\\'}


# ---------------------------------------------------------------- embeddings and other endpoints

def test_embeddings_inputs_are_masked_or_blocked_too(server, compatible):
    client = llm.client()
    result = client.embeddings.create(model=OFFLINE_MODEL, input=[f"{NAME}様の相談記録", "一般的な質問"])
    assert len(result.data) == 2
    assert compatible.posts[-1]["input"][0] == "［氏名1］様の相談記録"
    cloud = llm.client(backend="openai", api_key="sk-test", base_url=server.url + "/v1", model=OFFLINE_MODEL)
    with pytest.raises(openai.PermissionDeniedError):
        cloud.embeddings.create(model=OFFLINE_MODEL, input=f"{NAME}様の相談記録")
    assert len(compatible.posts) == 1


def test_token_arrays_cannot_be_checked_so_a_cloud_backend_refuses_them(openai_backend):
    with pytest.raises(openai.PermissionDeniedError) as caught:
        llm.client().embeddings.create(model=OFFLINE_MODEL, input=[[1, 2, 3]])
    assert "点検できない" in caught.value.message
    assert openai_backend.posts == []


def test_images_cannot_be_checked_so_a_cloud_backend_refuses_them(openai_backend):
    content = [{"type": "text", "text": "この書類を読んで"},
               {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    with pytest.raises(openai.PermissionDeniedError) as caught:
        llm.client().chat.completions.create(model=OFFLINE_MODEL, messages=[{"role": "user", "content": content}])
    assert "画像" in caught.value.message


def test_listing_models_passes_through_unaudited(openai_backend, log_path):
    assert [m.id for m in llm.client().models.list()] == [OFFLINE_MODEL]
    assert openai_backend.seen[-1][:2] == ("GET", "/v1/models")
    assert not log_path.exists() or rows(log_path).empty


def test_other_posts_cannot_be_checked_so_only_an_allow_everything_backend_gets_them(openai_backend):
    with pytest.raises(openai.PermissionDeniedError) as caught:
        llm.client().responses.create(model=OFFLINE_MODEL, input=f"{NAME}様")
    assert "点検しない API" in caught.value.message
    assert openai_backend.posts == []


# ---------------------------------------------------------------- every backend under the default policy

def _azure(server, monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "azure")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.url)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-test-key-0123456789")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)


@pytest.mark.parametrize(("backend", "mynumber", "names", "class_2", "class_3"), [
    ("offline", "allowed", "allowed", "allowed", "allowed"),
    ("compatible", "masked", "masked", "allowed", "blocked"),
    ("openai", "blocked", "blocked", "blocked", "blocked"),
    ("azure", "blocked", "blocked", "blocked", "blocked"),
])
def test_every_backend_under_the_default_policy(server, monkeypatch, log_path, backend, mynumber, names,
                                                class_2, class_3):
    if backend == "azure":
        _azure(server, monkeypatch)
    elif backend != "offline":
        monkeypatch.setenv("KENSHU_BACKEND", backend)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-0123456789")
        monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
    calls = [(f"個人番号 {MYNUMBER} について", 1), (REPORT, 1), ("会議の議題を整理して", 2), ("会議の議題を整理して", 3)]
    for prompt, level in calls:
        try:
            reply = kenshu.ask(prompt, confidentiality=level)
        except GateBlockedError:
            continue
        assert backend == "offline" or "［" not in reply   # the engine's own advice may show ［氏名1］ as an example
    decisions = list(rows(log_path)["decision"])
    assert decisions == [mynumber, names, class_2, class_3]
    assert MYNUMBER.encode() not in stored_bytes(log_path) and NAME.encode() not in stored_bytes(log_path)
    if backend == "azure":
        assert all("/openai/deployments/" in path for _, path, _ in server.seen)
    if backend != "offline":
        assert not server.saw(MYNUMBER) and not server.saw(NAME)


def test_offline_allows_everything_and_still_logs_masked_text(log_path):
    reply = kenshu.ask(REPORT + f"\n個人番号 {MYNUMBER}", confidentiality=3)
    assert NAME in reply
    [row] = rows(log_path).to_dict("records")
    assert (row["backend"], row["decision"], row["confidentiality"]) == ("offline", "allowed", 3)
    assert "［個人番号1］" in row["prompt"] and "［氏名1］" in row["prompt"] and "［電話番号1］" in row["prompt"]
    assert "［氏名1］" in row["response"]  # the engine's echo of the name is masked in the log too
    for secret in (MYNUMBER, NAME, PHONE):
        assert secret.encode() not in stored_bytes(log_path)
    assert {"mynumber", "person_name", "phone"} <= set(row["pii_kinds"].split(","))


def test_offline_streaming_is_logged_once_with_usage(log_path):
    stream = llm.client().chat.completions.create(
        model=OFFLINE_MODEL, messages=[{"role": "user", "content": REPORT}], stream=True,
        stream_options={"include_usage": True})
    list(stream)
    [row] = rows(log_path).to_dict("records")
    assert row["status"] == "ok" and row["completion_tokens"] > 0 and NAME not in row["response"]


# ---------------------------------------------------------------- the audit log must not cost the answer

def test_an_unwritable_audit_log_warns_once_in_japanese_and_keeps_the_answer(tmp_path, monkeypatch):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(folder))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = kenshu.ask(REPORT)
        second = kenshu.ask(REPORT)
    assert first == second and NAME in first
    mine = [w for w in caught if issubclass(w.category, AuditLogWarning)]
    assert len(mine) == 1
    assert "利用記録" in str(mine[0].message) and "回答はそのまま表示します" in str(mine[0].message)


def test_a_corrupt_audit_log_does_not_stop_a_stream(tmp_path, monkeypatch):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not sqlite" * 100)
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(broken))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AuditLogWarning)
        stream = llm.client().chat.completions.create(
            model=OFFLINE_MODEL, messages=[{"role": "user", "content": REPORT}], stream=True)
        assert NAME in "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert broken.read_bytes() == b"this is not sqlite" * 100


# ---------------------------------------------------------------- hostile input

HOSTILE = {
    "empty": "",
    "none": None,
    "ten_megabytes": "山田太郎様" + "あ" * 10_000_000,
    "control_characters": "\x00\x01\x07\x1b[31m赤\x1b[0m\r\n\t\x7f\u200b\u202e逆向き\ufeff",
    "emoji": "👨‍👩‍👧‍👦🇯🇵 山田太郎様 😀" * 50,
    "mixed_scripts": "Ｙａｍａｄａ 山田太郎様 Ямада ياما 야마다 ０３－１２３４－５６７８ ［氏名 ［ [氏名1",
    "brackets": "［" * 5000 + "］" * 5000,
    "honorific_flood": "様" * 20_000,
    "lone_surrogate": "山田太郎様\ud800です\udfff",
}


@pytest.mark.parametrize("backend", ["offline", "compatible", "openai"])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_never_raises_anything_but_a_kenshu_error(server, monkeypatch, log_path, backend, name):
    if backend != "offline":
        monkeypatch.setenv("KENSHU_BACKEND", backend)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-0123456789")
        monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
    monkeypatch.setenv("KENSHU_MAX_RETRIES", "0")
    prompt = HOSTILE[name]
    try:
        reply = kenshu.ask(prompt)
    except KenshuError as error:
        assert error.what
        reply = None
    if name == "ten_megabytes":
        assert reply is None and server.posts == []   # too long to check: not sent
    if reply is not None:
        assert isinstance(reply, str)
    assert not server.saw(NAME)


def test_a_message_with_no_content_passes_the_gate(compatible):
    messages = [{"role": "user", "content": "テスト"},
                {"role": "assistant", "content": None},
                {"role": "user", "content": f"{NAME}様"}]
    try:
        llm.client().chat.completions.create(model=OFFLINE_MODEL, messages=messages)
    except openai.BadRequestError:
        pass
    assert not compatible.saw(NAME)


def test_more_than_the_inspection_limit_is_blocked_with_a_japanese_reason(log_path):
    with pytest.raises(GateBlockedError) as caught:
        kenshu.ask("あ" * (MAX_INSPECT_CHARS + 1))
    assert "分けて" in caught.value.todo
    [row] = rows(log_path).to_dict("records")
    assert row["decision"] == "blocked" and len(row["prompt"]) < 100


def test_the_audit_file_is_plain_sqlite_without_personal_data(compatible, log_path):
    kenshu.ask(REPORT)
    with sqlite3.connect(log_path) as db:
        text = " ".join(str(value) for row in db.execute("SELECT * FROM calls") for value in row)
    assert "［氏名1］" in text and NAME not in text and PHONE not in text


# ---------------------------------------------------------------- one masker for the gate and kenshu.safety.mask

@pytest.mark.parametrize("name", ["repeat_without_cue", "repeat_in_a_list", "hand_written_placeholders",
                                  "ascii_placeholder", "overlapping_kinds", "two_people", "public_identifier"])
def test_the_gate_sends_exactly_what_kenshu_safety_mask_gives(compatible, name):
    from kenshu.safety import mask
    from tests.safety.test_masker import TRICKY

    text = TRICKY[name]
    compatible.script = lambda route, body: completion(body["messages"][0]["content"])
    reply = kenshu.ask(text)
    sent = compatible.posts[0]["messages"][0]["content"]
    expected = mask(text)
    assert sent == expected.text
    assert reply == text   # the echo comes back unmasked, hand-written placeholders untouched
    for span in expected.spans:
        assert not compatible.saw(span.text)


def test_a_blocked_call_carries_what_and_todo_as_fields_of_the_403_body(openai_backend):
    client = llm.client()
    with pytest.raises(openai.PermissionDeniedError) as caught:
        client.chat.completions.create(model=OFFLINE_MODEL,
                                       messages=[{"role": "user", "content": f"個人番号 {MYNUMBER}"}])
    body = caught.value.body
    assert body["code"] == "kenshu_gate_blocked"
    assert "個人番号" in body["what"] and "対処" not in body["what"]
    assert body["todo"] and "対処" not in body["todo"]
    with pytest.raises(GateBlockedError) as blocked:
        kenshu.ask(f"個人番号 {MYNUMBER}")
    assert (blocked.value.what, blocked.value.todo) == (body["what"], body["todo"])
    assert openai_backend.posts == []
