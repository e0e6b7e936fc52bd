"""What every lesson widget shares: the error box, the lazy ipywidgets import, LessonWidget, the old paths."""

import importlib
import subprocess
import sys
import textwrap

import nbformat
import pytest

import kenshu.lessons
from kenshu.errors import GateBlockedError, KenshuError
from kenshu.lessons.common import LessonWidget, error_html, error_text

LESSON_MODULES = ["common", "orientation", "ngram", "next_token", "classification", "pii_checker",
                  "personal_data", "prompt_builder", "scene_translation", "draft_check", "minutes_check",
                  "batch", "comment_analysis", "inquiry_bot", "guideline_writer",
                  "case_runner", "class_page"]
# factory -> the arguments that build it quickly
FACTORIES = {
    "ask_box": (), "ngram_explorer": (), "classification_quiz": (), "checker": ("山田太郎様",),
    "mynumber_calculator": ("123456789018",), "masked_ask_box": (), "prompt_playground": (),
    "scene_translator": (), "comment_classifier": (),
    "minutes_checker": (),
    "draft_checker": (),
    "faq_chat": (),
    "guideline_builder": (),
    "case_picker": (),
    "class_admin": (),
}
OLD_PATHS = {
    "kenshu.widgets": ("kenshu.lessons.orientation", "from kenshu.lessons import ask_box"),
    "kenshu.ngram": ("kenshu.lessons.ngram", "from kenshu.lessons import ngram"),
    "kenshu.ngram_explorer": ("kenshu.lessons.next_token", "from kenshu.lessons import ngram_explorer"),
    "kenshu.classification_quiz": ("kenshu.lessons.classification", "from kenshu.lessons import classification_quiz"),
    "kenshu.safety_checker": ("kenshu.lessons.pii_checker", "from kenshu.lessons import checker"),
    "kenshu.pii_widgets": ("kenshu.lessons.personal_data", "from kenshu.lessons import mynumber_calculator"),
    "kenshu.prompt_playground": ("kenshu.lessons.prompt_builder", "from kenshu.lessons import prompt_playground"),
}


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


# ---------------------------------------------------------------- the error box

def test_error_box_shows_title_message_and_todo():
    error = GateBlockedError("openai には個人番号を送れません。", todo="offline を選んでください。")
    assert error_text(error) == "⚠ 送信を止めました（情報の取り扱いルール）\nopenai には個人番号を送れません。\n対処: offline を選んでください。"
    page = error_html(error)
    assert "⚠ 送信を止めました（情報の取り扱いルール）" in page and "対処: offline を選んでください。" in page
    assert "white-space:pre-wrap" in page


def test_error_box_escapes_everything_in_the_error():
    error = KenshuError('<script>alert("x")</script> & 続き', todo="<b>設定</b>を直す")
    page = error_html(error)
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "&amp; 続き" in page and "&lt;b&gt;設定&lt;/b&gt;" in page


# ---------------------------------------------------------------- cheap imports

def test_importing_the_lessons_does_not_import_ipywidgets_until_a_widget_is_built():
    out = _run(f"""
        import importlib, sys
        import kenshu.lessons
        for name in {LESSON_MODULES!r}:
            importlib.import_module("kenshu.lessons." + name)
        print("before", "ipywidgets" in sys.modules)
        from kenshu.lessons import mynumber_calculator
        print("looked up", "ipywidgets" in sys.modules)
        mynumber_calculator()
        print("built", "ipywidgets" in sys.modules)
    """)
    assert out.split() == ["before", "False", "looked", "up", "False", "built", "True"]


def test_importing_the_package_imports_no_lesson_module():
    out = _run("""
        import sys
        import kenshu.lessons
        print(sorted(name for name in sys.modules if name.startswith("kenshu.lessons.")))
    """)
    assert out.strip() == "[]"


def test_factories_are_functions_even_after_every_lesson_module_was_imported():
    out = _run(f"""
        import importlib, inspect
        for name in {LESSON_MODULES!r}:
            importlib.import_module("kenshu.lessons." + name)
        import kenshu.lessons
        for name in {sorted(FACTORIES)!r}:
            value = getattr(kenshu.lessons, name)
            print(name, inspect.isfunction(value))
    """)
    assert out.split() == [word for name in sorted(FACTORIES) for word in (name, "True")]


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_widget"):
        kenshu.lessons.no_such_widget  # noqa: B018
    assert sorted(FACTORIES) == kenshu.lessons.__all__


# ---------------------------------------------------------------- LessonWidget

@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_named_part_is_shown_in_the_widget(name):
    widget = getattr(kenshu.lessons, name)(*FACTORIES[name])
    assert isinstance(widget, LessonWidget)
    shown = {id(w) for w in _descendants(widget.box)}
    parts = {**widget.inputs, **widget.outputs, **widget.buttons}
    assert widget.buttons and widget.outputs and widget.inputs
    assert all(id(part) in shown for part in parts.values())
    assert all(hasattr(button, "click") for button in widget.buttons.values())


def test_widget_offers_the_same_display_data_as_its_box():
    widget = kenshu.lessons.checker()
    bundle = widget._repr_mimebundle_()
    assert bundle == widget.box._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.box.model_id
    assert bundle["text/plain"].startswith("VBox(")


def test_widget_shows_as_a_widget_view_when_a_notebook_runs():
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from kenshu.lessons import checker\nchecker('山田太郎様')"),
        nbformat.v4.new_code_cell("from kenshu.lessons import ask_box\ndisplay(ask_box())"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    result, shown = nb.cells[0].outputs, nb.cells[1].outputs
    assert [o.output_type for o in result] == ["execute_result"]
    assert [o.output_type for o in shown] == ["display_data"]
    for output in (result[0], shown[0]):
        assert output.data["application/vnd.jupyter.widget-view+json"]["model_id"]
        assert output.data["text/plain"].startswith("VBox(")


# ---------------------------------------------------------------- the old paths

@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_old_path_warns_and_gives_the_same_objects(old, monkeypatch):
    new, hint = OLD_PATHS[old]
    monkeypatch.delitem(sys.modules, old, raising=False)
    with pytest.warns(DeprecationWarning) as caught:
        shim = importlib.import_module(old)
    message = str(caught[0].message)
    assert hint in message and new in message
    moved = importlib.import_module(new)
    assert shim.__all__ and all(getattr(shim, name) is getattr(moved, name) for name in shim.__all__)


def test_the_new_paths_do_not_use_the_old_ones():
    out = _run(f"""
        import importlib, sys, warnings
        warnings.filterwarnings("error", category=DeprecationWarning, module="kenshu")
        for name in {LESSON_MODULES!r}:
            importlib.import_module("kenshu.lessons." + name)
        print(sorted(set({sorted(OLD_PATHS)!r}) & set(sys.modules)))
    """)
    assert out.strip() == "[]"
