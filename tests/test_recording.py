"""Recording real answers where a model is reachable, replaying them with the server down (issue 18).

The "real" model is the tests' own OpenAI-compatible server on 127.0.0.1; replay runs on the offline backend
with that server stopped, so nothing can reach it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import nbformat
import pytest
import vcr
from nbclient import NotebookClient

import kenshu
from kenshu import llm
from kenshu.errors import KenshuError
from kenshu.llm import recording
from kenshu.settings import OFFLINE_MODEL
from tests.support.grading_kit import environment
from tests.support.openai_server import serve

PROMPTS = ["会議録を要約してください。\n\n本日の会議では、来年度の研修計画を決定した。",
           "次の文を丁寧な表現に直してください。\n\n明日までに書類を出してください。",
           "山田太郎さんへの案内文の下書きを作ってください。"]  # the name is masked before it is sent


def _stream(prompt: str) -> str:
    stream = llm.client().chat.completions.create(model=llm.model(), messages=[{"role": "user", "content": prompt}],
                                                  stream=True)
    return "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)


def _recording_from(monkeypatch, url: str, target) -> None:
    """This process set to the test server on the compatible backend, recording into ``target``."""
    monkeypatch.setenv("KENSHU_BACKEND", "compatible")
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("KENSHU_MODEL", OFFLINE_MODEL)
    monkeypatch.setenv(recording.RECORD_TO, str(target))


def test_answers_recorded_from_a_server_are_replayed_with_it_down_and_others_fall_back(tmp_path, monkeypatch):
    target = tmp_path / "録画.jsonl"
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(tmp_path / "audit.sqlite3"))
    with serve() as (url, behaviour):
        _recording_from(monkeypatch, url, target)
        live = [kenshu.ask(prompt) for prompt in PROMPTS]
        live_stream = _stream("箇条書きで三つ挙げてください。\n\n研修の準備、当日の進行、振り返り。")
        sent = [body for _, path, body in behaviour.bodies if path.endswith("/chat/completions")]
    assert "山田太郎" not in json.dumps(sent, ensure_ascii=False)  # recorded as the gate sent it: masked
    monkeypatch.delenv(recording.RECORD_TO)
    monkeypatch.setenv("KENSHU_BACKEND", "offline")
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.delenv("KENSHU_MODEL")
    monkeypatch.setenv("KENSHU_RECORDING", str(target))

    replayed = [kenshu.ask(prompt) for prompt in PROMPTS]
    assert replayed == live  # the text is the model's, unchanged: a learner's len() or json.loads() sees the same
    assert recording.label_of(llm.client().chat.completions.create(
        model=OFFLINE_MODEL, messages=[{"role": "user", "content": PROMPTS[1]}])) == f"【録画した応答（{OFFLINE_MODEL}・" \
        + recording.load(target)[recording.request_key({"messages": [{"role": "user", "content": PROMPTS[1]}]})].date + "）】"
    assert _stream("箇条書きで三つ挙げてください。\n\n研修の準備、当日の進行、振り返り。") == live_stream
    completion = llm.client().chat.completions.create(model=OFFLINE_MODEL,
                                                      messages=[{"role": "user", "content": PROMPTS[0]}])
    assert completion.model == OFFLINE_MODEL and completion.model_extra["kenshu_recording"]["backend"] == "compatible"
    other = llm.client().chat.completions.create(model=OFFLINE_MODEL, messages=[
        {"role": "user", "content": "録画にない質問です。日本の首都はどこですか？"}])
    assert recording.label_of(other) is None and other.model == OFFLINE_MODEL
    assert other.choices[0].message.content.startswith("【オフライン練習エンジン】")


def _wire_content(response: dict) -> str:
    """The answer text of a response as vcrpy saw it on the wire: JSON, or server-sent events joined."""
    body = response["body"]["string"]
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    if not text.lstrip().startswith("data:"):
        return json.loads(text)["choices"][0]["message"]["content"]
    chunks = [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:") and "[DONE]" not in line]
    return "".join(chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks if chunk.get("choices"))


def test_what_kenshu_records_is_what_vcrpy_saw_on_the_wire(tmp_path, monkeypatch):
    """An independent record of the same traffic (vcrpy's cassette) holds the same requests and answers."""
    target = tmp_path / "録画.jsonl"
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(tmp_path / "audit.sqlite3"))
    with serve() as (url, _):
        _recording_from(monkeypatch, url, target)
        with vcr.use_cassette(str(tmp_path / "cassette.yaml"), record_mode="all") as cassette:
            for prompt in PROMPTS:
                kenshu.ask(prompt)
            _stream("箇条書きで三つ挙げてください。\n\n研修の準備、当日の進行、振り返り。")
    wire = [(json.loads(request.body), response)
            for request, response in zip(cassette.requests, cassette.responses, strict=True) if request.path.endswith("/chat/completions") and response["status"]["code"] == 200]
    entries = recording.load(target)
    assert len(wire) == len(entries) == len(PROMPTS) + 1
    for body, response in wire:
        entry = entries[recording.request_key(body)]  # the request as it went out, masked by the gate
        assert entry.request["messages"] == body["messages"]
        assert entry.content() == _wire_content(response)
    assert "山田太郎" not in target.read_text(encoding="utf-8")


def test_a_corrupt_or_foreign_recording_is_a_japanese_message(tmp_path, monkeypatch):
    broken = tmp_path / "壊れた.jsonl"
    broken.write_text('{"format": "kenshu-recording", "version": 1}\n{not json\n', encoding="utf-8")
    foreign = tmp_path / "別物.jsonl"
    foreign.write_text('{"hello": 1}\n', encoding="utf-8")
    for path, words in ((broken, "壊れています"), (foreign, "録画ファイルではありません"), (tmp_path / "無い.jsonl", "見つかりません")):
        monkeypatch.setenv("KENSHU_RECORDING", str(path))
        with pytest.raises(KenshuError) as caught:
            kenshu.ask("テスト")
        shown = "\n".join(caught.value._render_traceback_())
        assert words in shown and "Traceback" not in shown and "KENSHU_RECORDING" in shown


def _recording_with(tmp_path, answer: str):
    path = tmp_path / "録画.jsonl"
    request = {"model": "m", "messages": [{"role": "user", "content": "案内文を作ってください。"}]}
    response = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}]}
    recording.append(path, request, response, backend="openai")
    return path


def _kenshu(*args: str, cwd, **env: str):
    return subprocess.run([sys.executable, "-m", "kenshu", *args], cwd=cwd, env=environment(**env),
                          capture_output=True, text=True, encoding="utf-8", timeout=600)


def test_record_check_refuses_a_shareable_copy_while_an_answer_holds_a_name(tmp_path):
    flagged = _recording_with(tmp_path, "担当の佐藤 花子さん（電話 090-1234-5678）までご連絡ください。")
    done = _kenshu("record", "check", str(flagged), "--out", str(tmp_path / "配布用.jsonl"), cwd=tmp_path)
    assert done.returncode == 1 and "個人情報の疑い" in done.stdout and "配布用のファイルは作りません" in done.stdout
    assert not (tmp_path / "配布用.jsonl").exists()
    clean_folder = tmp_path / "clean"
    clean_folder.mkdir()
    clean = _recording_with(clean_folder, "ご不明な点は、総務課までお問い合わせください。")
    done = _kenshu("record", "check", str(clean), "--out", str(clean_folder / "配布用.jsonl"), cwd=clean_folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (clean_folder / "配布用.jsonl").read_bytes() == clean.read_bytes()


CELLS = ["import kenshu", 'print(kenshu.ask("会議録を要約してください。\\n\\n本日の会議では、新しい窓口の開設日を決定した。"))',
         'print(kenshu.ask("次の文をやさしい日本語にしてください。\\n\\n申請書を提出してください。"))']


def test_kenshu_record_runs_a_notebook_and_the_replay_gives_the_same_outputs(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    path = tmp_path / "練習.ipynb"
    nbformat.write(notebook, path)
    target = tmp_path / "録画.jsonl"
    with serve() as (url, _):
        done = _kenshu("record", str(path), "--out", str(target), cwd=tmp_path, KENSHU_BACKEND="compatible",
                       OPENAI_BASE_URL=url, KENSHU_MODEL=OFFLINE_MODEL,
                       KENSHU_AUDIT_LOG=str(tmp_path / "audit.sqlite3"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 件の応答" in done.stdout
    recorded = nbformat.read(path, as_version=4)  # the file itself is left as it was
    assert not any(cell.outputs for cell in recorded.cells)

    saved = dict(os.environ)
    try:
        os.environ.update(environment(KENSHU_RECORDING=str(target), KENSHU_AUDIT_LOG=str(tmp_path / "replay.sqlite3")))
        replay = nbformat.read(path, as_version=4)
        NotebookClient(replay, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    entries = list(recording.load(target).values())
    for cell, entry in zip(replay.cells[1:], entries, strict=True):
        label, printed = cell.outputs  # the label beside the answer, then the learner's print
        assert label["data"]["text/plain"] == entry.label()
        assert printed["text"].rstrip("\n") == entry.content()


WRITER = """
import os, sys, time
from kenshu.llm import recording
while not os.path.exists(sys.argv[3]):  # all start at once, onto a file none has created yet
    time.sleep(0.001)
for number in range(60):
    text = f"writer {sys.argv[2]} answer {number} " + "長い応答。" * 3000  # past any write buffer
    recording.append(sys.argv[1], {"model": "m", "messages": [{"role": "user", "content": text}]},
                     {"model": "m", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]},
                     backend="compatible")
"""


def test_kernels_recording_into_one_file_at_once_lose_and_mix_nothing(tmp_path):
    target = tmp_path / "録画.jsonl"
    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(number), str(go)], env=environment())
               for number in range(4)]
    time.sleep(3)  # until they are all waiting
    go.touch()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0, 0]
    entries = recording.load(target)
    assert len(entries) == 240
    assert all(entry.content() == entry.request["messages"][0]["content"] for entry in entries.values())
