"""The whole course recorded with ``kenshu record`` against a model server, then replayed on the offline backend
with the server down (issue 18): every cell shows what it showed live, with a 「【録画した応答（…）】」 line beside
the answers that ``kenshu.ask`` returned.

The server answers like the practice engine but signs its answers 「【テスト用サーバー】」, so an answer that the
replay took from the engine instead of the recording would show up as a difference.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import nbformat
from nbclient import NotebookClient

from kenshu.cli.record import record_notebooks
from kenshu.engine import handle
from kenshu.engine.api import ApiResponse
from kenshu.llm import recording
from kenshu.settings import OFFLINE_MODEL
from tests.support.grading_kit import ROOT, environment
from tests.support.openai_server import Behaviour, serve

LABEL = re.compile(r"【録画した応答（[^）]*）】")
WIDGET = "application/vnd.jupyter.widget-view+json"
ENGINE_SIGN, SERVER_SIGN, SERVER_MODEL = "【オフライン練習エンジン】", "【テスト用サーバー】", "test-model"


def _resign(payload: dict) -> dict:
    if "model" in payload:
        payload["model"] = SERVER_MODEL
    for choice in payload.get("choices", []):
        for part in ("message", "delta"):
            if isinstance(choice.get(part), dict) and isinstance(choice[part].get("content"), str):
                choice[part]["content"] = choice[part]["content"].replace(ENGINE_SIGN, SERVER_SIGN)
    return payload


def _server_answer(route: str, body: object) -> ApiResponse | None:
    """The engine's answer, signed as the server's own."""
    if route != "/v1/chat/completions":
        return None
    if not isinstance(body, dict) or body.get("model") != SERVER_MODEL:
        return None  # the engine's own answer (an error for any other model)
    answer = handle("POST", route, json.dumps({**body, "model": OFFLINE_MODEL}, ensure_ascii=False).encode("utf-8"))
    if answer.status != 200:
        return answer
    if isinstance(answer.body, bytes):
        return ApiResponse(200, json.dumps(_resign(json.loads(answer.body)), ensure_ascii=False).encode("utf-8"),
                           answer.headers)

    def events():
        for chunk in answer.body:
            lines = []
            for line in chunk.decode("utf-8").split("\n"):
                if line.startswith("data: {"):
                    line = "data: " + json.dumps(_resign(json.loads(line[6:])), ensure_ascii=False)
                lines.append(line)
            yield "\n".join(lines).encode("utf-8")

    return ApiResponse(200, events(), answer.headers)


def _as_replayed(text: str) -> str:
    """What a cell showing the settings shows on the replaying PC: the backend is the offline one there."""
    text = re.sub(r"(接続先[:：] ?)compatible", r"\1offline", text)
    text = re.sub(r"接続先: http://127\.0\.0\.1:\d+/v1/", "接続先: オフライン練習エンジン", text)
    return re.sub(rf"(モデル[:：] ?){SERVER_MODEL}", rf"\1{OFFLINE_MODEL}", text)


def _shown(notebook) -> list[str]:
    """Each code cell's outputs as one text (labels and widget views left out), and the labels apart."""
    shown = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.outputs:
            if output.get("output_type") == "stream":
                texts.append(output["text"])
            elif output.get("output_type") == "error":
                texts.append(f"ERROR {output['ename']}: {output['evalue']}")
            elif "data" in output and WIDGET not in output["data"]:
                texts.append(str(output["data"].get("text/plain", "")))
        shown.append(texts)
    return shown


def _run(paths, workers: int = 2) -> list[list[list[str]]]:
    """Run ``paths`` two at a time, in a thread of its own (a test before may have left an event loop running)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, _run_all(paths, workers)).result()


async def _run_all(paths, workers: int):
    limit = asyncio.Semaphore(workers)

    async def one(path):
        async with limit:
            notebook = nbformat.read(path, as_version=4)
            await NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                                 resources={"metadata": {"path": str(path.parent)}}).async_execute()
            return _shown(notebook)

    return await asyncio.gather(*(one(path) for path in paths))


def test_the_course_replayed_from_a_recording_shows_what_it_showed_live(tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(ROOT / "course", kit / "course", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "exercises" / "demo", kit / "exercises" / "demo")  # lesson 00 opens it
    lessons = sorted((kit / "course").glob("*.ipynb"))
    target = tmp_path / "録画.jsonl"
    saved = dict(os.environ)
    try:
        with serve(Behaviour(script=_server_answer)) as (url, _):
            os.environ.clear()
            os.environ.update(environment(KENSHU_BACKEND="compatible", OPENAI_BASE_URL=url, KENSHU_MODEL=SERVER_MODEL,
                                          KENSHU_AUDIT_LOG=str(tmp_path / "live.sqlite3")))
            assert record_notebooks(lessons, target) == 0  # every lesson ran without an error cell
            live = _run(lessons)  # the same lessons live once more, for their outputs
        os.environ.clear()
        os.environ.update(environment(KENSHU_RECORDING=str(target), KENSHU_AUDIT_LOG=str(tmp_path / "replay.sqlite3")))
        replayed = _run(lessons)
    finally:
        os.environ.clear()
        os.environ.update(saved)

    entries = recording.load(target)
    assert len(entries) > 100 and {entry.model for entry in entries.values()} == {SERVER_MODEL}
    labels, differences = 0, []
    for path, live_cells, replay_cells in zip(lessons, live, replayed, strict=True):
        assert not [t for texts in live_cells for t in texts if t.startswith("ERROR")], path.name
        assert not [t for texts in replay_cells for t in texts if t.startswith("ERROR")], path.name
        labels += sum(1 for texts in replay_cells for t in texts if LABEL.fullmatch(t))
        for number, (was, now) in enumerate(zip(live_cells, replay_cells, strict=True)):
            # the label sits between a cell's printed lines, which then arrive as several outputs: compare the text
            was, now = _as_replayed("".join(was)), "".join(t for t in now if not LABEL.fullmatch(t))
            if was != now:
                differences.append(f"{path.name} cell {number}:\n{was[:300]}\n!=\n{now[:300]}")
    assert not differences, "\n\n".join(differences)
    assert labels >= 20
