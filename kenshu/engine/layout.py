"""Writing items out as the request asks: prose, bullets (・), one per line, or a Markdown table."""

from __future__ import annotations

from collections.abc import Sequence

BULLET = "・"


def render(items: Sequence[str], kind: str | None) -> str:
    """``items`` (sentences) as prose (kind None or "sentences"), "bullets" or "lines"."""
    if kind == "bullets":
        return "\n".join(f"{BULLET}{item}" for item in items)
    if kind == "lines":
        return "\n".join(items)
    return "".join(items)


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ").strip() or "―"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table; a ``|`` inside a cell is written as a full-width ｜."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
