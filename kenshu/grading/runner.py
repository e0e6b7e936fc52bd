"""The process that decides scores: runs the test cells against the learner's values, never their code.

``python -I -m kenshu.grading.runner`` reads a ``GradingRequest`` (``kenshu.grading.protocol``) on
stdin: the cells in notebook order (answer cells and test cells), the folder of supporting files
copied next to the learner's code, the folders the learner's code must not read, and the limits.

Answer cells run in the learner's sandbox (``kenshu.grading.sandbox``), in notebook order.  Test cells
run here, in a fresh namespace with fresh builtins; each learner name a test uses is bound to a
proxy: values arrive as plain data, functions are called in the sandbox and return plain data.
Nothing learner code does can change this process's builtins, hooks, or the outcome of an assertion.

The answer (a ``GradingAnswer``, the last line on stdout) gives, per cell, nbformat outputs and, per
test cell, pass/fail and a Japanese message without test source; plus the flags for the trainer.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import re
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from kenshu.grading import answers
from kenshu.grading.learner_process import LearnerProcess, LearnerProcessEnded, LearnerTimeout, Limits
from kenshu.grading.protocol import (
    CallFunction,
    CellResult,
    CellRun,
    Failed,
    Flag,
    GetValue,
    GradingAnswer,
    GradingCell,
    GradingRequest,
    ListNames,
    Missing,
    NameInfo,
    Names,
    NotPlain,
    Raised,
    RaisedError,
    Reply,
    Request,
    RunCell,
    Value,
    error_output,
    stream_output,
)

NOT_ANSWERED = "まだ答えが書かれていません。答えのセルに答えを書いてから、もう一度確かめてください。"
TIMEOUT_MESSAGE = ("時間内に終わらない処理がありました（{seconds} 秒で打ち切りました）。"
                   "同じ処理を繰り返し続けていないか（while の終わる条件など）を確かめてください。")
TOTAL_TIMEOUT_MESSAGE = "全体の時間の上限（{seconds} 秒）に達したため、この確認は実行できませんでした。"
ENDED_MESSAGE = "答えのコードを実行する Python が止まったため、この確認は実行できませんでした（{reason}）。"
NOT_RUN_MESSAGE = "答えのコードを実行する Python が、このセルを実行できませんでした（{reason}）。"
MAX_RESTARTS = 3
BUILTIN_NAMES = frozenset(dir(builtins))


class LearnerError(Exception):
    """An exception raised inside the learner's function, carried over by name and message."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name
        self.message = message


class NotGradable(Exception):
    """A learner name whose value cannot be handed to the tests."""


class _Stop(Exception):
    """The learner's process could not be used any more for this test."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- names a test cell uses ---------------------------------------------------------------------

def _parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))


def names_used(tree: ast.AST) -> tuple[set[str], set[str], set[str]]:
    """(loaded, bound, imported) names anywhere in a cell."""
    loaded, bound, imported = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                bound.add(name)
                imported.add(name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return loaded, bound, imported


# --- proxies for the learner's names ------------------------------------------------------------

class LearnerFunction:
    """Calls the learner's function in the sandbox; arguments and result cross as plain data."""

    def __init__(self, session: Session, name: str):
        self._session = session
        self.__name__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.call(self.__name__, args, kwargs)

    def __repr__(self) -> str:
        return f"<受講者の関数 {self.__name__}>"


class Session:
    """The learner's sandbox as the tests see it, restarted (answer cells replayed) if it dies."""

    def __init__(self, workdir: Path, limits: Limits, readable: list[Path], denied: list[Path],
                 env: dict[str, str] | None = None):
        self.limits = limits
        self.process = LearnerProcess(workdir, limits, readable=readable, denied=denied, env=env or {})
        self.flags: list[Flag] = []
        self.current_cell: Any = None
        self.ran_ok: list[str] = []
        self.restarts = 0
        self.deadline = time.monotonic() + limits.total_seconds
        self.broken: str | None = None

    def flag(self, code: str, reason: str) -> None:
        item = Flag(code, reason, self.current_cell)
        if item not in self.flags and len(self.flags) < 100:
            self.flags.append(item)

    def _take_flags(self, reply: Reply) -> None:
        for item in reply.flags:
            self.flag(item.code[:40], item.reason[:300])

    def time_left(self) -> float:
        return self.deadline - time.monotonic()

    def _timeout(self) -> float:
        return max(0.1, min(self.limits.cell_seconds, self.time_left()))

    def start(self) -> None:
        self.process.start()

    def stop(self) -> None:
        self.process.stop()

    def _ensure(self) -> None:
        if self.process.alive:
            return
        if self.broken:
            raise _Stop(self.broken)
        if self.restarts >= MAX_RESTARTS or self.time_left() <= 0:
            self.broken = "やり直しの回数か時間の上限に達しました"
            raise _Stop(self.broken)
        self.restarts += 1
        self.process.start()
        for source in self.ran_ok:  # replay the answer cells that worked, so later questions still score
            try:
                self.process.request(RunCell(source=source), self._timeout())
            except (LearnerTimeout, LearnerProcessEnded):
                self.broken = "答えのセルをもう一度実行できませんでした"
                raise _Stop(self.broken) from None

    def _died(self, error: Exception) -> str:
        if isinstance(error, LearnerTimeout):
            seconds = int(self.limits.cell_seconds)
            self.flag("timeout", f"{seconds} 秒以内に終わらない処理があった")
            return TIMEOUT_MESSAGE.format(seconds=seconds)
        assert isinstance(error, LearnerProcessEnded)
        self.flag(error.code, error.reason)
        return ENDED_MESSAGE.format(reason=error.reason)

    # --- answer cells --------------------------------------------------------------------------

    def run(self, source: str) -> tuple[list[dict], RaisedError | None]:
        """Run one answer cell; return its outputs and its error (if any)."""
        if self.time_left() <= 0:
            error = RaisedError("TimeoutError", "全体の時間の上限に達しました")
            return [error.as_output()], error
        try:
            self._ensure()
            reply = self.process.request(RunCell(source=source), self._timeout())
        except _Stop as stop:
            error = RaisedError("RuntimeError", stop.message)
            return [error.as_output()], error
        except (LearnerTimeout, LearnerProcessEnded) as ended:
            message = self._died(ended)
            error = RaisedError("TimeoutError" if isinstance(ended, LearnerTimeout) else "RuntimeError", message)
            return [error.as_output()], error
        self._take_flags(reply)
        if isinstance(reply, Failed):
            error = RaisedError("RuntimeError", NOT_RUN_MESSAGE.format(reason=reply.reason[:200]))
            return [error.as_output()], error
        assert isinstance(reply, CellRun)
        outputs = [stream_output(name, text) for name, text in (("stdout", reply.stdout), ("stderr", reply.stderr))
                   if text]
        outputs += [display.as_output() for display in reply.displays]
        error = reply.error
        if error is None:
            self.ran_ok.append(source)
            return outputs, None
        if error.ename == "MemoryError":
            self.flag("memory", "メモリーを使いすぎた（MemoryError）")
        error = RaisedError(error.ename, error.evalue, error.traceback[:40])
        return [*outputs, error.as_output()], error

    # --- what the tests see --------------------------------------------------------------------

    def names(self) -> dict[str, NameInfo]:
        reply = self._ask(ListNames())
        return reply.names if isinstance(reply, Names) else {}

    def value(self, name: str) -> Any:
        return self._plain(self._ask(GetValue(name=name)), name)

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        from kenshu.grading.plain import encode

        return self._plain(self._ask(CallFunction(name=name, args=encode(list(args)), kwargs=encode(dict(kwargs)))),
                           name)

    def _ask(self, request: Request) -> Reply:
        try:
            self._ensure()
            reply = self.process.request(request, self._timeout())
        except (LearnerTimeout, LearnerProcessEnded) as error:
            raise _Stop(self._died(error)) from None
        self._take_flags(reply)
        return reply

    def _plain(self, reply: Reply, name: str) -> Any:
        from kenshu.grading.plain import decode

        match reply:
            case Missing():
                raise NameError(f"name '{name}' is not defined")
            case Raised(error=raised):
                kind = getattr(builtins, raised.ename, None)
                if raised.builtin and isinstance(kind, type) and issubclass(kind, Exception) \
                        and not issubclass(kind, (AssertionError, NameError)):
                    error: Exception = kind(raised.evalue)
                else:
                    error = LearnerError(raised.ename, raised.evalue)
                error._kenshu_learner = name  # type: ignore[attr-defined]
                raise error
            case NotPlain(reason=reason):
                raise NotGradable(f"{name}: {reason}")
            case Value(value=value):
                try:
                    return decode(value)
                except (ValueError, TypeError, KeyError):
                    self.flag("malformed", "採点用のやり取りに不正なデータが混じっていた")
                    raise NotGradable(f"{name}: 値を受け取れませんでした") from None
        raise NotGradable(f"{name}: 値を受け取れませんでした")  # Failed: the sandbox could not answer


# --- the tests ---------------------------------------------------------------------------------

def explain(error: BaseException, earlier_error: RaisedError | None, learner_kinds: dict[str, NameInfo]) -> str:
    """A Japanese message for a failed test cell, without the test's source."""
    if isinstance(error, _Stop):
        return error.message
    if isinstance(error, AssertionError):
        message = str(error).strip() or "確認に合いませんでした。"
        if earlier_error is not None and earlier_error.ename == "NotImplementedError":
            return NOT_ANSWERED
        return message
    if earlier_error is not None and earlier_error.ename == "NotImplementedError":
        return NOT_ANSWERED
    learner = getattr(error, "_kenshu_learner", None)
    if learner and (isinstance(error, NotImplementedError) or getattr(error, "name", "") == "NotImplementedError"):
        return NOT_ANSWERED
    if isinstance(error, NotGradable):
        message = f"{error}。"
    elif learner:
        shown = str(error) if isinstance(error, LearnerError) else f"{type(error).__name__}: {error}"
        message = f"答えの関数 {learner} の中でエラーが出ました（{shown}）。"
    elif isinstance(error, NameError):
        match = re.search(r"name '([^']+)' is not defined", str(error))
        name = match.group(1) if match else "答えの名前"
        info = learner_kinds.get(name)
        if info is not None and info.kind == "class":
            message = f"{name} はクラスのため採点できません。関数か値で答えてください。"
        elif answers.ANSWER_NAME.fullmatch(name):
            message = answers.missing_answer(name)
        else:
            message = f"{name} が見つかりません。答えのセルに {name} を書き、そのセルを実行できるか確かめてください。"
    else:
        text = str(error).strip()
        message = f"確認の途中でエラーが出ました（{type(error).__name__}: {text}）。" if text else \
            f"確認の途中でエラーが出ました（{type(error).__name__}）。"
    if earlier_error is not None:
        shown = f"{earlier_error.ename}: {earlier_error.evalue}".strip().rstrip(":")
        message = f"答えのセルでエラーが出ています（{shown}）。{message}"
    return message


class TestRunner:
    def __init__(self, session: Session, test_sources: list[str]):
        self.session = session
        self.namespace: dict[str, Any] = {"__name__": "__kenshu_tests__", "__builtins__": builtins}
        self.from_learner: set[str] = set()
        self.protected = set(BUILTIN_NAMES)
        for source in test_sources:  # names the tests import are never taken from the learner
            try:
                self.protected |= names_used(_parse(source))[2]
            except SyntaxError:
                pass
        self.shadow_flagged: set[str] = set()

    def run(self, source: str) -> tuple[list[dict], BaseException | None, dict[str, NameInfo]]:
        try:
            tree = _parse(source)
        except SyntaxError as error:
            return [], error, {}
        loaded, bound, _ = names_used(tree)
        wanted = loaded - bound - self.protected
        kinds: dict[str, NameInfo] = {}
        try:
            if wanted or self.from_learner:
                kinds = self.session.names()
            self._check_shadowing(kinds)
            self._bind(wanted, kinds)
        except Exception as error:  # _Stop, NotGradable, NameError: explained as the test's failure
            return [], error, kinds
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(tree, "<test>", "exec"), self.namespace)  # noqa: S102 -- the trainer's tests
        except (SystemExit, KeyboardInterrupt) as error:
            failure: BaseException | None = RuntimeError(type(error).__name__)
        except BaseException as error:  # noqa: BLE001
            failure = error
        else:
            failure = None
        outputs = []
        if out.getvalue():
            outputs.append(stream_output("stdout", out.getvalue()[:20_000]))
        return outputs, failure, kinds

    def _bind(self, wanted: set[str], kinds: dict[str, NameInfo]) -> None:
        for name in list(self.from_learner):
            if name not in kinds:  # the learner deleted it: the test must not see a stale value
                self.namespace.pop(name, None)
                self.from_learner.discard(name)
        for name in sorted(wanted):
            info = kinds.get(name)
            if info is None:
                continue
            if info.kind == "function":
                self.namespace[name] = LearnerFunction(self.session, name)
            elif info.kind == "value":
                self.namespace[name] = self.session.value(name)
            elif info.kind == "module":
                self.namespace[name] = _import(info.module, name)
            else:
                self.namespace.pop(name, None)
                continue
            self.from_learner.add(name)

    def _check_shadowing(self, kinds: dict[str, NameInfo]) -> None:
        for name, info in kinds.items():
            if name in self.protected and name not in BUILTIN_NAMES and name not in self.shadow_flagged:
                genuine = info.kind == "module" or (info.kind == "function" and info.module
                                                    and info.module != "__main__")
                if not genuine:
                    self.shadow_flagged.add(name)
                    self.session.flag("shadowed_name", f"テストが使う名前 {name} を自分で定義した")


def _import(module: str, name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except Exception:
        raise NotGradable(f"{name}: モジュール {module} を読み込めませんでした") from None


# --- the whole notebook ------------------------------------------------------------------------

def _has_code(source: str) -> bool:
    try:
        return bool(_parse(source).body)
    except SyntaxError:
        return True


# what the tests use, loaded once by a warm grading process (``kenshu.grading.warm``) before it forks
PREIMPORTED = ("kenshu.datasets", "kenshu.grading.form", "kenshu.grading.expect", "kenshu.grading.plain",
               "kenshu.safety", "IPython.core.inputtransformer2")


def preimport() -> None:
    import importlib

    for name in PREIMPORTED:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def grade(request: GradingRequest) -> GradingAnswer:
    limits = request.limits
    cells: list[GradingCell] = request.cells
    from kenshu import datasets

    results: dict[int, CellResult] = {}
    with tempfile.TemporaryDirectory(prefix="kenshu-grading-") as scratch:
        workdir = Path(scratch)
        _copy_supporting_files(request.files, workdir)
        readable = [datasets.folder()]
        denied = [Path(p) for p in request.denied]
        # the learner's code runs outside the kit: tell it where the kit's datasets are
        session = Session(workdir, limits, readable, denied, env={"KENSHU_DATASETS": str(datasets.folder())})
        tests = TestRunner(session, [c.source for c in cells if c.kind == "test"])
        try:
            session.start()
        except LearnerProcessEnded as error:
            return GradingAnswer.failed(error.reason)
        try:
            earlier_error: RaisedError | None = None
            count = 0
            for cell in cells:
                session.current_cell = cell.grade_id or f"セル{cell.index + 1}"
                count += 1
                if cell.kind == "learner":
                    outputs, error = session.run(cell.source)
                    earlier_error = earlier_error or error
                    results[cell.index] = CellResult(outputs, count)
                    continue
                if not _has_code(cell.source):
                    results[cell.index] = CellResult([], count, None, "非公開のテストだけのセルです（正式な採点で確かめます）。")
                    continue
                if session.time_left() <= 0:
                    failure: BaseException | None = _Stop(TOTAL_TIMEOUT_MESSAGE.format(seconds=int(limits.total_seconds)))
                    outputs, kinds = [], {}
                else:
                    outputs, failure, kinds = tests.run(cell.source)
                if failure is None:
                    results[cell.index] = CellResult(outputs, count, True)
                else:
                    message = explain(failure, earlier_error, kinds)
                    ename = "AssertionError" if isinstance(failure, AssertionError) else type(failure).__name__
                    results[cell.index] = CellResult([*outputs, error_output(ename, message)], count, False, message)
                earlier_error = None
        finally:
            session.stop()
        return GradingAnswer(results, session.flags)


def _copy_supporting_files(folder: str | None, workdir: Path) -> None:
    """Files handed in beside the notebook (not notebooks), up to a modest size."""
    if not folder:
        return
    source = Path(folder)
    if not source.is_dir():
        return
    budget = 50 * 1024 * 1024
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.suffix == ".ipynb" or ".ipynb_checkpoints" in path.parts:
            continue
        size = path.stat().st_size
        if size > budget:
            break
        budget -= size
        target = workdir / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def main() -> int:
    try:
        answer = grade(GradingRequest.from_json(sys.stdin.read()))
    except Exception as error:  # a malformed request too: never a traceback for the learner
        answer = GradingAnswer.failed(f"採点の準備中に問題が起きました（{type(error).__name__}: {error}）")
    sys.stdout.write("\n" + answer.to_json() + "\n")
    sys.stdout.flush()
    return 0


__all__ = ["LearnerError", "explain", "grade", "names_used", "preimport"]

if __name__ == "__main__":
    raise SystemExit(main())
