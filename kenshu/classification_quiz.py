"""Moved to ``kenshu.lessons.classification``; this old path stays for one release.

Write ``from kenshu.lessons import classification_quiz`` instead.
"""

import warnings

from kenshu.lessons.classification import *  # noqa: F403
from kenshu.lessons.classification import __all__  # noqa: F401

warnings.warn("kenshu.classification_quiz は kenshu.lessons.classification に移りました。"
              "`from kenshu.lessons import classification_quiz` と書いてください（古い場所は次の版で削除します）。",
              DeprecationWarning, stacklevel=2)
