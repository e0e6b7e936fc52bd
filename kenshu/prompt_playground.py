"""Moved to ``kenshu.lessons.prompt_builder``; this old path stays for one release.

Write ``from kenshu.lessons import prompt_playground`` instead.
"""

import warnings

from kenshu.lessons.prompt_builder import *  # noqa: F403
from kenshu.lessons.prompt_builder import __all__  # noqa: F401

warnings.warn("kenshu.prompt_playground は kenshu.lessons.prompt_builder に移りました。"
              "`from kenshu.lessons import prompt_playground` と書いてください（古い場所は次の版で削除します）。",
              DeprecationWarning, stacklevel=2)
