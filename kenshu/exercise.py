"""``import kenshu.exercise``: the first cell of every exercise notebook.

In the learner's JupyterLab it installs ``kenshu.grading.notebook_hook``: a mistake in an
answer cell, or a check that fails, is shown as a short Japanese box, and 「すべてのセルを実行」
goes on to the end. In the grading processes (no IPython) it does nothing.
"""

from kenshu.grading.notebook_hook import install

if install():
    print("課題の準備ができました。答えの書き方に誤りがあると、日本語で知らせます。")
