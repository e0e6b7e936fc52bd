"""Pre-warmed grading processes: one per grading job, so that a submission does not pay Python's start-up.

``python -I -m kenshu.grading.warm`` imports what grading needs (pandas, IPython, the kit) once and then,
for every submission, forks a *fresh* test process, which at once forks the learner's sandbox, both
before any request exists.  The test process alone reads the request (one line on the shared stdin),
grades it exactly as ``kenshu.grading.runner`` does, writes the answer on stdout and ends.  The warm
process never reads a request, so no fork ever carries another learner's code or the hidden tests.

Isolation is the same as with spawned processes: one test process and one sandbox per submission,
never reused.  Only Linux forks; elsewhere ``run_isolated`` spawns as before.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading

from kenshu.grading.protocol import GradingAnswer, GradingRequest, ProtocolError

EXIT_NO_MORE = 3  # the grader closed the channel: the warm process ends too
ENDED_EARLY = "採点用の Python が途中で終わりました。"


def available() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


# --- the warm process ----------------------------------------------------------------------------

def _grade_one() -> int:
    """In a fresh fork: fork the sandbox, then read one request, grade it and answer."""
    from kenshu.grading import learner_process, runner

    learner_process.prefork_sandbox()
    try:
        line = sys.stdin.readline()
        if not line:
            return EXIT_NO_MORE
        try:
            answer = runner.grade(GradingRequest.from_json(line))
        except Exception as error:  # noqa: BLE001 -- as runner.main: never a traceback for the learner
            answer = GradingAnswer.failed(f"採点の準備中に問題が起きました（{type(error).__name__}: {error}）")
        sys.stdout.write("\n" + answer.to_json() + "\n")
        sys.stdout.flush()
        return 0
    finally:
        learner_process.discard_preforked()  # unused if the request never started it


def main() -> int:
    from kenshu.grading import runner, sandbox

    sandbox.preimport()
    runner.preimport()
    while True:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _grade_one()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == EXIT_NO_MORE:
            return 0
        if code != 0:  # the test process died before answering: the grader must not wait for it
            sys.stdout.write("\n" + GradingAnswer.failed(ENDED_EARLY).to_json() + "\n")
            sys.stdout.flush()


# --- the grader's side ---------------------------------------------------------------------------

class WarmGrader:
    """The grading job's handle on its warm process; started on first use, restarted after a timeout."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()

    def _start(self) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JPY_")}
        env.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
        process = subprocess.Popen([sys.executable, "-I", "-X", "utf8", "-m", "kenshu.grading.warm"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, encoding="utf-8", env=env, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(process, self.lines), daemon=True).start()
        return process

    @staticmethod
    def _read(process: subprocess.Popen, lines: queue.Queue) -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def grade(self, request: GradingRequest, timeout: float) -> GradingAnswer | None:
        """The answer; None when it did not come within ``timeout`` (the warm process is then stopped)."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        try:
            self.process.stdin.write(request.to_json() + "\n")
            self.process.stdin.flush()
        except OSError:
            self.stop()
            return GradingAnswer.failed(ENDED_EARLY)
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.stop()
                return None
            if line is None:
                self.stop()
                return GradingAnswer.failed(ENDED_EARLY)
            try:
                return GradingAnswer.from_json(line)
            except ProtocolError:
                continue

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


_grader: WarmGrader | None = None


def use_warm_processes() -> None:
    """From now on, this process grades through a warm process (where the system can fork)."""
    global _grader
    if available() and _grader is None:
        _grader = WarmGrader()


def current() -> WarmGrader | None:
    return _grader


def stop() -> None:
    global _grader
    grader, _grader = _grader, None
    if grader is not None:
        grader.stop()




__all__ = ["WarmGrader", "available", "current", "stop", "use_warm_processes"]

if __name__ == "__main__":
    raise SystemExit(main())
