"""The messages between the grading processes, and their one JSON form.

Two channels:

* the caller (``kenshu.grading.isolated``) and the test process (``kenshu.grading.runner``): a
  ``GradingRequest`` on the runner's stdin; a ``GradingAnswer`` as the last line of its stdout;
* the test process (``kenshu.grading.learner_process``) and the learner's sandbox
  (``kenshu.grading.sandbox``), one JSON object per line: ``Setup`` first, answered by ``Ready``;
  then requests (``RunCell``, ``ListNames``, ``GetValue``, ``CallFunction``), each answered by a
  reply with the same id (``CellRun``, ``Names``, ``Value``, ``Missing``, ``Raised``, ``NotPlain``,
  or ``Failed`` when the sandbox could not handle the request).

Values and arguments are plain data (``kenshu.grading.plain``); cell outputs are nbformat output
dicts.  Decoding checks every field and raises ``ProtocolError`` for anything else: what the sandbox
says is untrusted, and a process that dies can leave half a line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, TypeVar

CELL_KINDS = ("learner", "test")
NAME_KINDS = ("function", "value", "module", "class")
DISPLAY_KINDS = ("display_data", "execute_result")
OUTPUT_KINDS = ("stream", "error", *DISPLAY_KINDS)

T = TypeVar("T")


class ProtocolError(ValueError):
    """A message that is not JSON, or not of the shape its channel expects."""


# --- reading fields ---------------------------------------------------------------------------

_REQUIRED = object()


class _Fields:
    """Typed access to one JSON object's fields; every mistake is a ProtocolError naming the field."""

    def __init__(self, data: Any, what: str):
        if not isinstance(data, dict):
            raise ProtocolError(f"{what}: expected a JSON object, got {type(data).__name__}")
        self.data = data
        self.what = what

    def _get(self, key: str, kinds: tuple[type, ...], expected: str, default: Any = _REQUIRED) -> Any:
        if key not in self.data:
            if default is _REQUIRED:
                raise ProtocolError(f"{self.what}: field {key!r} is missing")
            return default
        value = self.data[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and int in kinds and bool not in kinds):
            raise ProtocolError(f"{self.what}: field {key!r} must be {expected}, got {type(value).__name__}")
        return value

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        return self._get(key, (str,), "a string", default)

    def text_or_none(self, key: str) -> str | None:
        return self._get(key, (str, type(None)), "a string or null", None)

    def integer(self, key: str) -> int:
        return self._get(key, (int,), "an integer")

    def integer_or_none(self, key: str) -> int | None:
        return self._get(key, (int, type(None)), "an integer or null", None)

    def number(self, key: str) -> float | int:
        return self._get(key, (int, float), "a number")

    def boolean(self, key: str, default: Any = _REQUIRED) -> bool:
        return self._get(key, (bool,), "true or false", default)

    def boolean_or_none(self, key: str) -> bool | None:
        return self._get(key, (bool, type(None)), "true, false or null", None)

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in options:
            raise ProtocolError(f"{self.what}: field {key!r} must be one of {', '.join(options)}, got {value!r}")
        return value

    def texts(self, key: str) -> list[str]:
        items = self._get(key, (list,), "a list")
        if not all(isinstance(item, str) for item in items):
            raise ProtocolError(f"{self.what}: field {key!r} must be a list of strings")
        return items

    def each(self, key: str, read: Callable[[Any, str], T]) -> list[T]:
        items = self._get(key, (list,), "a list")
        return [read(item, f"{self.what}.{key}[{index}]") for index, item in enumerate(items)]

    def mapping(self, key: str) -> dict:
        return self._get(key, (dict,), "an object")

    def present(self, key: str) -> Any:
        return self._get(key, (object,), "any JSON value")


def _load(text: str | bytes, what: str) -> _Fields:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ProtocolError(f"{what}: not a complete JSON message ({error})") from None
    return _Fields(data, what)


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


# --- shared pieces ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Flag:
    """Something the trainer should look at (``cell`` is the grade id or セルN, once the runner knows it)."""

    code: str
    reason: str
    cell: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, what: str = "flag") -> Flag:
        read = _Fields(data, what)
        return cls(read.text("code"), read.text("reason"), read.text_or_none("cell"))


@dataclass
class Limits:
    """Per-cell time, and the sandbox's memory, CPU and file-size ceilings (POSIX only for the last three)."""

    cell_seconds: float = 60.0
    total_seconds: float = 600.0
    memory_mb: int = 2048
    cpu_seconds: int = 600
    file_mb: int = 64

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, what: str = "limits") -> Limits:
        read = _Fields(data, what)
        return cls(cell_seconds=read.number("cell_seconds"), total_seconds=read.number("total_seconds"),
                   memory_mb=read.integer("memory_mb"), cpu_seconds=read.integer("cpu_seconds"),
                   file_mb=read.integer("file_mb"))


@dataclass(frozen=True)
class RaisedError:
    """An exception in the learner's code: its class name, message and (display) traceback lines.

    ``builtin`` says the class is a built-in exception, which the tests may see as the same kind.
    """

    ename: str
    evalue: str
    traceback: tuple[str, ...] = ()
    builtin: bool = False

    def to_dict(self) -> dict:
        return {"ename": self.ename, "evalue": self.evalue, "traceback": list(self.traceback),
                "builtin": self.builtin}

    @classmethod
    def from_dict(cls, data: Any, what: str = "error") -> RaisedError:
        read = _Fields(data, what)
        return cls(read.text("ename"), read.text("evalue"), tuple(read.texts("traceback")),
                   read.boolean("builtin", False))

    def as_output(self) -> dict:
        """The nbformat error output showing this error."""
        return error_output(self.ename, self.evalue, list(self.traceback))


def stream_output(name: str, text: str) -> dict:
    """An nbformat stream output (``name`` is stdout or stderr)."""
    return {"output_type": "stream", "name": name, "text": text}


def error_output(ename: str, evalue: str, traceback: list[str] | None = None) -> dict:
    """An nbformat error output; without a traceback, one line ``ename: evalue``."""
    return {"output_type": "error", "ename": ename, "evalue": evalue,
            "traceback": traceback or [f"{ename}: {evalue}"]}


def _output(data: Any, what: str) -> dict:
    read = _Fields(data, what)
    read.choice("output_type", OUTPUT_KINDS)
    return data


# --- caller ⇄ test process (kenshu.grading.isolated ⇄ kenshu.grading.runner) ------------------

@dataclass(frozen=True)
class GradingCell:
    """One code cell to grade, in notebook order: ``learner`` (answers and other code) or ``test``."""

    index: int
    kind: str
    source: str
    grade_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in CELL_KINDS:
            raise ProtocolError(f"grading cell: kind must be one of {', '.join(CELL_KINDS)}, got {self.kind!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, what: str = "cell") -> GradingCell:
        read = _Fields(data, what)
        return cls(read.integer("index"), read.choice("kind", CELL_KINDS), read.text("source"),
                   read.text_or_none("grade_id"))


@dataclass(frozen=True)
class GradingRequest:
    """What to grade: the cells, the folder of supporting files, folders the learner must not read, limits."""

    cells: list[GradingCell]
    files: str | None = None
    denied: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)

    def to_json(self) -> str:
        return _dump({"cells": [cell.to_dict() for cell in self.cells], "files": self.files,
                      "denied": list(self.denied), "limits": self.limits.to_dict()})

    @classmethod
    def from_json(cls, text: str | bytes) -> GradingRequest:
        read = _load(text, "grading request")
        return cls(read.each("cells", GradingCell.from_dict), read.text_or_none("files"), read.texts("denied"),
                   Limits.from_dict(read.mapping("limits"), "grading request.limits"))


@dataclass(frozen=True)
class CellResult:
    """One graded cell: its nbformat outputs, and for a test cell whether it passed and why not.

    ``passed`` is None for an answer cell, and for a test cell with nothing to run here (hidden tests only).
    A cell's value (``execute_result``) carries the cell's execution count, as nbformat requires.
    """

    outputs: list[dict]
    execution_count: int | None
    passed: bool | None = None
    message: str = ""

    def __post_init__(self) -> None:
        for output in self.outputs:
            if isinstance(output, dict) and output.get("output_type") == "execute_result":
                output["execution_count"] = self.execution_count

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, what: str = "cell result") -> CellResult:
        read = _Fields(data, what)
        return cls(read.each("outputs", _output), read.integer_or_none("execution_count"),
                   read.boolean_or_none("passed"), read.text("message"))


@dataclass(frozen=True)
class GradingAnswer:
    """The test process's answer: results by cell index and flags, or the Japanese reason it could not grade."""

    cells: dict[int, CellResult]
    flags: list[Flag] = field(default_factory=list)
    error: str | None = None

    @classmethod
    def failed(cls, reason: str) -> GradingAnswer:
        return cls({}, [], reason)

    def to_json(self) -> str:
        return _dump({"cells": {str(index): result.to_dict() for index, result in self.cells.items()},
                      "flags": [flag.to_dict() for flag in self.flags], "error": self.error})

    @classmethod
    def from_json(cls, text: str | bytes) -> GradingAnswer:
        read = _load(text, "grading answer")
        cells = {}
        for key, value in read.mapping("cells").items():
            if not key.isdecimal():
                raise ProtocolError(f"grading answer: cell key {key!r} is not a cell index")
            cells[int(key)] = CellResult.from_dict(value, f"grading answer.cells[{key}]")
        return cls(cells, read.each("flags", Flag.from_dict), read.text_or_none("error"))


# --- test process ⇄ sandbox (kenshu.grading.learner_process ⇄ kenshu.grading.sandbox) ---------

@dataclass(frozen=True)
class Setup:
    """The sandbox's first line: its folder, what it may read, what it must not, and its ceilings."""

    workdir: str
    readable: list[str]
    denied: list[str]
    limits: Limits
    no_new_processes: bool = True

    def to_json(self) -> str:
        return _dump({"workdir": self.workdir, "readable": list(self.readable), "denied": list(self.denied),
                      "limits": self.limits.to_dict(), "no_new_processes": self.no_new_processes})

    @classmethod
    def from_json(cls, text: str | bytes) -> Setup:
        read = _load(text, "setup")
        return cls(read.text("workdir"), read.texts("readable"), read.texts("denied"),
                   Limits.from_dict(read.mapping("limits"), "setup.limits"), read.boolean("no_new_processes"))


@dataclass(frozen=True, kw_only=True)
class Message:
    """A request or reply on the sandbox channel; a reply carries its request's ``id``."""

    id: int = 0

    def to_dict(self) -> dict:
        raise NotImplementedError

    def to_json(self) -> str:
        return _dump(self.to_dict())


# requests: the grader asks, the sandbox answers


@dataclass(frozen=True)
class Request(Message):
    op: ClassVar[str]
    replies: ClassVar[tuple[type[Reply], ...]]  # besides Failed

    def to_dict(self) -> dict:
        return {"op": self.op, "id": self.id, **{f.name: getattr(self, f.name) for f in fields(self) if f.name != "id"}}


@dataclass(frozen=True)
class RunCell(Request):
    """Run one answer cell."""

    op: ClassVar[str] = "run"
    source: str


@dataclass(frozen=True)
class ListNames(Request):
    """The learner's names and what each is (function, value, module, class)."""

    op: ClassVar[str] = "names"


@dataclass(frozen=True)
class GetValue(Request):
    """A learner's variable, as plain data."""

    op: ClassVar[str] = "get"
    name: str


@dataclass(frozen=True)
class CallFunction(Request):
    """Call a learner's function; ``args`` and ``kwargs`` are plain data (``kenshu.grading.plain``)."""

    op: ClassVar[str] = "call"
    name: str
    args: Any
    kwargs: Any


_REQUEST_READERS: dict[str, Callable[[_Fields, int], Request]] = {
    "run": lambda read, id: RunCell(id=id, source=read.text("source")),
    "names": lambda read, id: ListNames(id=id),
    "get": lambda read, id: GetValue(id=id, name=read.text("name")),
    "call": lambda read, id: CallFunction(id=id, name=read.text("name"), args=read.present("args"),
                                          kwargs=read.present("kwargs")),
}


def decode_request(line: str | bytes) -> Request:
    """One request line, as sent by the grader."""
    read = _load(line, "request")
    return _REQUEST_READERS[read.choice("op", tuple(_REQUEST_READERS))](read, read.integer("id"))


# replies: what the sandbox says (untrusted)


@dataclass(frozen=True, kw_only=True)
class Reply(Message):
    """Every reply carries the flags the sandbox raised while answering (refusals, tampering)."""

    reply: ClassVar[str]
    flags: tuple[Flag, ...] = ()

    def to_dict(self) -> dict:
        return {"reply": self.reply, "id": self.id, "flags": [flag.to_dict() for flag in self.flags],
                **self._body()}

    def _body(self) -> dict:
        return {}


@dataclass(frozen=True)
class Ready(Reply):
    """The answer to ``Setup``: ready, or the reason the sandbox could not start."""

    reply: ClassVar[str] = "ready"
    error: str | None = None

    def _body(self) -> dict:
        return {"error": self.error}


@dataclass(frozen=True)
class Display:
    """What the learner's code displayed (``display_data``) or a cell's value (``execute_result``)."""

    output_type: str
    data: dict[str, Any]

    def to_dict(self) -> dict:
        return {"output_type": self.output_type, "data": self.data}

    @classmethod
    def from_dict(cls, data: Any, what: str = "display") -> Display:
        read = _Fields(data, what)
        return cls(read.choice("output_type", DISPLAY_KINDS), read.mapping("data"))

    def as_output(self) -> dict:
        return {"output_type": self.output_type, "data": self.data, "metadata": {}}


@dataclass(frozen=True)
class CellRun(Reply):
    """The answer to ``RunCell``: what the cell printed and displayed, and its error if it raised one."""

    reply: ClassVar[str] = "cell_run"
    stdout: str = ""
    stderr: str = ""
    displays: tuple[Display, ...] = ()
    error: RaisedError | None = None

    def _body(self) -> dict:
        return {"stdout": self.stdout, "stderr": self.stderr, "displays": [d.to_dict() for d in self.displays],
                "error": self.error.to_dict() if self.error else None}


@dataclass(frozen=True)
class NameInfo:
    """What a learner's name holds; ``module`` is where a function or module comes from."""

    kind: str
    module: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, what: str = "name") -> NameInfo:
        read = _Fields(data, what)
        return cls(read.choice("kind", NAME_KINDS), read.text("module", ""))


@dataclass(frozen=True)
class Names(Reply):
    """The answer to ``ListNames``."""

    reply: ClassVar[str] = "names"
    names: dict[str, NameInfo]

    def _body(self) -> dict:
        return {"names": {name: info.to_dict() for name, info in self.names.items()}}


@dataclass(frozen=True)
class Value(Reply):
    """A value or a function's result, as plain data (``kenshu.grading.plain``)."""

    reply: ClassVar[str] = "value"
    value: Any

    def _body(self) -> dict:
        return {"value": self.value}


@dataclass(frozen=True)
class Missing(Reply):
    """The learner has no such name (or it is not a function, for ``CallFunction``)."""

    reply: ClassVar[str] = "missing"


@dataclass(frozen=True)
class Raised(Reply):
    """The learner's code raised an exception while the value was read or the function ran."""

    reply: ClassVar[str] = "raised"
    error: RaisedError

    def _body(self) -> dict:
        return {"error": self.error.to_dict()}


@dataclass(frozen=True)
class NotPlain(Reply):
    """The value cannot be handed to the tests; ``reason`` says why (Japanese)."""

    reply: ClassVar[str] = "not_plain"
    reason: str

    def _body(self) -> dict:
        return {"reason": self.reason}


@dataclass(frozen=True)
class Failed(Reply):
    """The sandbox could not handle the request at all."""

    reply: ClassVar[str] = "failed"
    reason: str

    def _body(self) -> dict:
        return {"reason": self.reason}


RunCell.replies = (CellRun,)
ListNames.replies = (Names,)
GetValue.replies = CallFunction.replies = (Value, Missing, Raised, NotPlain)


def _names(read: _Fields) -> dict[str, NameInfo]:
    return {name: NameInfo.from_dict(info, f"reply.names[{name!r}]") for name, info in read.mapping("names").items()}


def _error_or_none(read: _Fields) -> RaisedError | None:
    error = read.present("error")
    return None if error is None else RaisedError.from_dict(error, "reply.error")


_REPLY_READERS: dict[str, Callable[[_Fields], dict]] = {
    "ready": lambda read: {"error": read.text_or_none("error")},
    "cell_run": lambda read: {"stdout": read.text("stdout"), "stderr": read.text("stderr"),
                              "displays": tuple(read.each("displays", Display.from_dict)),
                              "error": _error_or_none(read)},
    "names": lambda read: {"names": _names(read)},
    "value": lambda read: {"value": read.present("value")},
    "missing": lambda read: {},
    "raised": lambda read: {"error": RaisedError.from_dict(read.present("error"), "reply.error")},
    "not_plain": lambda read: {"reason": read.text("reason")},
    "failed": lambda read: {"reason": read.text("reason")},
}
_REPLY_CLASSES: dict[str, type[Reply]] = {kind.reply: kind for kind in (
    Ready, CellRun, Names, Value, Missing, Raised, NotPlain, Failed)}


def decode_reply(line: str | bytes) -> Reply:
    """One reply line from the sandbox; anything not of a reply's shape is a ProtocolError."""
    read = _load(line, "reply")
    kind = read.choice("reply", tuple(_REPLY_READERS))
    return _REPLY_CLASSES[kind](id=read.integer("id"), flags=tuple(read.each("flags", Flag.from_dict)),
                                **_REPLY_READERS[kind](read))


__all__ = [
    "CallFunction", "CellResult", "CellRun", "Display", "Failed", "Flag", "GetValue", "GradingAnswer",
    "GradingCell", "GradingRequest", "Limits", "ListNames", "Message", "Missing", "NameInfo", "Names", "NotPlain",
    "ProtocolError", "Raised", "RaisedError", "Ready", "Reply", "Request", "RunCell", "Setup", "Value",
    "decode_reply", "decode_request", "error_output", "stream_output",
]
