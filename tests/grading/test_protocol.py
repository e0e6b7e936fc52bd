"""The grading processes' messages: each survives its JSON form, and anything malformed is a ProtocolError."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kenshu.grading.isolated import last_answer
from kenshu.grading.protocol import (
    CallFunction,
    CellResult,
    CellRun,
    Display,
    Failed,
    Flag,
    GetValue,
    GradingAnswer,
    GradingCell,
    GradingRequest,
    Limits,
    ListNames,
    Missing,
    NameInfo,
    Names,
    NotPlain,
    ProtocolError,
    Raised,
    RaisedError,
    Ready,
    RunCell,
    Setup,
    Value,
    decode_reply,
    decode_request,
    error_output,
    stream_output,
)

REFUSED = Flag("refused", "ファイル /etc/passwd を読もうとした")
ERROR = RaisedError("ValueError", "空です", ("Traceback …", "ValueError: 空です"), builtin=True)

REQUESTS = [
    RunCell(id=1, source="answer_q1 = 'B'\nprint('済')"),
    ListNames(id=2),
    GetValue(id=3, name="answer_q1"),
    CallFunction(id=4, name="count_chars", args=["一行目 二行目"], kwargs={"strip": True}),
    CallFunction(id=5, name="is_valid", args=False, kwargs=None),
]
REPLIES = [
    Ready(),
    Ready(error="PermissionError: 準備できません"),
    CellRun(id=1, stdout="済\n", stderr="", flags=(REFUSED,),
            displays=(Display("execute_result", {"text/plain": "3"}),
                      Display("display_data", {"text/html": "<b>表</b>", "application/json": {"件数": [1, 2]}}))),
    CellRun(id=1, error=ERROR),
    Names(id=2, names={"answer_q1": NameInfo("value"), "count_chars": NameInfo("function", "__main__"),
                       "pd": NameInfo("module", "pandas"), "Yes": NameInfo("class")}),
    Value(id=3, value={"type": "str", "value": "B"}),
    Value(id=3, value=None),
    Value(id=3, value=True),
    Value(id=3, value=0),
    Missing(id=3),
    Raised(id=4, error=ERROR, flags=(REFUSED, Flag("sys_exit", "sys.exit() などで処理を終了させようとした"))),
    NotPlain(id=4, reason="受講者が作ったクラスのオブジェクトは受け付けません"),
    Failed(id=4, reason="引数を受け取れませんでした"),
]
SETUP = Setup("/tmp/kenshu-grading-x", ["/kit/datasets"], ["/kit/solutions"], Limits(memory_mb=1536))
GRADING_REQUEST = GradingRequest(
    [GradingCell(0, "learner", "answer_q1 = 'B'"), GradingCell(1, "test", "assert answer_q1 == 'B'", "q1_test")],
    files="/kit/solutions/demo", denied=["/kit/solutions/demo"], limits=Limits(cell_seconds=5, total_seconds=30))
GRADING_ANSWER = GradingAnswer(
    {0: CellResult([stream_output("stdout", "済\n")], 1),
     1: CellResult([error_output("AssertionError", "問1 の答えが違います。")], 2, False, "問1 の答えが違います。"),
     2: CellResult([], 3, None, "非公開のテストだけのセルです（正式な採点で確かめます）。")},
    [Flag("timeout", "60 秒以内に終わらない処理があった", "q2_test")])


def _name(message) -> str:
    return type(message).__name__


@pytest.mark.parametrize("request_", REQUESTS, ids=_name)
def test_every_request_survives_its_json_line(request_):
    line = request_.to_json()
    assert "\n" not in line
    assert decode_request(line) == request_


@pytest.mark.parametrize("reply", REPLIES, ids=_name)
def test_every_reply_survives_its_json_line(reply):
    line = reply.to_json()
    assert "\n" not in line
    assert decode_reply(line) == reply
    assert decode_reply(line.encode("utf-8")) == reply  # as read from the pipe


def test_setup_grading_request_and_grading_answer_survive_their_json():
    assert Setup.from_json(SETUP.to_json()) == SETUP
    assert GradingRequest.from_json(GRADING_REQUEST.to_json()) == GRADING_REQUEST
    assert GradingAnswer.from_json(GRADING_ANSWER.to_json()) == GRADING_ANSWER
    assert GradingAnswer.from_json(GradingAnswer.failed("採点できません").to_json()).error == "採点できません"


ALL_LINES = ([(decode_request, m.to_json()) for m in REQUESTS] + [(decode_reply, m.to_json()) for m in REPLIES]
             + [(Setup.from_json, SETUP.to_json()), (GradingRequest.from_json, GRADING_REQUEST.to_json()),
                (GradingAnswer.from_json, GRADING_ANSWER.to_json())])


@pytest.mark.parametrize("decode, line", ALL_LINES, ids=[f"{d.__qualname__}-{i}" for i, (d, _) in enumerate(ALL_LINES)])
def test_a_line_cut_short_anywhere_is_a_protocol_error(decode, line):
    for cut in range(len(line)):
        with pytest.raises(ProtocolError):
            decode(line[:cut])


def test_a_line_cut_inside_a_japanese_character_is_a_protocol_error():
    raw = Failed(id=1, reason="引数を受け取れませんでした").to_json().encode("utf-8")
    with pytest.raises(ProtocolError):
        decode_reply(raw[:raw.index("引".encode()) + 1])


def _changed(message, **changes) -> str:
    data = json.loads(message.to_json())
    for key, value in changes.items():
        if value is ...:
            del data[key]
        else:
            data[key] = value
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("decode, line, named", [
    (decode_request, _changed(RunCell(id=1, source="x"), source=...), "'source' is missing"),
    (decode_request, _changed(RunCell(id=1, source="x"), id="1"), "'id' must be an integer"),
    (decode_request, _changed(RunCell(id=1, source="x"), id=True), "'id' must be an integer"),
    (decode_request, _changed(RunCell(id=1, source="x"), op="exec"), "'op' must be one of"),
    (decode_request, _changed(CallFunction(id=1, name="f", args=[], kwargs={}), kwargs=...), "'kwargs' is missing"),
    (decode_reply, _changed(CellRun(id=1), stdout=3), "'stdout' must be a string"),
    (decode_reply, _changed(CellRun(id=1), displays=[{"output_type": "stream", "data": {}}]), "'output_type'"),
    (decode_reply, _changed(CellRun(id=1), error={"ename": "ValueError"}), "'evalue' is missing"),
    (decode_reply, _changed(CellRun(id=1), flags=[{"code": "refused"}]), "'reason' is missing"),
    (decode_reply, _changed(Names(id=1, names={}), names={"x": {"kind": "object"}}), "'kind' must be one of"),
    (decode_reply, _changed(Names(id=1, names={}), names=["x"]), "'names' must be an object"),
    (decode_reply, _changed(Value(id=1, value=1), value=...), "'value' is missing"),
    (decode_reply, _changed(Raised(id=1, error=ERROR), error="ValueError"), "expected a JSON object"),
    (decode_reply, _changed(Missing(id=1), reply="everything_passed"), "'reply' must be one of"),
    (decode_reply, _changed(Missing(id=1), id=...), "'id' is missing"),
    (decode_reply, '["reply", "value"]', "expected a JSON object, got list"),
    (decode_reply, "42", "expected a JSON object, got int"),
    (Setup.from_json, _changed(SETUP, limits={"memory_mb": 1}), "'cell_seconds' is missing"),
    (GradingRequest.from_json, _changed(GRADING_REQUEST, cells=[{"index": 0, "kind": "answer", "source": ""}]),
     "'kind' must be one of"),
    (GradingAnswer.from_json, _changed(GRADING_ANSWER, cells={"first": {}}), "not a cell index"),
    (GradingAnswer.from_json, _changed(GRADING_ANSWER, cells={"1": {"outputs": [], "execution_count": 1,
                                                                   "passed": "yes", "message": ""}}),
     "'passed' must be true, false or null"),
])
def test_a_malformed_message_is_a_protocol_error_naming_the_field(decode, line, named):
    with pytest.raises(ProtocolError) as raised:
        decode(line)
    assert named in str(raised.value)


def test_the_answer_is_the_last_whole_answer_line_of_the_runners_output():
    printed = "ライブラリーの警告\n" + GRADING_ANSWER.to_json() + "\n"
    assert last_answer(printed) == GRADING_ANSWER
    assert last_answer("ライブラリーの警告\n" + GRADING_ANSWER.to_json()[:-3]) is None  # the runner died mid-line
    assert last_answer("") is None


def _run_module(module: str, stdin: str) -> str:
    done = subprocess.run([sys.executable, "-I", "-X", "utf8", "-m", module], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    return done.stdout


def test_the_runner_answers_a_malformed_request_with_a_japanese_reason():
    answer = last_answer(_run_module("kenshu.grading.runner", '{"cells": [{"index": 0, "kind": "lea'))
    assert answer is not None and answer.cells == {}
    assert answer.error.startswith("採点の準備中に問題が起きました（ProtocolError: ")


def test_the_sandbox_answers_a_malformed_setup_with_not_ready():
    reply = decode_reply(_run_module("kenshu.grading.sandbox", '{"workdir": "/tmp"}\n').strip().splitlines()[-1])
    assert isinstance(reply, Ready)
    assert reply.error is not None and "'readable' is missing" in reply.error
