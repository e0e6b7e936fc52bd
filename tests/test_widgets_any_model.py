"""Every lesson widget's buttons work, whatever the model answers.

Each widget is built as its lesson builds it and each of its buttons is pressed once, on the ``compatible``
backend against a server on 127.0.0.1 that answers like a real model with none of the practice engine's habits
(``tests.support.any_model``). A handler that only copes with the engine's answers would raise; ipywidgets
catches that and logs it, so the log is what is checked, with the widget's outputs.
"""

from __future__ import annotations

import logging

import pytest

from kenshu import lessons
from tests.support.any_model import another_model

# the trainer's page and the guideline writer send nothing to a model
WIDGETS = sorted(set(lessons.FACTORIES) - {"class_admin", "guideline_builder"})
# widgets that work in this PC only (the n-gram model, the checkers, the quiz)
OFFLINE_ONLY = {"checker", "classification_quiz", "mynumber_calculator", "ngram_explorer"}
PROMPT = "次の会議録を3点で要約してください。\n\n本日の会議では、研修の日程と会場を決めた。"


def _shown(widget) -> str:
    parts = []
    for part in widget.outputs.values():
        value = getattr(part, "value", None)
        parts.append(value if isinstance(value, str) else "")
        parts.extend(str(output) for output in getattr(part, "outputs", ()))
    return "\n".join(parts)


@pytest.mark.parametrize("name", WIDGETS)
def test_every_button_of_the_widget_copes_with_any_answer(name, tmp_path, monkeypatch, caplog):
    pytest.importorskip("ipywidgets")
    monkeypatch.chdir(tmp_path)
    with another_model(monkeypatch, tmp_path / "audit.sqlite3") as behaviour:
        widget = getattr(lessons, name)()
        assert widget.buttons, f"{name} has no buttons"
        for field in widget.inputs.values():  # what a learner would type where a box starts empty
            if isinstance(getattr(field, "value", None), str) and not field.value.strip():
                field.value = PROMPT
        with caplog.at_level(logging.WARNING):
            for button in widget.buttons.values():
                button.click()
        sent = sum(1 for _, path, _ in behaviour.bodies if path.endswith("/chat/completions"))
    assert sent >= 1 or name in OFFLINE_ONLY, f"{name} sent nothing to the model"
    failures = [record.getMessage() for record in caplog.records if "Exception in callback" in record.getMessage()]
    assert failures == [], failures
    assert "Traceback" not in _shown(widget)
