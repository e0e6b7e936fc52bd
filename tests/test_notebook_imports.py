"""Pin every kenshu name the notebooks import, so a relayout cannot break a lesson silently.

``PINNED`` lists, sorted, each ``module:name`` a notebook takes with ``from module import name``,
each ``module`` it imports with ``import kenshu.x``, and each ``module:name`` it uses as
``kenshu.name`` (or ``kenshu.x.name``) after such an import. Notebooks are those under
``course/``, ``solutions/`` and ``exercises/``; cells are parsed, never run.

If a test here fails:
- a pinned name no longer resolves: a notebook would break. Keep the old name working
  (a re-export) or change the notebooks, then the list;
- a notebook imports a name that is not pinned: add it to ``PINNED`` on purpose.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from kenshu.kitfiles import kit_files

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("course", "solutions", "exercises")

PINNED = [
    "kenshu",
    "kenshu.audit",
    "kenshu.audit:frame",
    "kenshu.cases.catalogue:allowed_backends",
    "kenshu.cases:export_xlsx",
    "kenshu.cases:load_case",
    "kenshu.cases:load_catalogue",
    "kenshu.cases:merge",
    "kenshu.engine.tokens:estimate_tokens",
    "kenshu.errors:GateBlockedError",
    "kenshu.exercise",
    "kenshu.faq.evaluate:evaluate",
    "kenshu.faq.evaluate:read_questions",
    "kenshu.faq:FaqBot",
    "kenshu.gate.policy:BACKEND_LABELS",
    "kenshu.gate.policy:CLASS_LABELS",
    "kenshu.gate.policy:parse_policy",
    "kenshu.gate:decide",
    "kenshu.gate:load_policy",
    "kenshu.grading.expect:expect_equal",
    "kenshu.grading.expect:expect_true",
    "kenshu.grading.expect:expect_type",
    "kenshu.grading.form:FormProblem",
    "kenshu.grading.form:choice",
    "kenshu.grading.form:choices",
    "kenshu.grading.form:ids",
    "kenshu.grading.form:judge_choice",
    "kenshu.grading.form:judge_choices",
    "kenshu.grading.form:judge_ids",
    "kenshu.grading.form:judge_number",
    "kenshu.grading.form:judge_text",
    "kenshu.grading.form:number",
    "kenshu.grading.form:text",
    "kenshu.grading.notebook_hook:show_answer_problems",
    "kenshu.grading.selfcheck:run_selfcheck",
    "kenshu.guideline:Choices",
    "kenshu.guideline:DEFAULT_CHOICES",
    "kenshu.guideline:articles",
    "kenshu.guideline:policy_from",
    "kenshu.guideline:policy_toml",
    "kenshu.guideline:write_docx",
    "kenshu.lessons.batch:build_instruction",
    "kenshu.lessons.batch:classify_texts",
    "kenshu.lessons.draft_check:check_draft",
    "kenshu.lessons.draft_check:request_for",
    "kenshu.lessons.draft_check:sentence_report",
    "kenshu.lessons.draft_check:task",
    "kenshu.lessons.draft_check:tasks",
    "kenshu.lessons.draft_check:unsupported_figures",
    "kenshu.lessons.minutes_check:actions_request",
    "kenshu.lessons.minutes_check:compare_items",
    "kenshu.lessons.minutes_check:found_text",
    "kenshu.lessons.minutes_check:records",
    "kenshu.lessons.minutes_check:reference_items",
    "kenshu.lessons.minutes_check:summary_request",
    "kenshu.lessons.minutes_check:table_items",
    "kenshu.lessons.minutes_check:title",
    "kenshu.lessons.personal_data:check_digit_steps",
    "kenshu.lessons.prompt_builder:check_against_request",
    "kenshu.lessons.scene_translation:checklist",
    "kenshu.lessons.scene_translation:number_check",
    "kenshu.lessons.scene_translation:original",
    "kenshu.lessons:ask_box",
    "kenshu.lessons:case_picker",
    "kenshu.lessons:checker",
    "kenshu.lessons:classification_quiz",
    "kenshu.lessons:comment_classifier",
    "kenshu.lessons:draft_checker",
    "kenshu.lessons:faq_chat",
    "kenshu.lessons:guideline_builder",
    "kenshu.lessons:masked_ask_box",
    "kenshu.lessons:minutes_checker",
    "kenshu.lessons:mynumber_calculator",
    "kenshu.lessons:ngram",
    "kenshu.lessons:ngram_explorer",
    "kenshu.lessons:prompt_playground",
    "kenshu.lessons:scene_translator",
    "kenshu.safety:LABELS",
    "kenshu.safety:evaluate",
    "kenshu.safety:find_pii",
    "kenshu.safety:mask",
    "kenshu.settings:resolve",
    "kenshu:KenshuError",
    "kenshu:ask",
    "kenshu:check",
    "kenshu:datasets",
    "kenshu:llm",
    "kenshu:review_prompt",
]


def _is_kenshu(module: str | None) -> bool:
    return module == "kenshu" or (module or "").startswith("kenshu.")


# cell magics whose body is Python that runs in the notebook
PYTHON_CELL_MAGICS = {"capture", "prun", "time", "timeit"}


def _parse(source: str, where: str) -> list[ast.Module]:
    """The cell as Python; a %%time-like cell's body too (IPython turns it into a string)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        try:
            tree = ast.parse(TransformerManager().transform_cell(source))   # %magics, !commands
        except SyntaxError as error:
            raise AssertionError(f"{where}: the cell cannot be parsed ({error.msg}, line {error.lineno})") from None
    trees = [tree]
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run_cell_magic"
                and len(node.args) == 3 and all(isinstance(arg, ast.Constant) for arg in node.args)
                and node.args[0].value in PYTHON_CELL_MAGICS):
            trees += _parse(node.args[2].value, where)
    return trees


def _chain(node: ast.Attribute) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None when the chain does not start at a plain name."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(names)]


def imported_names(sources: list[tuple[str, str]]) -> set[str]:
    """The kenshu names one notebook's cells import (``sources``: (where, cell source) pairs)."""
    trees = [tree for where, source in sources for tree in _parse(source, where)]
    found: set[str] = set()
    modules: set[str] = set()       # imported with ``import``: their attributes are reachable
    bound: dict[str, str] = {}      # local name -> the module path it stands for
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and _is_kenshu(node.module):
                found.update(f"{node.module}:{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if _is_kenshu(alias.name):
                        found.add(alias.name)
                        modules.add(alias.name)
                        if alias.asname:
                            bound[alias.asname] = alias.name
                        else:
                            bound["kenshu"] = "kenshu"
    for tree in trees:
        inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        for node in ast.walk(tree):
            chain = _chain(node) if isinstance(node, ast.Attribute) and id(node) not in inner else None
            if not chain or chain[0] not in bound:
                continue
            path = bound[chain[0]].split(".") + chain[1:]
            for size in range(len(path) - 1, 0, -1):
                if ".".join(path[:size]) in modules:
                    found.add(f"{'.'.join(path[:size])}:{path[size]}")
                    break
    return found


def notebook_sources(path: Path) -> list[tuple[str, str]]:
    notebook = nbformat.read(path, as_version=4)
    relative = path.relative_to(ROOT)
    return [(f"{relative} cell {index}", cell.source) for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code"]


def notebooks(root: Path = ROOT) -> list[Path]:
    """The kit's notebooks, without the copies a kit in use gathers (.ipynb_checkpoints/: kenshu.kitfiles)."""
    return sorted(root / folder / name for folder in FOLDERS for name in kit_files(root / folder)
                  if name.endswith(".ipynb"))


def resolves(pinned: str) -> bool:
    """Whether ``module`` imports, or ``from module import name`` works, for ``module:name``."""
    module, _, name = pinned.partition(":")
    try:
        imported = importlib.import_module(module)
        if name:
            try:
                getattr(imported, name)
            except AttributeError:
                importlib.import_module(f"{module}.{name}")   # a submodule, as ``from`` finds it
    except (ImportError, AttributeError):
        return False
    return True


def test_the_pinned_list_is_sorted_without_repeats():
    assert PINNED == sorted(set(PINNED))


def test_every_pinned_name_still_resolves():
    assert [name for name in PINNED if not resolves(name)] == []


def test_notebooks_import_only_pinned_names():
    paths = notebooks()
    assert {path.parent.name for path in paths} >= {"course", "demo", "lesson01", "lesson04"}
    used = {name: path.relative_to(ROOT) for path in paths for name in imported_names(notebook_sources(path))}
    assert {name: str(path) for name, path in used.items() if name not in PINNED} == {}


def test_every_pinned_name_is_still_used_by_a_notebook():
    used = set().union(*(imported_names(notebook_sources(path)) for path in notebooks()))
    assert [name for name in PINNED if name not in used] == []


# ---------------------------------------------------------------- the checks themselves

def test_a_vanished_name_or_module_does_not_resolve():
    assert resolves("kenshu.lessons:checker") and resolves("kenshu.lessons:ngram") and resolves("kenshu.audit")
    assert not resolves("kenshu.lessons:no_such_widget")
    assert not resolves("kenshu.no_such_module")
    assert not resolves("kenshu.no_such_module:checker")


def test_every_import_form_is_found_including_cells_with_magics():
    cells = [
        ("a", "%%time\nfrom kenshu.lessons import checker, ask_box\nchecker()"),
        ("b", "!echo hi\nimport kenshu\nprint(kenshu.ask('x'), kenshu.review_prompt)"),
        ("c", "import kenshu.audit\nkenshu.audit.frame().head()"),
        ("d", "import kenshu.gate as gate\ngate.decide\nimport pandas as pd\npd.DataFrame"),
        ("e", "def f():\n    from kenshu.safety import mask as m\n    return m"),
        ("f", "%%writefile helper.py\nfrom kenshu.not_run import x"),
    ]
    assert imported_names(cells) == {
        "kenshu.lessons:checker", "kenshu.lessons:ask_box", "kenshu", "kenshu:ask", "kenshu:review_prompt",
        "kenshu.audit", "kenshu.audit:frame", "kenshu.gate", "kenshu.gate:decide", "kenshu.safety:mask",
    }


def test_a_cell_that_cannot_be_parsed_is_reported_by_place():
    with pytest.raises(AssertionError, match="lesson99 cell 3"):
        imported_names([("lesson99 cell 3", "def (:")])
