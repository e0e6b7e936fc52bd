"""Lessons recorded against a model server, then replayed on the offline backend with the server down (issue 18):
every cell shows what it showed live, with a 「【録画した応答（…）】」 line beside the model's answers."""

from __future__ import annotations

import os
import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from kenshu.llm import recording
from kenshu.settings import OFFLINE_MODEL
from tests.support.grading_kit import ROOT, environment
from tests.support.openai_server import serve

LESSONS = ["04_prompt_basics.ipynb", "07_translation_by_scene.ipynb"]
LABEL = re.compile(r"【録画した応答（[^）]*）】")
WIDGET = "application/vnd.jupyter.widget-view+json"


def _run(path, env: dict[str, str]) -> list[list[str]]:
    """Each code cell's outputs as text (widget views left out: their ids change from run to run)."""
    notebook = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    shown = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.outputs:
            if output.get("output_type") == "stream":
                texts.append(output["text"])
            elif "data" in output and WIDGET not in output["data"]:
                texts.append(str(output["data"].get("text/plain", "")))
            elif output.get("output_type") == "error":
                texts.append(f"ERROR {output['ename']}")
        shown.append(texts)
    return shown


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_replayed_from_a_recording_shows_what_it_showed_live(lesson, tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "course" / lesson, course / lesson)
    target = tmp_path / "録画.jsonl"
    with serve() as (url, _):
        live = _run(course / lesson, environment(KENSHU_BACKEND="compatible", OPENAI_BASE_URL=url,
                                                 KENSHU_MODEL=OFFLINE_MODEL, KENSHU_AUDIT_LOG=str(tmp_path / "a.sqlite3"),
                                                 **{recording.RECORD_TO: str(target)}))
    assert len(recording.load(target)) >= 3
    replayed = _run(course / lesson, environment(KENSHU_RECORDING=str(target), KENSHU_AUDIT_LOG=str(tmp_path / "b.sqlite3")))
    assert not any("ERROR" in text for texts in live for text in texts)
    labels = [text for texts in replayed for text in texts if LABEL.fullmatch(text)]
    assert len(labels) >= 3
    # the label sits between a cell's printed lines, so they arrive as several stream outputs: compare the text
    assert ["".join(text for text in texts if not LABEL.fullmatch(text)) for texts in replayed] == \
        ["".join(texts) for texts in live]
