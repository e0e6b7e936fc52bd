"""The lessons' no-code widgets, one module per lesson, and what they share.

In a notebook::

    from kenshu.lessons import checker
    checker()

Each factory returns a ``LessonWidget``: it shows like an ipywidgets box and names its
parts (``.inputs``, ``.outputs``, ``.buttons``). The logic behind each widget lives in
its module and runs without a browser:

- ``orientation``: lesson 00, ``ask_box`` (type a prompt, see the reply);
- ``ngram`` and ``next_token``: lesson 01, the n-gram model and ``ngram_explorer``;
- ``classification``: lesson 02, ``classification_quiz`` (機密性 and where it may go);
- ``pii_checker``: lessons 02 and 03, ``checker`` (個人情報チェッカー);
- ``personal_data``: lesson 03, ``mynumber_calculator`` and ``masked_ask_box``;
- ``prompt_builder``: lesson 04, ``prompt_playground`` (the five elements of a prompt);
- ``draft_check``: lesson 05, ``draft_checker`` (a draft from a drafting task, checked against its facts);
- ``minutes_check``: lesson 06, ``minutes_checker`` (a record's summary and action items next to the reference);
- ``scene_translation``: lesson 07, ``scene_translator`` (the approach, reply and checklist per scene);
- ``comment_analysis`` and ``batch``: lesson 08, ``comment_classifier`` (a label list run over a data set, against the person's labels);
- ``inquiry_bot``: lesson 09, ``faq_chat`` (questions to the accounting inquiry bot, with its cited sections);
- ``guideline_writer``: lesson 12, ``guideline_builder`` (the guideline as Word and as the gate's rules, from choices);
- ``case_runner``: lesson 13, ``case_picker`` (a case of the 活用事例集 filled in and sent, with its checklist);
- ``class_page``: the trainer's page ``grader/class_admin.ipynb``, ``class_admin`` (roster to certificates);
- ``common``: the lazy ipywidgets import, the error box and ``LessonWidget``.

Importing this package imports none of them (nor ipywidgets); a factory's module is
imported when the factory is first looked up. No module is named like a factory, so
``from kenshu.lessons import checker`` is always the function.
"""

from __future__ import annotations

import importlib
from typing import Any

# factory name -> the module that defines it
FACTORIES = {
    "ask_box": "orientation",
    "ngram_explorer": "next_token",
    "classification_quiz": "classification",
    "checker": "pii_checker",
    "mynumber_calculator": "personal_data",
    "masked_ask_box": "personal_data",
    "prompt_playground": "prompt_builder",
    "scene_translator": "scene_translation",
    "draft_checker": "draft_check",
    "minutes_checker": "minutes_check",
    "comment_classifier": "comment_analysis",
    "faq_chat": "inquiry_bot",
    "guideline_builder": "guideline_writer",
    "case_picker": "case_runner",
    "class_admin": "class_page",
}


def __getattr__(name: str) -> Any:
    module = FACTORIES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    factory = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = factory
    return factory


def __dir__() -> list[str]:
    return sorted({*globals(), *FACTORIES})


__all__ = sorted(FACTORIES)
