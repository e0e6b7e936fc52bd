"""The audit log's schema, built and upgraded by numbered migrations.

``MIGRATIONS[n - 1]`` takes a file from version ``n - 1`` to version ``n``. The
version a file is at lives in ``PRAGMA user_version`` (0: a new, empty file). All
pending migrations run in one ``BEGIN IMMEDIATE`` transaction, so a kernel killed
half-way leaves the file at its old version, and two kernels opening an old file at
once upgrade it once. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from kenshu.errors import AuditLogError

TABLE = "calls"


def _v1_calls_table(db: sqlite3.Connection) -> None:
    """One row per model call (or per call the gate blocked)."""
    db.execute(
        f"""
        CREATE TABLE {TABLE} (
            id                INTEGER PRIMARY KEY,
            time              TEXT NOT NULL,     -- UTC, ISO-8601 with ms: 2026-04-01T00:00:00.000Z
            user              TEXT NOT NULL,
            backend           TEXT NOT NULL,
            model             TEXT,
            endpoint          TEXT NOT NULL,     -- chat.completions | embeddings | other path
            prompt            TEXT NOT NULL,     -- masked text that was sent
            response          TEXT NOT NULL,     -- masked reply text, '' if none
            decision          TEXT NOT NULL,     -- allowed | masked | blocked
            reason            TEXT NOT NULL,
            confidentiality   INTEGER,
            prompt_tokens     INTEGER,
            completion_tokens INTEGER,
            latency_ms        REAL,
            status            TEXT NOT NULL      -- ok | error | blocked
        )
        """
    )


def _v2_pii_kinds_and_time_index(db: sqlite3.Connection) -> None:
    """The kinds of personal data the gate found (a JSON array), and an index for ``since``."""
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN pii_kinds TEXT NOT NULL DEFAULT '[]'")
    db.execute(f"CREATE INDEX {TABLE}_time ON {TABLE} (time)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_calls_table,
    _v2_pii_kinds_and_time_index,
]
LATEST = len(MIGRATIONS)


def version_of(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def refuse_newer(version: int, path: Path) -> None:
    """A file from a newer kenshu: stop before changing anything in it."""
    if version > LATEST:
        raise AuditLogError(
            f"利用記録のファイル {path} は、この kenshu より新しい版で作られています"
            f"（ファイルの形式: 第{version}版、この kenshu が扱えるのは第{LATEST}版まで）。ファイルは変更していません。",
            todo="kenshu を新しい版に更新してください。すぐに更新できないときは、KENSHU_AUDIT_LOG"
                 "（または kenshu.toml の audit_log）で別のファイルを指定してください。",
            setting="KENSHU_AUDIT_LOG",
        )


def check(db: sqlite3.Connection, path: Path) -> int:
    """The file's version, after refusing a newer kenshu's file or someone else's database.

    Only reads, so a refused file is left exactly as it was.
    """
    own = not db.in_transaction
    if own:
        db.execute("BEGIN")  # one snapshot: another kernel may be creating the file right now
    try:
        found = version_of(db)
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]
    finally:
        if own:
            db.execute("COMMIT")
    refuse_newer(found, path)
    if found == 0:
        if tables:
            raise AuditLogError(
                f"{path} は kenshu の利用記録ではない SQLite ファイルです。ファイルは変更していません。",
                todo="KENSHU_AUDIT_LOG（または kenshu.toml の audit_log）で、利用記録用の別のファイル名を指定してください。",
                setting="KENSHU_AUDIT_LOG",
            )
    return found


def migrate(db: sqlite3.Connection, path: Path) -> int:
    """Bring the file at ``db`` (autocommit connection) to ``LATEST``; return the version found."""
    found = check(db, path)
    if found == LATEST:
        return found
    db.execute("BEGIN IMMEDIATE")
    try:
        found = check(db, path)  # another kernel may have upgraded it while we waited for the lock
        for step in MIGRATIONS[found:]:
            step(db)
        db.execute(f"PRAGMA user_version = {LATEST}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return found
