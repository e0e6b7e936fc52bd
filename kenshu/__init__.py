"""kenshu: a Jupyter course kit on generative AI for Japanese municipal staff.

``ask``, ``check`` and ``review_prompt`` are imported when first used, so that a process that needs only a
part of the kit (the grading processes start one per submission) does not load the openai SDK.
"""

from __future__ import annotations

import importlib
from typing import Any

from kenshu.errors import KenshuError

__version__ = "0.1.0"
# name -> (module, attribute)
_LAZY = {"ask": ("kenshu.simple_ask", "ask"), "check": ("kenshu.grading.selfcheck", "check"),
         "review_prompt": ("kenshu.engine.coach", "checklist")}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = ["KenshuError", "__version__", "ask", "check", "review_prompt"]
