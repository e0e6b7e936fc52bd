"""The engine's notes: short lines after the reply that say what it did or could not do.

A reply is its body, then (after a blank line) the notes, each starting with ※ — or, for a draft,
the line listing the 【要確認】 items. A reader counts the body only: ``body_of(reply)``.
"""

from __future__ import annotations

from collections.abc import Sequence

NOTE_MARK = "※"
MISSING_ITEMS = "【要確認】の項目"


def _is_note(line: str) -> bool:
    return line.startswith((NOTE_MARK, MISSING_ITEMS))


def with_notes(body: str, notes: Sequence[str]) -> str:
    """``body`` and, after a blank line, each note (a ※ is added where the note has none)."""
    lines = [note if _is_note(note) else f"{NOTE_MARK} {note}" for note in dict.fromkeys(notes) if note]
    return "\n".join([body, "", *lines]) if lines else body


def split_notes(reply: str) -> tuple[str, list[str]]:
    """(body, notes): the notes are the lines of the last paragraph when every one of them is a note."""
    head, separator, tail = reply.rstrip("\n").rpartition("\n\n")
    lines = [line for line in tail.splitlines() if line.strip()]
    if separator and lines and all(_is_note(line) for line in lines):
        return head.rstrip("\n"), lines
    return reply, []


def body_of(reply: str) -> str:
    """The reply without the engine's notes: what a reader counts."""
    return split_notes(reply)[0]
