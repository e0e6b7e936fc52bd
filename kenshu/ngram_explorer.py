"""Moved to ``kenshu.lessons.next_token``; this old path stays for one release.

Write ``from kenshu.lessons import ngram_explorer`` instead.
"""

import warnings

from kenshu.lessons.next_token import *  # noqa: F403
from kenshu.lessons.next_token import __all__  # noqa: F401

warnings.warn("kenshu.ngram_explorer は kenshu.lessons.next_token に移りました。"
              "`from kenshu.lessons import ngram_explorer` と書いてください（古い場所は次の版で削除します）。",
              DeprecationWarning, stacklevel=2)
