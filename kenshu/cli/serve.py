"""``kenshu serve``: the offline engine as the classroom's OpenAI-compatible server.

Tuning, measured on 2 cores with 40 clients (docs/benchmarks.md): one uvicorn
process, h11 (httptools is not a dependency), the asyncio loop, anyio's default
40 worker threads. The engine is CPU-bound under one GIL, so more threads add
nothing; what made the difference was TCP_NODELAY on accepted sockets (see
``_bind``) and answering identical requests once (``kenshu.server.AnswerCache``).
Two worker processes gave no reliable gain on 2 cores and would complicate
Ctrl+C on Windows and handing the key to each worker, so there are none.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from kenshu.errors import SettingsError
from kenshu.server import create_app
from kenshu.settings import OFFLINE_MODEL

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(message)s", "datefmt": "%H:%M:%S"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "kenshu.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def server_config(app: ASGIApp, *, log_config: dict[str, Any] | None = LOG_CONFIG) -> uvicorn.Config:
    """uvicorn settings for the classroom server (tests use the same, without logging setup)."""
    return uvicorn.Config(
        app, http="h11", loop="asyncio", lifespan="off", log_config=log_config,
        access_log=False,  # kenshu.server logs method, path, status and ms itself
        timeout_keep_alive=15,  # longer than the SDK's 5 s pool expiry: never close a connection it is reusing
    )


KEY_VARIABLE = "KENSHU_SERVE_API_KEY"


def resolve_key(api_key: str | None, key_file: Path | None) -> str | None:
    """The key from --api-key, else from --api-key-file (first line), else from KENSHU_SERVE_API_KEY.

    A key on the command line is visible to every user of the PC in the process list; the file and the
    environment variable are not."""
    if api_key:
        return api_key
    if key_file is not None:
        try:
            lines = key_file.read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise SettingsError(f"APIキーのファイル {key_file} を読めませんでした（{exc.strerror or exc}）。",
                                todo="ファイルの場所を確かめてください。1 行目にキーだけを書きます。",
                                setting="--api-key-file") from None
        key = lines[0].strip() if lines else ""
        if not key:
            raise SettingsError(f"APIキーのファイル {key_file} の 1 行目が空です。", todo="1 行目にキーだけを書いてください。",
                                setting="--api-key-file")
        return key
    return os.environ.get(KEY_VARIABLE, "").strip() or None


def serve(*, host: str, port: int, api_key: str | None, max_body_bytes: int, key_file: Path | None = None) -> int:
    try:
        api_key = resolve_key(api_key, key_file)
    except SettingsError as exc:
        print(f"[kenshu] {exc}", file=sys.stderr)
        return 2
    if max_body_bytes <= 0:
        print("[kenshu] --max-body-kb には 1 以上の数を指定してください。", file=sys.stderr)
        return 2
    if not _is_loopback(host) and not api_key:
        print("[kenshu] 注意: APIキーを設定せずに、ほかの PC から接続できる状態で起動しようとしています。"
              "同じネットワークにいるだれでもこのサーバーを使えます。環境変数 KENSHU_SERVE_API_KEY か --api-key-file で"
              "キーを設定することをお勧めします。",
              file=sys.stderr, flush=True)
    try:
        listener = _bind(host, port)
    except (OSError, OverflowError) as exc:
        print(f"[kenshu] {_bind_failure(host, port, exc)}", file=sys.stderr)
        return 1
    _print_instructions(host, listener.getsockname()[1], api_key)
    server = uvicorn.Server(server_config(create_app(api_key=api_key, max_body_bytes=max_body_bytes)))
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl+C after a clean shutdown
    finally:
        listener.close()
    print("[kenshu] サーバーを停止しました。", flush=True)
    return 0


def _bind(host: str, port: int) -> socket.socket:
    """Bind here rather than in uvicorn, so a busy port becomes a message, not a traceback.

    The socket is made with proto=IPPROTO_TCP as getaddrinfo gives it: asyncio only sets
    TCP_NODELAY on accepted sockets whose proto says TCP, and without it every response
    on a kept-alive connection waited ~40 ms for a delayed ACK (socket.create_server).
    """
    if not 0 <= port <= 65535:
        raise OverflowError(port)
    family, kind, proto, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE)[0]
    listener = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share the port
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(2048)
    except BaseException:
        listener.close()
        raise
    return listener


def _bind_failure(host: str, port: int, exc: BaseException) -> str:
    if isinstance(exc, OverflowError):
        return f"ポート番号 {port} は使えません。1 から 65535 までの番号を指定してください。"
    if isinstance(exc, socket.gaierror) or getattr(exc, "errno", None) == errno.EADDRNOTAVAIL:
        return (f"アドレス {host} で待ち受けできません。この PC のアドレス、127.0.0.1"
                "（この PC だけで使う場合）または 0.0.0.0（研修室の他の PC から使う場合）を指定してください。")
    if getattr(exc, "errno", None) in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
        return (f"ポート {port} は、ほかのプログラムがすでに使っています。先に起動したサーバーを止めるか、"
                "--port で別の番号（例: 8001）を指定してください。")
    if getattr(exc, "errno", None) in (errno.EACCES, getattr(errno, "WSAEACCES", -1)):
        return f"ポート {port} を使う権限がありません。--port で 1024 以上の番号（例: 8000）を指定してください。"
    return f"{host}:{port} で待ち受けを始められませんでした（{exc.strerror or exc}）。"  # type: ignore[attr-defined]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _print_instructions(host: str, port: int, api_key: str | None) -> None:
    everywhere = host in ("0.0.0.0", "::", "")
    shown = "<この PC の IP アドレス>" if everywhere else (f"[{host}]" if ":" in host else host)
    lines = [
        f"[kenshu] オフライン練習エンジンを OpenAI 互換サーバーとして起動しました（{host}:{port} で待ち受け）。",
        "[kenshu] 受講者の PC では、次のように設定してください。",
        "    KENSHU_BACKEND=compatible",
        f"    OPENAI_BASE_URL=http://{shown}:{port}/v1",
        f"    KENSHU_MODEL={OFFLINE_MODEL}",
    ]
    if api_key:
        lines += ["    OPENAI_API_KEY=<講師が伝えるキー>",
                  "[kenshu] このサーバーは APIキーを求めます。設定したキーを受講者に伝えてください。"]
    if everywhere:
        lines.append("[kenshu] <この PC の IP アドレス> は、Windows では ipconfig、macOS・Linux では ip addr などで確認できます。")
    elif _is_loopback(host):
        lines.append("[kenshu] この設定では、この PC の中からだけ接続できます。研修室の他の PC から使うときは --host 0.0.0.0 で起動してください。")
    lines.append("[kenshu] 終了するには、この画面で Ctrl+C を押してください。")
    print("\n".join(lines), flush=True)
