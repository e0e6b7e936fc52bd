"""The audit log: one SQLite row per model call, safe with several kernels writing at once.

The file is an ordinary SQLite database (open it with ``sqlite3`` or DB Browser and
query the ``calls`` table). Every operation opens its own short-lived connection: WAL
journal (a rollback journal on a network share, where WAL is unsafe), a 10 s busy timeout, ``synchronous=FULL``, one autocommit INSERT per call. So
several Jupyter kernels may write at once, a kernel killed mid-call loses at most the
row it was writing, and a file renamed or deleted by the trainer is never written to
through a stale handle.

The store does not mask; the gate does. As a second line of defence ``record``
replaces any 12-digit number that passes the マイナンバー check digit with ［個人番号］.
"""

from __future__ import annotations

import getpass
import json
import os
import random
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from kenshu.audit.migrations import LATEST, TABLE, check, migrate
from kenshu.errors import AuditLogError
from kenshu.safety.checksums import mynumber_is_valid

if TYPE_CHECKING:
    import pandas

FILENAME = "audit.sqlite3"
BUSY_TIMEOUT_S = 10.0
MYNUMBER_PLACEHOLDER = "［個人番号］"
MYNUMBER_NOTE = "記録前の点検で、個人番号（マイナンバー）と思われる12桁の数字が見つかったため、記録では［個人番号］に置き換えました（送信した内容には含まれていた可能性があります）。"

# frame() column order: what happened first, the long texts last
COLUMNS = ("id", "time", "user", "backend", "model", "endpoint", "decision", "status", "reason",
           "confidentiality", "pii_kinds", "prompt_tokens", "completion_tokens", "latency_ms",
           "prompt", "response")
INT_COLUMNS = ("confidentiality", "prompt_tokens", "completion_tokens")
TEXT_COLUMNS = ("user", "backend", "model", "endpoint", "decision", "status", "reason",
                "pii_kinds", "prompt", "response")
_INSERT = (
    f"INSERT INTO {TABLE} (time, user, backend, model, endpoint, prompt, response, decision, reason,"
    " confidentiality, prompt_tokens, completion_tokens, latency_ms, status, pii_kinds)"
    " VALUES (:time, :user, :backend, :model, :endpoint, :prompt, :response, :decision, :reason,"
    " :confidentiality, :prompt_tokens, :completion_tokens, :latency_ms, :status, :pii_kinds)"
)
_TOD = "KENSHU_AUDIT_LOG（または kenshu.toml の audit_log）"


def utc_now() -> str:
    """Now, as the log stores times: ``2026-04-01T00:00:00.000Z``."""
    return _utc_text(datetime.now(UTC))


def _utc_text(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def current_user() -> str:
    name = os.environ.get("KENSHU_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record the call
        return "unknown"


@dataclass(frozen=True)
class AuditEntry:
    """One model call as the gate saw it. ``prompt`` and ``response`` are already masked."""

    backend: str
    model: str | None
    endpoint: str                 # "chat.completions" | "embeddings" | another path
    prompt: str                   # masked text of the messages sent
    response: str                 # masked reply text, "" if none
    decision: str                 # "allowed" | "masked" | "blocked"
    reason: str                   # Japanese, may be ""
    confidentiality: int | None
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: float | None
    status: str                   # "ok" | "error" | "blocked"
    pii_kinds: tuple[str, ...]    # kinds detected, e.g. ("mynumber",)
    time: str = field(default_factory=utc_now)
    user: str = field(default_factory=current_user)


# ---------------------------------------------------------------- マイナンバー, second line of defence

_DIGIT = "[0-9０-９]"
_SEP = "[-‐‑－ 　]"
_TWELVE_DIGITS = re.compile(
    rf"(?<![0-9０-９])(?:{_DIGIT}{{12}}|{_DIGIT}{{4}}{_SEP}{_DIGIT}{{4}}{_SEP}{_DIGIT}{{4}})(?![0-9０-９])")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_mynumber(digits: str) -> bool:
    """Whether 12 digits (half- or full-width) pass the 個人番号 check digit."""
    return mynumber_is_valid(digits.translate(_FULLWIDTH))


def redact_mynumbers(text: str) -> tuple[str, int]:
    """``text`` with every 12-digit run that is a valid 個人番号 replaced, and how many were."""
    found = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal found
        if is_mynumber(re.sub(_SEP, "", match.group())):
            found += 1
            return MYNUMBER_PLACEHOLDER
        return match.group()

    return _TWELVE_DIGITS.sub(replace, text), found


# ---------------------------------------------------------------- the log

def default_path() -> Path:
    return Path(platformdirs.user_data_dir("kenshu", appauthor=False)) / FILENAME


def _text(value: object) -> str:
    """A value as text SQLite can store: lone surrogates (broken decodes) become U+FFFD."""
    text = "" if value is None else str(value)
    return _SURROGATE.sub("\ufffd", text)


def _optional(value: object, kind: type) -> object:
    return None if value is None else kind(value)


def _row(entry: AuditEntry) -> dict[str, object]:
    prompt, in_prompt = redact_mynumbers(_text(entry.prompt))
    response, in_response = redact_mynumbers(_text(entry.response))
    reason, in_reason = redact_mynumbers(_text(entry.reason))
    kinds = [_text(kind) for kind in (entry.pii_kinds or ())]
    if in_prompt or in_response or in_reason:
        reason = f"{reason} {MYNUMBER_NOTE}".strip()
        kinds.append("mynumber")
    try:
        moment = datetime.fromisoformat(str(entry.time))
    except ValueError as exc:
        raise ValueError(f"AuditEntry.time must be ISO-8601, got {entry.time!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the field is UTC by definition
    return {
        "time": _utc_text(moment),
        "user": _text(entry.user),
        "backend": _text(entry.backend),
        "model": None if entry.model is None else _text(entry.model),
        "endpoint": _text(entry.endpoint),
        "prompt": prompt,
        "response": response,
        "decision": _text(entry.decision),
        "reason": reason,
        "confidentiality": _optional(entry.confidentiality, int),
        "prompt_tokens": _optional(entry.prompt_tokens, int),
        "completion_tokens": _optional(entry.completion_tokens, int),
        "latency_ms": _optional(entry.latency_ms, float),
        "status": _text(entry.status),
        "pii_kinds": json.dumps(list(dict.fromkeys(kinds)), ensure_ascii=False),
    }


def parse_since(since: str) -> str:
    """``since`` as the stored time text it compares with.

    A date (2026-04-01 or 2026/4/1) or a time without an offset means local time on
    this PC (a Japanese office's 4月1日 starts at 0:00 JST); an offset is honoured.
    """
    text = str(since).strip()
    moment = None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for form in ("%Y/%m/%d", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"):
            try:
                moment = datetime.strptime(text, form)
                break
            except ValueError:
                continue
    if moment is None:
        raise AuditLogError(
            f"期間の指定「{since}」を日付として読み取れませんでした。",
            todo="2026-04-01 のように 年-月-日 の形で指定してください（時刻も付けるなら 2026-04-01T09:00）。",
        )
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive: this PC's local time
    return _utc_text(moment)


# file systems where SQLite's WAL (shared memory beside the file) is unsafe: network shares
NETWORK_FILE_SYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph",
                                  "glusterfs", "fuse.glusterfs", "davfs", "fuse.davfs2", "lustre", "gpfs"})


def _mount_type(path: Path, mounts: str) -> str | None:
    """The file system type of the mount (from /proc/mounts text) that holds ``path``."""
    best, kind = "", None
    target = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def on_network_share(path: Path, *, mounts: str | None = None) -> bool:
    """Whether ``path`` is on a network share (Windows UNC path or network drive, Linux NFS/SMB mounts)."""
    folder = path.expanduser().resolve().parent
    if os.name == "nt":
        text = str(folder)
        if text.startswith("\\\\"):
            return True
        try:
            import ctypes

            return ctypes.windll.kernel32.GetDriveTypeW(os.path.splitdrive(text)[0] + "\\") == 4  # DRIVE_REMOTE
        except (AttributeError, OSError):
            return False
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False  # macOS and others: WAL, as before
    return _mount_type(folder, mounts) in NETWORK_FILE_SYSTEMS


def journal_mode(path: Path) -> str:
    """WAL on a local disk; on a network share SQLite's rollback journal (WAL needs memory shared on one PC)."""
    return "DELETE" if on_network_share(path) else "WAL"


class AuditLog:
    """The audit SQLite file at ``path`` (None: ``audit.sqlite3`` in the user's data folder)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path).expanduser() if path else default_path()
        if self.path.is_dir():
            raise AuditLogError(
                f"利用記録の保存先 {self.path} はフォルダーです。",
                todo=f"{_TOD} には、フォルダーではなくファイルのパスを指定してください（例: {self.path / FILENAME}）。",
                setting="KENSHU_AUDIT_LOG",
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._unwritable(exc) from exc
        self._ready: tuple[int, int] | None = None  # (device, inode) of the file this object has set up

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r})"

    # -- errors a person can act on

    def _unwritable(self, exc: BaseException) -> AuditLogError:
        return AuditLogError(
            f"利用記録（監査ログ）のファイル {self.path} に書き込めません（{exc}）。",
            todo=f"フォルダーの書き込み権限と空き容量を確認するか、{_TOD} で書き込みできる場所のファイルを指定してください。"
                 "（ネットワーク上の共有フォルダーは使えないことがあります。）",
            setting="KENSHU_AUDIT_LOG",
        )

    def _error(self, exc: sqlite3.Error) -> AuditLogError:
        message = str(exc).lower()
        if isinstance(exc, sqlite3.OperationalError):
            if "locked" in message or "busy" in message:
                return AuditLogError(
                    f"利用記録のファイル {self.path} をほかのプログラムが使っていて、{BUSY_TIMEOUT_S:.0f} 秒待っても使えませんでした。",
                    todo="DB Browser などでこのファイルを開いている場合は閉じてから、もう一度実行してください。",
                    setting="KENSHU_AUDIT_LOG",
                )
            if "malformed" not in message and "not a database" not in message:
                return self._unwritable(exc)
        return AuditLogError(
            f"利用記録のファイル {self.path} が壊れているか、SQLite のファイルではありません（{exc}）。",
            todo="ファイルは消さずに別の名前（例: audit-broken.sqlite3）に変えて保管し、講師か管理者に知らせてください。"
                 "名前を変えると、次の記録から新しいファイルが作られます。",
            setting="KENSHU_AUDIT_LOG",
        )

    # -- connection

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = None
        try:
            db = self._open_and_prepare()
            yield db
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        except OSError as exc:
            raise self._unwritable(exc) from exc
        finally:
            if db is not None:
                db.close()

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def _open_and_prepare(self) -> sqlite3.Connection:
        """Open, set the journal mode and migrate; retried while other kernels set up the same new file.

        SQLite answers "locked" at once, without waiting, where two connections would
        otherwise deadlock (both changing the journal mode or upgrading their locks);
        every step here is idempotent, so the whole setup is simply tried again.
        The same file (same device and inode) at the latest schema version is opened
        without setting it up again: the journal mode is stored in the file.
        """
        identity = self._identity()
        if identity is not None and identity == self._ready:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            try:
                db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                db.execute("PRAGMA synchronous = FULL")
                if db.execute("PRAGMA user_version").fetchone()[0] == LATEST:
                    return db
            except sqlite3.Error:
                pass
            db.close()
            self._ready = None
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        attempt = 0
        while True:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            try:
                db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                check(db, self.path)  # reads only: a refused file stays untouched
                db.execute(f"PRAGMA journal_mode = {journal_mode(self.path)}")
                db.execute("PRAGMA synchronous = FULL")
                migrate(db, self.path)
                self._ready = self._identity()
                return db
            except sqlite3.OperationalError as exc:
                db.close()
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
            except BaseException:
                db.close()
                raise
            attempt += 1
            time.sleep(random.uniform(0.01, 0.05) * min(attempt, 10))

    def version(self) -> int:
        """The schema version of the file (after opening, which upgrades an old file)."""
        with self._connect() as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])

    # -- the API the gate and the notebooks use

    def record(self, entry: AuditEntry) -> None:
        """Append one call; returns once the row is committed to disk."""
        row = _row(entry)
        with self._connect() as db:
            db.execute(_INSERT, row)  # autocommit: its own short transaction

    def frame(self, *, since: str | None = None) -> pandas.DataFrame:
        """Every recorded call (from ``since`` on), oldest first, as typed pandas columns."""

        where, params = ("WHERE time >= ?", (parse_since(since),)) if since else ("", ())
        query = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} {where} ORDER BY time, id"
        with self._connect() as db:
            rows = db.execute(query, params).fetchall()
        return typed_frame(rows)


def _kinds_text(raw: object) -> str:
    try:
        kinds = json.loads(raw) if isinstance(raw, str) else []
    except ValueError:
        return str(raw)
    return ",".join(str(kind) for kind in kinds) if isinstance(kinds, list) else str(raw)


def typed_frame(rows: list[tuple] | None = None) -> pandas.DataFrame:
    """Rows of ``COLUMNS`` as a DataFrame: time datetime64[ms, UTC], counts nullable Int64, text string."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows or [], columns=list(COLUMNS))
    frame["id"] = frame["id"].astype("int64")
    # ms: the precision the log stores, and the same dtype whether or not there are rows
    times = pd.to_datetime(frame["time"].astype(object), utc=True, format="ISO8601")
    frame["time"] = times.astype("datetime64[ms, UTC]")
    frame["pii_kinds"] = frame["pii_kinds"].map(_kinds_text, na_action="ignore")
    for column in INT_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    frame["latency_ms"] = frame["latency_ms"].astype("float64")
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].astype("string")
    return frame
