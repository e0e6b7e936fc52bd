"""The audit log (利用記録): every model call kenshu makes, in a queryable SQLite file.

In a notebook::

    import kenshu.audit
    kenshu.audit.frame()                     # every call, oldest first
    kenshu.audit.frame(since="2026-04-01")   # from 1 April (this PC's local time)

The file is ``KENSHU_AUDIT_LOG`` (or ``audit_log`` in kenshu.toml), by default
``audit.sqlite3`` in the user's data folder. ``kenshu audit export`` writes it as CSV.
Importing this module touches no file and does not import pandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kenshu.audit.migrations import LATEST as SCHEMA_VERSION
from kenshu.audit.store import AuditEntry, AuditLog, default_path, is_mynumber, parse_since

if TYPE_CHECKING:
    import pandas

    from kenshu.settings import Settings

__all__ = ["SCHEMA_VERSION", "AuditEntry", "AuditLog", "default_path", "frame", "is_mynumber",
           "log_path", "open_log", "parse_since"]


def log_path(settings: Settings) -> Path:
    """Where ``settings`` put the log.

    A relative ``audit_log`` from a kenshu.toml is relative to that file's folder, so a
    kernel running in ``course/`` and the ``kenshu`` command at the kit's top write the
    same file; from an environment variable or an argument it is relative to the
    working folder.
    """
    from kenshu.settings import path_setting

    return path_setting(settings, "audit_log") or default_path()


def open_log(settings: Settings) -> AuditLog:
    """The audit log ``settings`` point at (its folder is created if missing)."""
    return AuditLog(log_path(settings))


def frame(*, since: str | None = None, **overrides: object) -> pandas.DataFrame:
    """The calls recorded in the effective settings' log, one row each, oldest first.

    ``overrides`` are settings as for ``kenshu.settings.resolve`` (e.g. ``audit_log="x.sqlite3"``).
    """
    from kenshu.settings import resolve

    return open_log(resolve(**overrides)).frame(since=since)
