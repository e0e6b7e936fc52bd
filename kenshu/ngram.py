"""Moved to ``kenshu.lessons.ngram``; this old path stays for one release.

Write ``from kenshu.lessons import ngram`` instead.
"""

import warnings

from kenshu.lessons.ngram import *  # noqa: F403
from kenshu.lessons.ngram import __all__  # noqa: F401

warnings.warn("kenshu.ngram は kenshu.lessons.ngram に移りました。"
              "`from kenshu.lessons import ngram` と書いてください（古い場所は次の版で削除します）。",
              DeprecationWarning, stacklevel=2)
