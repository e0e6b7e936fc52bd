"""nbgrader の設定（講師用）。grader/ フォルダーで `nbgrader ...` を実行すると読み込まれます。

フォルダーの関係:
  solutions/<課題名>/  … 元課題（解答・非公開テスト入り）
  exercises/<課題名>/  … 受講者用（`kenshu exercises build` で生成）
  grader/              … 採点作業用（submitted/ autograded/ feedback/ と gradebook.db）
"""

import os
import shutil
import sys

c = get_config()  # noqa: F821  (nbgrader が用意する関数)

# nbgrader は採点記録（gradebook.db）を初めて作るときに `alembic` コマンドを使う。キットの仮想環境の
# nbgrader を直接（.venv/bin/nbgrader など）実行したときも見つかるように、同じ Python のフォルダーを PATH に足す
if shutil.which("alembic") is None:
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

# コースのフォルダー = この grader/ フォルダー自身（どこから実行しても同じ）
_GRADER = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = _GRADER
c.CourseDirectory.course_id = "kenshu"

# 元課題と受講者用はキットの最上位にある（root からの相対パスで書くと root と結合される）
c.CourseDirectory.source_directory = os.path.join("..", "solutions")
c.CourseDirectory.release_directory = os.path.join("..", "exercises")

# 採点記録（git の管理対象外）
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_GRADER, "gradebook.db")

# 採点の進め方（kenshu の安全な採点。詳しくは docs/grading.md）
#  - 提出物を元課題と突き合わせ、テストのセルの書き換え・削除などを記録する（CheckSubmission）
#  - 受講者のコードは制限付きの別プロセスで、テストはさらに別のプロセスで実行する（SandboxedExecute）
#  - 受講者に返す結果（feedback）からは非公開のテストを取り除く（StripHiddenTests）
#  - `nbgrader export` の grades.csv は、Excel で日本語が文字化けしないよう BOM 付き UTF-8 で書く（ExcelCsvExportPlugin）
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds, GetGrades, IgnorePattern, LimitOutput,
    OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

try:
    from kenshu.grading.nbgrader_plugin import CheckSubmission, ExcelCsvExportPlugin, SandboxedExecute, StripHiddenTests
except Exception as _error:  # noqa: BLE001
    # nbgrader only logs a failing config file and grades with its stock, unsafe pipeline. Refuse instead.
    from nbconvert.preprocessors import Preprocessor
    from traitlets import Bool

    _reason = f"{type(_error).__name__}: {_error}"

    class _RefuseToGrade(Preprocessor):
        enabled = Bool(True)

        def preprocess(self, nb, resources):
            raise RuntimeError(
                "kenshu の安全な採点（kenshu.grading.nbgrader_plugin）を読み込めなかったため、採点しません"
                f"（{_reason}）。キットの仮想環境（.venv）の nbgrader で実行しているか、"
                "`python3 run.py doctor` で環境を確かめてください。")

    CheckSubmission = SandboxedExecute = StripHiddenTests = _RefuseToGrade
else:
    c.ExportApp.plugin_class = ExcelCsvExportPlugin

c.Autograde.sanitize_preprocessors = [
    CheckSubmission, ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [
    SandboxedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,
    CheckCellMetadata]
c.GenerateFeedback.preprocessors = [StripHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]

# 受講者に返す結果（feedback）は日本語のひな形で作る（nbgrader の feedback ひな形と同じ名前で、先に見つかる場所に置く。
# 採点画面の「フィードバックを作る」ボタンでも同じものが使われる）
import nbgrader as _nbgrader  # noqa: E402

_STOCK_TEMPLATES = os.path.join(os.path.dirname(_nbgrader.__file__), "server_extensions", "formgrader", "templates")
try:
    import kenshu.grading as _kenshu_grading

    c.HTMLExporter.extra_template_basedirs = [
        os.path.join(os.path.dirname(_kenshu_grading.__file__), "templates"), _STOCK_TEMPLATES]
except Exception:  # noqa: BLE001 - grading is refused above; feedback falls back to nbgrader's own
    c.HTMLExporter.extra_template_basedirs = [_STOCK_TEMPLATES]

# 制限: 答えのセル 1 つ（または答えの関数の 1 回の呼び出し）は 60 秒まで、1 ノートブック全体で 600 秒まで。
# メモリー・計算時間・書き込めるファイルの大きさの上限は Linux と macOS で有効です。
c.SandboxedExecute.cell_timeout = 60
c.SandboxedExecute.total_timeout = 600
c.SandboxedExecute.memory_mb = 2048
c.SandboxedExecute.cpu_seconds = 600
c.SandboxedExecute.file_mb = 64

# 採点結果に残す出力の上限（大量の print やエラー表示で採点結果が膨らまないように）
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50

# 受講者が消してしまった採点用セルは、元課題から補って採点する
c.OverwriteCells.add_missing_cells = True

# テストセルと読み取り専用セルは受講者が編集・削除できないようにする（解答セルは編集可）
c.LockCells.lock_grade_cells = True
c.LockCells.lock_readonly_cells = True
c.LockCells.lock_solution_cells = False

# 解答を消した後には何も入れない（空の答え answer_q1 = "" は、解答をはさむ行の外に書いておく。docs/authoring.md）
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "ここに答えを書いてください。"
