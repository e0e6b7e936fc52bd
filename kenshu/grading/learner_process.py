"""The grader's handle on the learner's sandbox process: start it, ask it things, stop it.

Every answer is untrusted: its size is capped, it must arrive within the time limit, and a process
that dies (``os._exit``, a memory limit, a crash) is reported, never waited for.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kenshu.grading.protocol import Failed, Limits, ProtocolError, Ready, Reply, Request, Setup, decode_reply

MAX_ANSWER_CHARS = 32_000_000
START_TIMEOUT = 60.0
MALFORMED_REASON = "採点用のやり取りに不正なデータが混じっていた"

# what the reading thread puts in the queue besides replies
_CLOSED, _TOO_LONG, _MALFORMED = object(), object(), object()


class LearnerTimeout(Exception):
    """The learner's code did not answer in time; the process has been stopped."""


class LearnerProcessEnded(Exception):
    """The learner's process is gone; ``reason`` says why in Japanese."""

    def __init__(self, reason: str, code: str):
        super().__init__(reason)
        self.reason = reason
        self.code = code


def sandbox_environment(workdir: Path, extra: dict[str, str]) -> dict[str, str]:
    """The learner process's environment: a few of this process's variables, everything else inside ``workdir``."""
    keep = ("PATH", "SYSTEMROOT", "LANG", "LC_ALL", "TZ", "KENSHU_DATASETS")
    env = {k: v for k, v in os.environ.items() if k in keep}
    home = str(workdir)
    env.update({
        "HOME": home, "USERPROFILE": home, "TMPDIR": home, "TEMP": home, "TMP": home,
        "MPLCONFIGDIR": home, "IPYTHONDIR": str(workdir / ".ipython"), "XDG_CONFIG_HOME": home,
        "XDG_CACHE_HOME": home, "XDG_DATA_HOME": home, "PYTHONIOENCODING": "utf-8",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        # grading always uses the offline engine and keeps its audit log inside the folder
        "KENSHU_BACKEND": "offline", "KENSHU_AUDIT_LOG": str(workdir / "audit.sqlite3"),
        "KENSHU_GRADING": "1",
    })
    env.update(extra)
    return env


class ForkedProcess:
    """A sandbox forked (Linux) from a pre-warmed test process before it read any request; Popen's interface."""

    def __init__(self, pid: int, to_child: int, from_child: int):
        self.pid = pid
        self.stdin = os.fdopen(to_child, "wb")
        self.stdout = os.fdopen(from_child, "rb")
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -signal.SIGKILL
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"sandbox {self.pid}", timeout)
            time.sleep(0.005)
        return self.returncode

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)


_preforked: ForkedProcess | None = None


def prefork_sandbox() -> None:
    """Fork the next learner process now, from this process as it is: it must not yet hold any request."""
    global _preforked
    to_child_read, to_child_write = os.pipe()
    from_child_read, from_child_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the learner process
        code = 1
        try:
            os.setsid()
            _close_all_but({to_child_read, from_child_write})
            from kenshu.grading import sandbox

            code = sandbox.run_forked(to_child_read, from_child_write)
        finally:
            os._exit(code)
    os.close(to_child_read)
    os.close(from_child_write)
    _preforked = ForkedProcess(pid, to_child_write, from_child_read)


def take_preforked() -> ForkedProcess | None:
    """The pre-forked learner process, once; a restart after a crash spawns a fresh Python."""
    global _preforked
    forked, _preforked = _preforked, None
    return forked


def discard_preforked() -> None:
    forked = take_preforked()
    if forked is not None:
        with contextlib.suppress(OSError):
            os.killpg(forked.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            forked.wait(timeout=5)


def _close_all_but(keep: set[int]) -> None:
    """Close every descriptor above 2 except ``keep``: the grader's pipes must not reach learner code."""
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = list(range(3, 1024))
    for fd in open_fds:
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


@dataclass
class LearnerProcess:
    workdir: Path
    limits: Limits
    readable: list[Path] = field(default_factory=list)
    denied: list[Path] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.answers: queue.Queue = queue.Queue()
        self.next_id = 0

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        forked = take_preforked()
        if forked is not None:
            self.process = forked
        else:
            options: dict[str, Any] = {}
            if os.name == "posix":
                options["start_new_session"] = True
            else:
                options["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-X", "utf8", "-m", "kenshu.grading.sandbox"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                cwd=str(self.workdir), env=self._environment(), **options)
        self.answers = queue.Queue()
        threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        if forked is not None:  # a forked sandbox takes its environment as its first line
            self._send(json.dumps(self._environment(), ensure_ascii=False))
        setup = Setup(str(self.workdir), [str(p) for p in self.readable], [str(p) for p in self.denied],
                      self.limits, no_new_processes=True)
        self._send(setup.to_json())
        ready = self._receive(START_TIMEOUT, lambda reply: isinstance(reply, Ready))
        if ready.error is not None:
            self.stop()
            raise LearnerProcessEnded(f"採点用の Python を準備できませんでした（{ready.error}）", "start")

    def _environment(self) -> dict[str, str]:
        return sandbox_environment(self.workdir, self.env)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        try:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except (OSError, AttributeError):
                pass

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # --- requests ------------------------------------------------------------------------------

    def request(self, message: Request, timeout: float) -> Reply:
        """Send one request and wait for its answer; raise on timeout, a dead process or a malformed reply.

        The answer is one of ``message.replies``, or ``Failed`` when the sandbox could not handle it.
        """
        if self.process is None:
            raise LearnerProcessEnded("受講者のコードを実行するプロセスが止まっています", "ended")
        self.next_id += 1
        wanted = self.next_id
        self._send(replace(message, id=wanted).to_json())
        reply = self._receive(timeout, lambda reply: reply.id == wanted)
        if not isinstance(reply, (*message.replies, Failed)):
            self.stop()
            raise LearnerProcessEnded(MALFORMED_REASON, "malformed")
        return reply

    def _send(self, line: str) -> None:
        try:
            self.process.stdin.write((line + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except (OSError, ValueError, AttributeError):
            raise self._ended() from None

    def _receive(self, timeout: float, wanted: Callable[[Reply], bool]) -> Any:
        while True:
            try:
                item = self.answers.get(timeout=max(0.05, timeout))
            except queue.Empty:
                self.stop()
                raise LearnerTimeout() from None
            if item is _CLOSED:
                raise self._ended()
            if item is _TOO_LONG:
                self.stop()
                raise LearnerProcessEnded("大量の出力を出したため、実行を止めました", "huge_output")
            if item is _MALFORMED:
                self.stop()
                raise LearnerProcessEnded(MALFORMED_REASON, "malformed")
            if wanted(item):
                return item

    def _read(self, process: subprocess.Popen) -> None:
        stream = process.stdout
        while True:
            try:
                line = stream.readline(MAX_ANSWER_CHARS)
            except (OSError, ValueError):
                line = b""
            if not line.endswith(b"\n"):
                # the end of the channel; a line cut short there is what a dying process left behind
                self.answers.put(_TOO_LONG if len(line) >= MAX_ANSWER_CHARS else _CLOSED)
                return
            try:
                self.answers.put(decode_reply(line.decode("utf-8", "replace")))
            except ProtocolError:
                self.answers.put(_MALFORMED)

    def _ended(self) -> LearnerProcessEnded:
        process = self.process
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
        self.stop()
        if code is not None and code < 0:
            number = -code
            if number == getattr(signal, "SIGXCPU", -1):
                return LearnerProcessEnded("計算時間の上限に達したため、実行を止めました", "cpu_limit")
            if number in (signal.SIGKILL, getattr(signal, "SIGSEGV", -1)):
                return LearnerProcessEnded("メモリーを使いすぎたか、Python が異常終了しました", "memory")
            if number == getattr(signal, "SIGXFSZ", -1):
                return LearnerProcessEnded("大きすぎるファイルを書こうとしたため、実行を止めました", "file_limit")
        return LearnerProcessEnded("受講者のコードが Python を終了させました（os._exit など）", "process_exit")


__all__ = ["ForkedProcess", "LearnerProcess", "LearnerProcessEnded", "LearnerTimeout", "Limits", "MALFORMED_REASON",
           "discard_preforked", "prefork_sandbox", "sandbox_environment", "take_preforked"]
