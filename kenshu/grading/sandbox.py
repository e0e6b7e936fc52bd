"""The learner's process during grading: runs the answer cells, hands values out as plain data.

Started by ``kenshu.grading.learner_process`` as ``python -I -m kenshu.grading.sandbox`` in an empty
folder.  The messages are those of ``kenshu.grading.protocol``: the first line on stdin is the
``Setup`` (folder, readable folders, limits), answered by ``Ready``; then one request per line, one
reply per line:

    RunCell       → CellRun: the outputs of one answer cell
    ListNames     → Names: the learner's names and their kinds
    GetValue      → Value (plain data), Missing, Raised or NotPlain
    CallFunction  → the same, for a function's result

Everything this process says is treated as untrusted by the grader: it only ever yields values.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kenshu.grading.protocol import (
    CallFunction,
    CellRun,
    Display,
    Failed,
    Flag,
    GetValue,
    ListNames,
    Message,
    Missing,
    NameInfo,
    Names,
    NotPlain,
    ProtocolError,
    Raised,
    RaisedError,
    Ready,
    Reply,
    Request,
    RunCell,
    Setup,
    Value,
    decode_request,
)

OUTPUT_KEEP = 20_000         # characters of stdout/stderr kept per cell
OUTPUT_FLAG = 2_000_000      # characters written in one cell that count as a flood
DISPLAYS_KEEP = 20
DISPLAY_BYTES = 1_000_000
HIDDEN_NAMES = {"In", "Out", "get_ipython", "exit", "quit"}


class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``keep`` characters and counts the rest."""

    def __init__(self, keep: int = OUTPUT_KEEP):
        super().__init__()
        self.keep = keep
        self.parts: list[str] = []
        self.kept = 0
        self.total = 0

    def write(self, text: str) -> int:
        text = str(text)
        self.total += len(text)
        room = self.keep - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        return len(text)

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def text(self) -> str:
        shown = "".join(self.parts)
        if self.total > self.kept:
            shown += f"\n…（出力が長いため、残り {self.total - self.kept} 文字は省略しました）\n"
        return shown


SYS_EXIT_FLAG = Flag("sys_exit", "sys.exit() などで処理を終了させようとした")


@dataclass
class _Captured:
    """What one piece of learner code printed, and what it changed around it."""

    out: CappedText = field(default_factory=CappedText)
    err: CappedText = field(default_factory=CappedText)
    flags: list[Flag] = field(default_factory=list)


class Sandbox:
    def __init__(self, setup: Setup):
        self.setup = setup
        self.refusals: list[Flag] = []
        self.displays: list[Display] = []
        self.shell = None
        self.snapshot: dict[str, Any] = {}
        self.flagged: set[str] = set()

    # --- setup ---------------------------------------------------------------------------------

    def prepare(self) -> None:
        workdir = Path(self.setup.workdir)
        os.chdir(workdir)
        self._preimport()
        self.shell = self._make_shell()
        self.snapshot = self._state()
        import kenshu
        from kenshu.grading import guard

        _apply_limits(self.setup)
        readable = [Path(kenshu.__file__).parent, *(Path(p) for p in self.setup.readable)]
        guard.install(workdir, readable, self._refused, denied=[Path(p) for p in self.setup.denied])

    def _preimport(self) -> None:
        preimport()

    def _make_shell(self) -> Any:
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        sandbox = self

        class Publisher(DisplayPublisher):
            def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
                sandbox._record("display_data", data, metadata)

        class Hook(DisplayHook):
            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                sandbox._record("execute_result", format_dict, md_dict)

            def finish_displayhook(self):
                pass

        config = Config()
        config.HistoryManager.enabled = False
        config.InteractiveShell.colors = "NoColor"
        config.InteractiveShell.autocall = 0
        shell = InteractiveShell.instance(config=config, display_pub_class=Publisher, displayhook_class=Hook)
        shell._showtraceback = lambda etype, evalue, stb: None  # errors are reported by this process itself
        return shell

    def _record(self, kind: str, data: Any, metadata: Any) -> None:
        if len(self.displays) >= DISPLAYS_KEEP or not isinstance(data, dict):
            return
        kept = {}
        for mime, value in data.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
            if len(text) <= DISPLAY_BYTES:
                kept[str(mime)] = value if isinstance(value, (str, dict, list)) else text
        if kept:
            self.displays.append(Display(kind, kept))

    def _refused(self, event: str, reason: str) -> None:
        if len(self.refusals) < 50:
            self.refusals.append(Flag("refused", reason))

    # --- integrity -----------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        shell = self.shell
        return {
            "builtins": dict(vars(builtins)),
            "input_transformers": list(shell.input_transformers_cleanup) + list(shell.input_transformers_post),
            "ast_transformers": list(shell.ast_transformers),
            "events": {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()},
            "custom_exceptions": shell.custom_exceptions,
            "showtraceback": shell.__dict__.get("showtraceback"),
            "excepthook": sys.excepthook,
            "trace": (sys.gettrace(), sys.getprofile()),
            "helpers": {name: dict(vars(sys.modules[name])) for name in WATCHED_MODULES if name in sys.modules},
            "modules": {name: sys.modules.get(name) for name in WATCHED_MODULES},
        }

    def _tampering(self) -> list[Flag]:
        """What the learner's code changed in the machinery around it (reported once per kind)."""
        now, before = self._state(), self.snapshot
        found = []
        changed = sorted(k for k in set(now["builtins"]) | set(before["builtins"])
                         if now["builtins"].get(k, _GONE) is not before["builtins"].get(k, _GONE))
        if changed:
            found.append(("builtins", "組み込みの関数や名前を書き換えた（" + "、".join(changed[:5]) + "）"))
        if now["input_transformers"] != before["input_transformers"] or now["ast_transformers"] != before["ast_transformers"]:
            found.append(("input_transformer", "入力の変換（IPython の input transformer）を登録した"))
        if now["events"] != before["events"]:
            found.append(("event_hook", "IPython のイベントに処理を登録した"))
        if now["custom_exceptions"] != before["custom_exceptions"]:
            found.append(("exception_handler", "エラーの扱い（custom exception handler）を書き換えた"))
        if now["showtraceback"] is not before["showtraceback"]:
            found.append(("showtraceback", "エラーの表示（showtraceback）を書き換えた"))
        if now["excepthook"] is not before["excepthook"]:
            found.append(("excepthook", "エラーの扱い（sys.excepthook）を書き換えた"))
        patched = sorted(name for name in WATCHED_MODULES if now["modules"][name] is not before["modules"][name]
                         or _changed(now["helpers"].get(name, {}), before["helpers"].get(name, {})))
        if patched:
            found.append(("patched_helpers", "テストが使う部品（" + "、".join(patched) + "）を書き換えた"))
        if now["trace"] != before["trace"]:
            found.append(("trace", "実行の監視（sys.settrace など）を設定した"))
        fresh = [Flag(code, reason) for code, reason in found if code not in self.flagged]
        self.flagged.update(code for code, _ in found)
        return fresh

    def _restore_builtins(self) -> None:
        original = self.snapshot["builtins"]
        current = vars(builtins)
        for name in [n for n in current if n not in original]:
            del current[name]
        for name, value in original.items():
            if current.get(name, _GONE) is not value:
                current[name] = value

    # --- requests ------------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        match request:
            case RunCell(source=source):
                return self.run(source)
            case ListNames():
                return Names(names=self.names())
            case GetValue(name=name):
                return self.get(name)
            case CallFunction(name=name, args=args, kwargs=kwargs):
                return self.call(name, args, kwargs)
        return Failed(reason=f"unknown request {type(request).__name__}")

    @contextlib.contextmanager
    def _learner_code(self) -> Iterator[_Captured]:
        """Capture the streams while learner code runs; afterwards note its tampering and restore builtins."""
        captured = _Captured()
        saved = sys.stdout, sys.stderr, sys.stdin
        sys.stdout, sys.stderr, sys.stdin = captured.out, captured.err, io.StringIO("")
        try:
            yield captured
        finally:
            sys.stdout, sys.stderr, sys.stdin = saved
            captured.flags += self._tampering()
            self._restore_builtins()  # this process's own machinery needs the real ones

    def run(self, source: str) -> CellRun:
        self.displays = []
        result, error = None, None
        with self._learner_code() as captured:
            try:
                result = self.shell.run_cell(source, store_history=True, silent=False)
            except BaseException as crash:  # noqa: BLE001 -- the learner broke IPython itself
                error = crash
        if result is not None:
            error = result.error_before_exec or result.error_in_exec
        out, err = captured.out, captured.err
        flags = captured.flags
        if max(out.total, err.total) > OUTPUT_FLAG:
            flags.append(Flag("huge_output", f"大量の出力を出した（{max(out.total, err.total):,} 文字）"))
        if isinstance(error, SystemExit):
            flags.append(SYS_EXIT_FLAG)
        return CellRun(stdout=out.text(), stderr=err.text(), displays=tuple(self.displays),
                       error=self._describe(error) if error is not None else None, flags=tuple(flags))

    def _describe(self, error: BaseException) -> RaisedError:
        _cut_at_guard(error.__traceback__)
        ename = type(error).__name__
        try:
            evalue = str(error)[:2000]
        except Exception:
            evalue = ""
        try:
            lines = self.shell.InteractiveTB.structured_traceback(type(error), error, error.__traceback__)
            traceback = tuple(str(line)[:5000] for line in lines)[-30:]
        except Exception:
            traceback = (f"{ename}: {evalue}",)
        builtin = type(error).__module__ == "builtins" and isinstance(error, Exception)
        return RaisedError(ename, evalue, traceback, builtin)

    def names(self) -> dict[str, NameInfo]:
        found = {}
        for name, value in list(self.shell.user_ns.items()):
            if not isinstance(name, str) or name.startswith("_") or name in HIDDEN_NAMES:
                continue
            kind = type(value)
            if issubclass(kind, types.ModuleType):
                module = value.__dict__.get("__name__")
                found[name] = NameInfo("module", module if isinstance(module, str) else "")
            elif issubclass(kind, type):
                found[name] = NameInfo("class")
            elif callable(value):
                module = getattr(value, "__module__", None)
                found[name] = NameInfo("function", module if isinstance(module, str) else "")
            else:
                found[name] = NameInfo("value")
        return found

    def get(self, name: str) -> Reply:
        if name not in self.shell.user_ns:
            return Missing()
        return self._encoded(lambda: self.shell.user_ns[name])

    def call(self, name: str, args: Any, kwargs: Any) -> Reply:
        from kenshu.grading.plain import decode

        function = self.shell.user_ns.get(name)
        if function is None or not callable(function):
            return Missing()
        try:
            args, kwargs = decode(args), decode(kwargs)
        except Exception:
            return Failed(reason="引数を受け取れませんでした")
        return self._encoded(lambda: function(*args, **kwargs))

    def _encoded(self, produce: Any) -> Reply:
        from kenshu.grading.plain import NotPlainData, encode

        raised: BaseException | None = None
        with self._learner_code() as captured:
            try:
                value = produce()
            except BaseException as error:  # noqa: BLE001 -- SystemExit included: it must not end grading
                raised = error
        flags = captured.flags
        if raised is not None:
            if isinstance(raised, SystemExit):
                flags.append(SYS_EXIT_FLAG)
            return Raised(error=self._describe(raised), flags=tuple(flags))
        try:
            return Value(value=encode(value), flags=tuple(flags))
        except NotPlainData as refusal:
            if refusal.custom_eq:
                flags.append(Flag("custom_eq", "比較（__eq__）を書き換えた値を答えにした"))
            return NotPlain(reason=str(refusal), flags=tuple(flags))
        except Exception as error:  # a learner object that breaks while being read
            return NotPlain(reason=f"値を読み取れませんでした（{type(error).__name__}）", flags=tuple(flags))


_GONE = object()
WATCHED_MODULES = ("kenshu.grading.expect",)


# modules a lesson commonly uses, loaded before the guard so their start-up file access is not judged
PREIMPORTED = ("IPython", "IPython.core.interactiveshell", "numpy", "pandas", "kenshu", "kenshu.datasets",
               "kenshu.grading.plain", "kenshu.grading.expect", "kenshu.grading.selfcheck", "json", "re")


def preimport() -> None:
    sys.dont_write_bytecode = True  # no .pyc beside the kit's modules: writes there are refused
    import platform

    platform.platform()  # cached now: the openai SDK asks for it, and it would run `uname -p`
    for name in PREIMPORTED:
        try:
            __import__(name)
        except ImportError:
            pass


def _changed(now: dict, before: dict) -> bool:
    return set(now) != set(before) or any(now[k] is not before[k] for k in now)


def _cut_at_guard(tb: Any) -> None:
    """Drop the guard's own frames from a refusal's traceback: the learner sees their line only."""
    while tb is not None and tb.tb_next is not None:
        if tb.tb_next.tb_frame.f_code.co_filename.endswith(os.path.join("grading", "guard.py")):
            tb.tb_next = None
            return
        tb = tb.tb_next


def _apply_limits(setup: Setup) -> None:
    try:
        import resource
    except ImportError:  # Windows: the grader's time limit still applies
        return
    memory = setup.limits.memory_mb * 1024 * 1024
    cpu = setup.limits.cpu_seconds
    files = setup.limits.file_mb * 1024 * 1024
    for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu), (resource.RLIMIT_FSIZE, files)):
        if value > 0:
            try:
                resource.setrlimit(kind, (value, value))
            except (ValueError, OSError):
                pass
    if setup.no_new_processes and hasattr(resource, "RLIMIT_NPROC") and os.getuid() != 0:
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
        except (ValueError, OSError):
            pass


def main() -> int:
    channel_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    channel_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    _silence_standard_streams()
    return serve(channel_in, channel_out)


def run_forked(read_fd: int, write_fd: int) -> int:
    """The sandbox in a process forked from a pre-warmed one (``kenshu.grading.warm``).

    The first line is the environment the spawned sandbox would have had (``sandbox_environment``);
    then the conversation is the same as ``main``'s.
    """
    channel_in = os.fdopen(read_fd, "r", encoding="utf-8")
    channel_out = os.fdopen(write_fd, "w", encoding="utf-8")
    _silence_standard_streams()
    try:
        env = json.loads(channel_in.readline())
        if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            return 1
    except ValueError:
        return 1
    os.environ.clear()
    os.environ.update(env)
    return serve(channel_in, channel_out)


def _silence_standard_streams() -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)  # learner code writing to the raw descriptors reaches nothing
    os.close(null)


def serve(channel_in: io.TextIOBase, channel_out: io.TextIOBase) -> int:
    def answer(message: Message) -> None:
        channel_out.write(message.to_json() + "\n")
        channel_out.flush()

    try:
        sandbox = Sandbox(Setup.from_json(channel_in.readline()))
        sandbox.prepare()
    except Exception as error:  # ProtocolError included: the grader is told, it does not wait
        answer(Ready(error=f"{type(error).__name__}: {error}"))
        return 1
    answer(Ready())
    for line in channel_in:
        try:
            request = decode_request(line)
        except ProtocolError:
            continue  # the grader writes only whole requests: nothing to answer
        try:
            reply = sandbox.handle(request)
        except BaseException as error:  # noqa: BLE001 -- keep serving the grader
            reply = Failed(reason=type(error).__name__)
        reply = replace(reply, id=request.id, flags=(*sandbox.refusals, *reply.flags))
        sandbox.refusals = []
        answer(reply)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
