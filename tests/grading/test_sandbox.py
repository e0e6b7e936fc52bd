"""The learner's sandbox and the test process, driven directly (no nbgrader): what honest code can do."""

from __future__ import annotations

import pytest

from kenshu.grading import warm
from kenshu.grading.isolated import GradingCell, run_isolated
from kenshu.grading.learner_process import Limits
from kenshu.grading.protocol import GradingAnswer


@pytest.fixture(autouse=True, params=["spawned", "warm"])
def grading_processes(request):
    """Every test here runs with freshly spawned processes and through a warm process (kenshu class grade)."""
    if request.param == "warm":
        if not warm.available():
            pytest.skip("warm grading forks: Linux only")
        warm.use_warm_processes()
    yield request.param
    warm.stop()


def _grade(*cells: tuple[str, str], **limits) -> GradingAnswer:
    made = [GradingCell(i, kind, source, f"t{i}" if kind == "test" else None) for i, (kind, source) in enumerate(cells)]
    return run_isolated(made, limits=Limits(**limits) if limits else None)


def test_honest_use_of_the_kit_is_not_flagged(monkeypatch, tmp_path):
    result = _grade(
        ("learner", "import kenshu\nfrom kenshu import datasets\nfrom kenshu.safety import mask\n"
                    'reply = kenshu.ask("以下を要約してください。\\n\\n若葉市の会計課は、4月に問い合わせが増えます。")\n'
                    'masked = mask("山田太郎さんの電話は090-1234-5678です。").text\n'
                    "faq_count = len(datasets.accounting_faq())\nprint(masked)"),
        ("test", "from kenshu.grading.expect import expect_equal, expect_true\n"
                 "expect_true(isinstance(reply, str) and reply, what='返答')\n"
                 "expect_equal(masked, '［氏名1］さんの電話は［電話番号1］です。', what='マスク')\n"
                 "expect_equal(faq_count, 160, what='FAQ の件数')"),
    )
    assert result.cells[1].passed, result.cells[1]
    assert result.flags == []
    assert "［氏名1］" in result.cells[0].outputs[0]["text"]


def test_a_learner_error_reaches_the_test_as_the_same_kind():
    result = _grade(
        ("learner", "def parse(text):\n    if not text:\n        raise ValueError('空です')\n    return text"),
        ("test", "try:\n    parse('')\n    raised = False\nexcept ValueError as error:\n    raised = '空です' in str(error)\n"
                 "assert raised"),
    )
    assert result.cells[1].passed


def test_a_dataframe_answer_arrives_as_a_dataframe():
    result = _grade(
        ("learner", "import pandas as pd\nsummary = pd.DataFrame({'課': ['会計課', '総務課'], '件数': [3, 5]})"),
        ("test", "import pandas as pd\nassert isinstance(summary, pd.DataFrame)\nassert summary['件数'].sum() == 8"),
    )
    assert result.cells[1].passed, result.cells[1]


def test_after_os_exit_the_earlier_answers_are_replayed_and_later_questions_still_score():
    result = _grade(
        ("learner", "answer_q1 = 'B'"),
        ("learner", "import os\nos._exit(1)"),
        ("learner", "answer_q2 = answer_q1 * 2"),
        ("test", "assert answer_q1 == 'B' and answer_q2 == 'BB'"),
    )
    assert result.cells[3].passed, result.cells[3]
    assert [f.code for f in result.flags] == ["process_exit"]
    assert "止まった" in result.cells[1].outputs[0]["evalue"]


def test_an_endless_loop_inside_a_function_fails_only_its_test():
    result = _grade(
        ("learner", "def slow(x):\n    while True:\n        pass\nanswer = 3"),
        ("test", "assert slow(1) == 1"),
        ("test", "assert answer == 3"),
        cell_seconds=2,
    )
    assert result.cells[1].passed is False and "打ち切りました" in result.cells[1].message
    assert result.cells[2].passed
    assert "timeout" in {f.code for f in result.flags}


def test_a_test_never_sees_the_learners_shadowing_of_its_helpers():
    result = _grade(
        ("learner", "def expect_equal(*args, **kwargs):\n    return None\nanswer = 'A'"),
        ("test", "from kenshu.grading.expect import expect_equal\nexpect_equal(answer, 'B', what='答え')"),
        ("test", "expect_equal(answer, 'B', what='答え')"),  # imported by an earlier test cell only
    )
    assert result.cells[1].passed is False and result.cells[2].passed is False
    assert "shadowed_name" in {f.code for f in result.flags}


@pytest.mark.parametrize("source, code", [
    ("import socket\nsocket.create_connection(('127.0.0.1', 9))", "refused"),
    ("import ctypes\nctypes.CDLL(None)", "refused"),
    ("print('x' * 3_000_000)", "huge_output"),
])
def test_forbidden_or_abusive_code_is_flagged(source, code):
    result = _grade(("learner", source))
    assert code in {f.code for f in result.flags}, result.flags


def test_the_learner_process_is_told_where_the_kits_datasets_are(monkeypatch, tmp_path):
    import shutil

    from kenshu import datasets

    copy = tmp_path / "trainer_datasets"
    shutil.copytree(datasets.folder(), copy)
    monkeypatch.setenv("KENSHU_DATASETS", str(copy))
    result = _grade(("learner", "from kenshu import datasets\nwhere = str(datasets.folder())"),
                    ("test", f"assert where == {str(copy)!r}, where"))
    assert result.cells[1].passed, result.cells[1]
    assert result.flags == []


def test_a_line_forged_on_the_channel_is_flagged_and_the_other_answers_still_score():
    forge = ("import os\nfor fd in range(3, 12):\n    try:\n        os.write(fd, b'{\"reply\": \"value\"}\\n')\n"
             "    except OSError:\n        pass")
    result = _grade(
        ("learner", "answer_q1 = 'B'"),
        ("learner", forge),
        ("test", "assert answer_q1 == 'B'"),
    )
    assert "malformed" in {f.code for f in result.flags}, result.flags
    assert "不正なデータ" in result.cells[1].outputs[0]["evalue"]
    assert result.cells[2].passed, result.cells[2]


def test_the_exercise_notebooks_first_cell_is_not_flagged_while_grading():
    result = _grade(
        ("learner", "import kenshu.exercise"),
        ("learner", "answer_q1 = 'B'"),
        ("test", "assert answer_q1 == 'B'"),
    )
    assert result.flags == []
    assert result.cells[0].outputs == []  # nothing to announce: the hooks are for the learner's JupyterLab
    assert result.cells[2].passed, result.cells[2]


def test_a_cells_value_is_a_valid_nbformat_output_that_nbgrader_accepts():
    import nbformat

    result = _grade(("learner", "x = 40\nx + 2"))
    cell = nbformat.v4.new_code_cell("x = 40\nx + 2", execution_count=result.cells[0].execution_count,
                                     outputs=[nbformat.from_dict(o) for o in result.cells[0].outputs])
    [value] = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert value.data["text/plain"] == "42" and value.execution_count == cell.execution_count
    nbformat.validate(nbformat.v4.new_notebook(cells=[cell]))
