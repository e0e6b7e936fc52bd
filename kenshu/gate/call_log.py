"""Every call through the gate goes into the audit log, with every kind of personal data masked.

Whatever the decision (sent, masked, blocked, failed), the log holds the call's texts with
placeholders, never the values. A log that cannot be written gives one Japanese warning per
place; the learner's answer is never lost for it.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kenshu.gate.decide import Decision
from kenshu.gate.outgoing import MAX_INSPECT_CHARS
from kenshu.safety import KINDS, Masker, find_pii
from kenshu.settings import Settings

# the log masks every kind, whatever the policy allows to be sent
LOG_KINDS = frozenset(KINDS)


class AuditLogWarning(UserWarning):
    """The audit log could not be written; the call itself went ahead."""


def too_long_for_log(length: int) -> str:
    return f"（{length:,} 文字。長すぎるため記録には残していません）"


@dataclass
class Call:
    """One call as the gate saw it: what to log and how to unmask the reply."""

    endpoint: str
    model: str | None
    decision: Decision
    log_prompt: str                 # the texts sent, masked for the log
    log_masker: Masker              # numbers the reply's personal data after the prompt's
    send_masker: Masker | None      # set when the texts were masked before sending
    started: float

    def masked_for_log(self, text: str) -> str:
        if len(text) > MAX_INSPECT_CHARS:  # too long to check: not kept at all
            return too_long_for_log(len(text))
        text = self.log_masker.hide_known(text)
        return self.log_masker.apply(text, find_pii(text))


def new_log_masker(texts: Sequence[str] = ()) -> Masker:
    return Masker(LOG_KINDS, texts=texts)


_warned: set[str] = set()
_warned_lock = threading.Lock()


def _warn_once(key: str, message: str) -> None:
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    warnings.warn(message, AuditLogWarning, stacklevel=3)


class CallLog:
    """The audit log of one client, opened on the first call."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._log: Any = None
        self._lock = threading.Lock()

    def record(self, call: Call, *, response: str, status: str, usage: object) -> None:
        try:
            from kenshu.audit import AuditEntry, open_log

            usage = usage if isinstance(usage, dict) else {}
            entry = AuditEntry(
                backend=self.settings.backend, model=call.model, endpoint=call.endpoint,
                prompt=call.log_prompt, response=call.masked_for_log(response) if response else "",
                decision=call.decision.action, reason=call.decision.reason,
                confidentiality=call.decision.confidentiality,
                prompt_tokens=_int(usage.get("prompt_tokens")), completion_tokens=_int(usage.get("completion_tokens")),
                latency_ms=round((time.perf_counter() - call.started) * 1000, 1),
                status=status, pii_kinds=call.decision.pii_kinds)
            with self._lock:
                if self._log is None:
                    self._log = open_log(self.settings)
                log = self._log
            log.record(entry)
        except Exception as exc:
            where = getattr(self._log, "path", None) or self.settings.audit_log or "既定の場所"
            detail = getattr(exc, "what", None) or f"{exc.__class__.__name__}: {exc}"
            todo = getattr(exc, "todo", "") or "KENSHU_AUDIT_LOG（または kenshu.toml の audit_log）を確認してください。"
            _warn_once(str(where), f"利用記録（監査ログ）に書き込めませんでした。生成AIの回答はそのまま表示します。"
                                   f"{detail} 対処: {todo} 講師にも知らせてください。")


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
