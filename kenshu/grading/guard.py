"""What learner code may touch while it is graded: an audit hook installed in the sandbox process.

Reading is allowed only inside the sandbox's own folder, the kit's datasets, the Python installation
and system folders; writing only inside the sandbox's folder.  Starting programs, opening network
connections, signalling other processes, loading native code through ctypes, raising resource
limits and adding audit hooks are refused.  Every refusal raises ``PermissionError`` in the learner's
code and is reported to the grader, which flags it for the trainer.

Python's audit hooks are not a complete sandbox (native code can get round them); see
``docs/grading.md`` for what this does and does not defend.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

# event → what the learner's code tried to do (Japanese, for the trainer's report)
FORBIDDEN_EVENTS = {
    "subprocess.Popen": "外部のプログラムを起動しようとした",
    "os.system": "外部のプログラムを起動しようとした",
    "os.exec": "外部のプログラムを起動しようとした",
    "os.posix_spawn": "外部のプログラムを起動しようとした",
    "os.spawn": "外部のプログラムを起動しようとした",
    "os.startfile": "外部のプログラムを起動しようとした",
    "pty.spawn": "外部のプログラムを起動しようとした",
    "os.fork": "プロセスを複製しようとした",
    "os.forkpty": "プロセスを複製しようとした",
    "os.kill": "ほかのプロセスに合図（シグナル）を送ろうとした",
    "os.killpg": "ほかのプロセスに合図（シグナル）を送ろうとした",
    "signal.pthread_kill": "ほかのプロセスに合図（シグナル）を送ろうとした",
    "socket.connect": "ネットワークに接続しようとした",
    "socket.bind": "ネットワークに接続しようとした",
    "socket.sendto": "ネットワークに接続しようとした",
    "socket.sendmsg": "ネットワークに接続しようとした",
    "socket.getaddrinfo": "ネットワークに接続しようとした",
    "socket.gethostbyname": "ネットワークに接続しようとした",
    "webbrowser.open": "ブラウザーを開こうとした",
    "ctypes.dlopen": "ctypes で機械語の部品を読み込もうとした",
    "ctypes.dlsym": "ctypes で機械語の部品を読み込もうとした",
    "ctypes.dlsym/handle": "ctypes で機械語の部品を読み込もうとした",
    "ctypes.cdata": "ctypes でメモリーを直接読み書きしようとした",
    "ctypes.cdata/buffer": "ctypes でメモリーを直接読み書きしようとした",
    "ctypes.addressof": "ctypes でメモリーを直接読み書きしようとした",
    "ctypes.string_at": "ctypes でメモリーを直接読み書きしようとした",
    "ctypes.wstring_at": "ctypes でメモリーを直接読み書きしようとした",
    "ctypes.PyObj_FromPtr": "ctypes でメモリーを直接読み書きしようとした",
    "ctypes.call_function": "ctypes で機械語の関数を呼ぼうとした",
    "resource.setrlimit": "採点時の制限（時間・メモリー）を変えようとした",
    "resource.prlimit": "採点時の制限（時間・メモリー）を変えようとした",
    "sys.addaudithook": "採点の見張り（監査フック）を変えようとした",
    "sys.remote_exec": "ほかのプロセスでコードを実行しようとした",
}

# events whose listed arguments are paths that get written (created, removed, renamed, changed)
WRITE_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1), "os.replace": (0, 1),
    "os.chmod": (0,), "os.chown": (0,), "os.link": (0, 1), "os.symlink": (1,), "os.truncate": (0,),
    "os.utime": (0,), "os.chflags": (0,), "os.lchflags": (0,), "os.setxattr": (0,), "os.removexattr": (0,),
    "shutil.rmtree": (0,), "shutil.copyfile": (1,), "shutil.copymode": (1,), "shutil.copystat": (1,),
    "shutil.move": (0, 1), "shutil.chown": (0,),
}
# events whose first argument is a path that gets read or listed
READ_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.getxattr", "os.listxattr", "os.chdir"}

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _as_path(value: object) -> Path | None:
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        if text == "":
            text = "."
        return Path(os.path.abspath(text))
    return None  # a file descriptor or nothing


def _within(path: Path, roots: Iterable[Path]) -> bool:
    resolved = _resolve(path)
    return any(resolved == root or root in resolved.parents for root in roots)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


class Guard:
    """The sandbox's rules: which folders can be read and written, and what happens on a refusal."""

    def __init__(self, workdir: Path, readable: Iterable[Path], on_refusal: Callable[[str, str], None],
                 denied: Iterable[Path] = ()):
        self.writable = [_resolve(workdir), Path(os.devnull)]
        self.readable = [*self.writable, *(_resolve(Path(p)) for p in readable)]
        self.denied = [_resolve(Path(p)) for p in denied]  # wins over readable (solutions/, grader/)
        self.on_refusal = on_refusal
        self._busy = False

    def refuse(self, event: str, reason: str) -> None:
        self.on_refusal(event, reason)
        raise PermissionError(f"採点中は使えない操作です（{reason}）")

    def __call__(self, event: str, args: tuple) -> None:
        if self._busy:  # the hook's own path checks raise events too
            return
        self._busy = True
        try:
            self._check(event, args)
        finally:
            self._busy = False

    def _check(self, event: str, args: tuple) -> None:
        if event in FORBIDDEN_EVENTS:
            self.refuse(event, FORBIDDEN_EVENTS[event])
        elif event == "open":
            self._check_open(args)
        elif event == "sqlite3.connect":
            self._check_write(event, args[0] if args else None, "データベースを開こうとした")
        elif event in WRITE_EVENTS:
            for position in WRITE_EVENTS[event]:
                if position < len(args):
                    self._check_write(event, args[position], "採点用のフォルダーの外のファイルを変えようとした")
        elif event in READ_EVENTS and args:
            self._check_read(event, args[0])

    def _check_open(self, args: tuple) -> None:
        path = _as_path(args[0]) if args else None
        if path is None:
            return
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        writing = (isinstance(mode, str) and any(ch in mode for ch in "wax+")) or bool(flags & _WRITE_FLAGS)
        if writing:
            self._check_write("open", path, "採点用のフォルダーの外にファイルを書こうとした")
        else:
            self._check_read("open", path)

    def _check_write(self, event: str, value: object, reason: str) -> None:
        if isinstance(value, str) and (value == ":memory:" or value.startswith("file::memory:")):
            return
        path = _as_path(value)
        if path is not None and not _within(path, self.writable):
            self.refuse(event, f"{reason}: {path}")

    def _check_read(self, event: str, value: object) -> None:
        path = _as_path(value)
        if path is None:
            return
        if _within(path, self.denied) or not _within(path, self.readable):
            self.refuse(event, f"採点用のフォルダーの外を読もうとした: {path}")


def python_folders() -> list[Path]:
    """The Python installation: standard library, site-packages and the prefixes."""
    import site
    import sysconfig

    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    folders.update(sysconfig.get_paths().get(key, "") for key in ("stdlib", "platstdlib", "purelib", "platlib"))
    try:
        folders.update(site.getsitepackages())
    except AttributeError:  # virtualenv's old site module
        pass
    return [Path(f) for f in folders if f]


SYSTEM_FOLDERS = [Path("/usr"), Path("/etc"), Path("/lib"), Path("/lib64"), Path("/opt/conda"),
                  Path("/dev/urandom"), Path("/dev/null"), Path("/proc/self"), Path("/sys/devices/system/cpu"),
                  # how many CPUs and how much memory: libraries ask (Rust's standard library reads cgroups)
                  Path("/sys/fs/cgroup"), Path("/proc/cpuinfo"), Path("/proc/meminfo")]


def install(workdir: Path, extra_readable: Iterable[Path], on_refusal: Callable[[str, str], None],
            denied: Iterable[Path] = ()) -> Guard:
    """Install the hook for the rest of this process's life (audit hooks cannot be removed)."""
    readable = [*python_folders(), *SYSTEM_FOLDERS, *extra_readable]
    guard = Guard(workdir, readable, on_refusal, denied)
    sys.addaudithook(guard)
    return guard


__all__ = ["FORBIDDEN_EVENTS", "Guard", "install", "python_folders"]
