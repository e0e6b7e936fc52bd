"""The process that decides scores: runs the test cells against the learner's values, never their code.

``python -I -m kenshu.grading.runner`` reads a request on stdin::

    {"cells": [{"index": 3, "kind": "learner" | "test", "source": "...", "grade_id": "q1_test"}, ...],
     "files": "/…/submitted folder" | null,     # supporting files copied next to the learner's code
     "denied": ["/…/solutions", ...],            # folders the learner's code must not read
     "limits": {"cell_seconds": 60, ...}}

Answer cells run in the learner's sandbox (``kenshu.grading.sandbox``), in notebook order.  Test cells
run here, in a fresh namespace with fresh builtins; each learner name a test uses is bound to a
proxy: values arrive as plain data, functions are called in the sandbox and return plain data.
Nothing learner code does can change this process's builtins, hooks, or the outcome of an assertion.

The answer (last line on stdout) gives, per cell, nbformat outputs and, per test cell, pass/fail and a
Japanese message without test source; plus the flags for the trainer.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import re
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from kenshu.grading.learner_process import LearnerProcess, LearnerProcessEnded, LearnerTimeout, Limits

NOT_ANSWERED = ("まだ答えが書かれていません。答えのセルの raise NotImplementedError(...) の行を消して、"
                "答えを書いてください。")
TIMEOUT_MESSAGE = ("時間内に終わらない処理がありました（{seconds} 秒で打ち切りました）。"
                   "同じ処理を繰り返し続けていないか（while の終わる条件など）を確かめてください。")
TOTAL_TIMEOUT_MESSAGE = "全体の時間の上限（{seconds} 秒）に達したため、この確認は実行できませんでした。"
ENDED_MESSAGE = "答えのコードを実行する Python が止まったため、この確認は実行できませんでした（{reason}）。"
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

    def __init__(self, session: "Session", name: str):
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
        self.flags: list[dict] = []
        self.current_cell: Any = None
        self.ran_ok: list[str] = []
        self.restarts = 0
        self.deadline = time.monotonic() + limits.total_seconds
        self.broken: str | None = None

    def flag(self, code: str, reason: str) -> None:
        item = {"code": code, "reason": reason, "cell": self.current_cell}
        if item not in self.flags and len(self.flags) < 100:
            self.flags.append(item)

    def _take_flags(self, answer: dict) -> None:
        for item in answer.get("flags", []) or []:
            if isinstance(item, dict):
                self.flag(str(item.get("code", "unknown"))[:40], str(item.get("reason", ""))[:300])

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
                self.process.request("run", self._timeout(), source=source)
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

    def run(self, source: str) -> tuple[list[dict], dict | None]:
        """Run one answer cell; return its outputs and its error (if any)."""
        if self.time_left() <= 0:
            error = {"ename": "TimeoutError", "evalue": "全体の時間の上限に達しました", "traceback": []}
            return [_error_output(error)], error
        try:
            self._ensure()
            answer = self.process.request("run", self._timeout(), source=source)
        except _Stop as stop:
            error = {"ename": "RuntimeError", "evalue": stop.message, "traceback": []}
            return [_error_output(error)], error
        except (LearnerTimeout, LearnerProcessEnded) as error:
            message = self._died(error)
            described = {"ename": "TimeoutError" if isinstance(error, LearnerTimeout) else "RuntimeError",
                         "evalue": message, "traceback": []}
            return [_error_output(described)], described
        self._take_flags(answer)
        outputs: list[dict] = []
        for name in ("stdout", "stderr"):
            text = answer.get(name)
            if isinstance(text, str) and text:
                outputs.append({"output_type": "stream", "name": name, "text": text})
        for display in answer.get("displays", []) or []:
            if isinstance(display, dict) and display.get("output_type") in ("display_data", "execute_result"):
                output = {"output_type": display["output_type"], "data": display.get("data", {}), "metadata": {}}
                outputs.append(output)
        error = answer.get("error")
        if isinstance(error, dict) and error.get("ename") == "MemoryError":
            self.flag("memory", "メモリーを使いすぎた（MemoryError）")
        if isinstance(error, dict):
            error = {"ename": str(error.get("ename", "Error")), "evalue": str(error.get("evalue", "")),
                     "traceback": [str(line) for line in error.get("traceback", [])][:40]}
            outputs.append(_error_output(error))
        else:
            error = None
            self.ran_ok.append(source)
        return outputs, error

    # --- what the tests see --------------------------------------------------------------------

    def names(self) -> dict:
        names = self._ask("names").get("names")
        return names if isinstance(names, dict) else {}

    def value(self, name: str) -> Any:
        return self._plain(self._ask("get", name=name), name)

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        from kenshu.grading.plain import encode

        return self._plain(self._ask("call", name=name, args=encode(list(args)), kwargs=encode(dict(kwargs))), name)

    def _ask(self, op: str, **fields: Any) -> dict:
        try:
            self._ensure()
            answer = self.process.request(op, self._timeout(), **fields)
        except (LearnerTimeout, LearnerProcessEnded) as error:
            raise _Stop(self._died(error)) from None
        self._take_flags(answer)
        return answer

    def _plain(self, answer: dict, name: str) -> Any:
        from kenshu.grading.plain import decode

        if answer.get("missing"):
            raise NameError(f"name '{name}' is not defined")
        if "raised" in answer:
            raised = answer["raised"] if isinstance(answer["raised"], dict) else {}
            ename, evalue = str(raised.get("ename", "Exception")), str(raised.get("evalue", ""))
            kind = getattr(builtins, ename, None)
            if raised.get("builtin") and isinstance(kind, type) and issubclass(kind, Exception) \
                    and not issubclass(kind, (AssertionError, NameError)):
                error = kind(evalue)
            else:
                error = LearnerError(ename, evalue)
            error._kenshu_learner = name  # type: ignore[attr-defined]
            raise error
        if "not_plain" in answer:
            raise NotGradable(f"{name}: {answer['not_plain']}")
        if "value" not in answer:
            raise NotGradable(f"{name}: 値を受け取れませんでした")
        try:
            return decode(answer["value"])
        except (ValueError, TypeError, KeyError):
            self.flag("malformed", "採点用のやり取りに不正なデータが混じっていた")
            raise NotGradable(f"{name}: 値を受け取れませんでした") from None


# --- the tests ---------------------------------------------------------------------------------

def _error_output(error: dict) -> dict:
    return {"output_type": "error", "ename": error["ename"], "evalue": error["evalue"],
            "traceback": error.get("traceback") or [f"{error['ename']}: {error['evalue']}"]}


def explain(error: BaseException, earlier_error: dict | None, learner_kinds: dict) -> str:
    """A Japanese message for a failed test cell, without the test's source."""
    if isinstance(error, _Stop):
        return error.message
    if isinstance(error, AssertionError):
        message = str(error).strip() or "確認に合いませんでした。"
        if earlier_error is not None and earlier_error.get("ename") == "NotImplementedError":
            return NOT_ANSWERED
        return message
    if earlier_error is not None and earlier_error.get("ename") == "NotImplementedError":
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
        if learner_kinds.get(name, {}).get("kind") == "class":
            message = f"{name} はクラスのため採点できません。関数か値で答えてください。"
        else:
            message = f"{name} が見つかりません。答えのセルに {name} を書き、そのセルを実行できるか確かめてください。"
    else:
        text = str(error).strip()
        message = f"確認の途中でエラーが出ました（{type(error).__name__}: {text}）。" if text else \
            f"確認の途中でエラーが出ました（{type(error).__name__}）。"
    if earlier_error is not None:
        shown = f"{earlier_error.get('ename', '')}: {earlier_error.get('evalue', '')}".strip().rstrip(":")
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

    def run(self, source: str) -> tuple[list[dict], BaseException | None, dict]:
        try:
            tree = _parse(source)
        except SyntaxError as error:
            return [], error, {}
        loaded, bound, _ = names_used(tree)
        wanted = loaded - bound - self.protected
        kinds: dict = {}
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
            outputs.append({"output_type": "stream", "name": "stdout", "text": out.getvalue()[:20_000]})
        return outputs, failure, kinds

    def _bind(self, wanted: set[str], kinds: dict) -> None:
        for name in list(self.from_learner):
            if name not in kinds:  # the learner deleted it: the test must not see a stale value
                self.namespace.pop(name, None)
                self.from_learner.discard(name)
        for name in sorted(wanted):
            info = kinds.get(name)
            if not isinstance(info, dict):
                continue
            kind = info.get("kind")
            if kind == "function":
                self.namespace[name] = LearnerFunction(self.session, name)
            elif kind == "value":
                self.namespace[name] = self.session.value(name)
            elif kind == "module":
                self.namespace[name] = _import(str(info.get("module", "")), name)
            else:
                self.namespace.pop(name, None)
                continue
            self.from_learner.add(name)

    def _check_shadowing(self, kinds: dict) -> None:
        for name, info in kinds.items():
            if name in self.protected and name not in BUILTIN_NAMES and name not in self.shadow_flagged:
                module = str(info.get("module", "")) if isinstance(info, dict) else ""
                genuine = info.get("kind") == "module" or (info.get("kind") == "function"
                                                           and module and module != "__main__")
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


def grade(request: dict) -> dict:
    limits = Limits(**{k: v for k, v in (request.get("limits") or {}).items() if k in Limits.__dataclass_fields__})
    cells = request["cells"]
    from kenshu import datasets

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kenshu-grading-") as scratch:
        workdir = Path(scratch)
        _copy_supporting_files(request.get("files"), workdir)
        readable = [datasets.folder()]
        denied = [Path(p) for p in request.get("denied", [])]
        # the learner's code runs outside the kit: tell it where the kit's datasets are
        session = Session(workdir, limits, readable, denied, env={"KENSHU_DATASETS": str(datasets.folder())})
        tests = TestRunner(session, [c["source"] for c in cells if c["kind"] == "test"])
        try:
            session.start()
        except LearnerProcessEnded as error:
            return {"cells": {}, "flags": [], "error": error.reason}
        try:
            earlier_error: dict | None = None
            count = 0
            for cell in cells:
                index = str(cell["index"])
                session.current_cell = cell.get("grade_id") or f"セル{cell['index'] + 1}"
                if cell["kind"] == "learner":
                    count += 1
                    outputs, error = session.run(cell["source"])
                    earlier_error = earlier_error or error
                    results[index] = {"outputs": outputs, "execution_count": count}
                    continue
                count += 1
                if not _has_code(cell["source"]):
                    results[index] = {"outputs": [], "execution_count": count, "passed": None,
                                      "message": "非公開のテストだけのセルです（正式な採点で確かめます）。"}
                    continue
                if session.time_left() <= 0:
                    failure: BaseException | None = _Stop(TOTAL_TIMEOUT_MESSAGE.format(seconds=int(limits.total_seconds)))
                    outputs, kinds = [], {}
                else:
                    outputs, failure, kinds = tests.run(cell["source"])
                result = {"outputs": outputs, "execution_count": count, "passed": failure is None, "message": ""}
                if failure is not None:
                    message = explain(failure, earlier_error, kinds)
                    ename = "AssertionError" if isinstance(failure, AssertionError) else type(failure).__name__
                    result["message"] = message
                    result["outputs"] = outputs + [{"output_type": "error", "ename": ename, "evalue": message,
                                                    "traceback": [f"{ename}: {message}"]}]
                results[index] = result
                earlier_error = None
        finally:
            session.stop()
        return {"cells": results, "flags": session.flags, "error": None}


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
        answer = grade(json.loads(sys.stdin.read()))
    except Exception as error:  # never a traceback for the learner
        answer = {"cells": {}, "flags": [], "error": f"採点の準備中に問題が起きました（{type(error).__name__}: {error}）"}
    sys.stdout.write("\n" + json.dumps(answer, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
    return 0


__all__ = ["LearnerError", "explain", "grade", "names_used"]

if __name__ == "__main__":
    raise SystemExit(main())
