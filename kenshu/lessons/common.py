"""What every lesson widget shares, written once.

- ``ipywidgets()``: the widget library, imported only when a widget is built, so that
  importing a lesson module (to use its logic) stays cheap and needs no browser.
- ``error_text`` / ``error_html``: a ``KenshuError`` as the learner sees it in a widget
  (``⚠ title`` and the message with its 対処), plain or HTML-escaped.
- ``LessonWidget``: the box a lesson shows, with its named parts (``inputs``, ``outputs``,
  ``buttons``), so tests and trainers reach a field by name instead of by position.
"""

from __future__ import annotations

import html
from types import ModuleType
from typing import Any

from kenshu.errors import KenshuError

ERROR_COLOUR = "#b3261e"


def ipywidgets() -> ModuleType:
    """The ``ipywidgets`` module, imported on first use."""
    import ipywidgets as widgets

    return widgets


def text_area(height: str, *, disabled: bool = True, placeholder: str = "") -> Any:
    """A full-width text box; read-only unless ``disabled=False`` (for results the learner reads)."""
    widgets = ipywidgets()
    area = widgets.Textarea(layout=widgets.Layout(width="100%", height=height), placeholder=placeholder)
    area.disabled = disabled
    return area


def error_text(error: KenshuError) -> str:
    """``⚠ title``, then what happened and what to do, as plain text."""
    return f"⚠ {error.title}\n{error}"


def error_html(error: KenshuError) -> str:
    """The same message as a red block; every character of it is escaped."""
    return f'<div style="color:{ERROR_COLOUR};white-space:pre-wrap">{html.escape(error_text(error))}</div>'


def notice_html(message: str) -> str:
    """A short red line for input the learner has to fix (e.g. an empty box)."""
    return f'<div style="color:{ERROR_COLOUR}">{html.escape(message)}</div>'


class LessonWidget:
    """A lesson's widget box and its parts by name; shows in a notebook exactly as the box does.

    ``box`` is the ipywidgets box (put it inside another box if you need to);
    ``inputs`` are the fields a learner fills, ``outputs`` the parts that show
    results, ``buttons`` the buttons, each a dict by name.
    """

    def __init__(self, box: Any, *, inputs: dict[str, Any] | None = None, outputs: dict[str, Any] | None = None,
                 buttons: dict[str, Any] | None = None) -> None:
        self.box = box
        self.inputs: dict[str, Any] = dict(inputs or {})
        self.outputs: dict[str, Any] = dict(outputs or {})
        self.buttons: dict[str, Any] = dict(buttons or {})

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return repr(self.box)


__all__ = ["LessonWidget", "error_html", "error_text", "ipywidgets", "notice_html"]
