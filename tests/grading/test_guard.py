"""The sandbox's rules, checked on a Guard object directly (the hook itself is installed only in the sandbox)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kenshu.grading.guard import Guard


@pytest.fixture()
def guard(tmp_path):
    work, data, secret = tmp_path / "sandbox", tmp_path / "datasets", tmp_path / "kit" / "solutions"
    for folder in (work, data, secret):
        folder.mkdir(parents=True, exist_ok=True)
    refusals: list[tuple[str, str]] = []
    made = Guard(work, [data, tmp_path / "kit"], lambda event, reason: refusals.append((event, reason)),
                 denied=[secret])
    made.refusals = refusals  # type: ignore[attr-defined]
    return made, work, data, secret


def test_reading_and_writing_inside_the_work_folder_is_allowed(guard):
    g, work, data, _ = guard
    g("open", (str(work / "out.txt"), "w", 0))
    g("open", (str(data / "faq.csv"), "r", 0))
    g("os.listdir", (str(data),))
    g("sqlite3.connect", (str(work / "audit.sqlite3"),))
    g("sqlite3.connect", (":memory:",))
    assert not g.refusals


def test_reading_the_solutions_is_refused_even_inside_a_readable_folder(guard):
    g, work, _, secret = guard
    with pytest.raises(PermissionError, match="採点中は使えない操作です"):
        g("open", (str(secret / "demo" / "demo.ipynb"), "r", 0))
    with pytest.raises(PermissionError):
        g("os.scandir", (str(secret),))
    assert "読もうとした" in g.refusals[0][1]


def test_a_relative_path_that_climbs_out_is_judged_by_where_it_leads(guard, monkeypatch):
    g, work, _, secret = guard
    monkeypatch.chdir(work)
    with pytest.raises(PermissionError):
        g("open", (os.path.relpath(secret / "x.ipynb", work), "r", 0))


def test_writing_outside_the_work_folder_is_refused(guard, tmp_path):
    g, _, data, _ = guard
    with pytest.raises(PermissionError, match="書こうとした"):
        g("open", (str(data / "faq.csv"), "a", 0))
    with pytest.raises(PermissionError):
        g("open", (str(data / "x"), None, os.O_WRONLY | os.O_CREAT))  # os.open passes flags, not a mode
    with pytest.raises(PermissionError):
        g("os.remove", (str(data / "faq.csv"),))
    with pytest.raises(PermissionError):
        g("sqlite3.connect", (str(tmp_path / "kit" / "grader" / "gradebook.db"),))


@pytest.mark.parametrize("event", ["subprocess.Popen", "os.system", "os.fork", "os.kill", "socket.connect",
                                   "ctypes.dlopen", "resource.setrlimit", "sys.addaudithook"])
def test_escaping_events_are_refused(guard, event):
    g, *_ = guard
    with pytest.raises(PermissionError):
        g(event, ())
    assert g.refusals and g.refusals[-1][0] == event


def test_file_descriptors_and_unrelated_events_pass(guard):
    g, *_ = guard
    g("open", (3, "r", 0))
    g("exec", (compile("1", "<x>", "eval"),))
    g("import", ("json", None, [], [], []))
    assert not g.refusals


def test_the_system_python_folders_are_readable(guard):
    import json

    g, *_ = guard
    from kenshu.grading.guard import python_folders

    assert any(Path(json.__file__).resolve().is_relative_to(p.resolve()) for p in python_folders())
