"""Moved to ``kenshu.lessons.pii_checker``; this old path stays for one release.

Write ``from kenshu.lessons import checker`` instead.
"""

import warnings

from kenshu.lessons.pii_checker import *  # noqa: F403
from kenshu.lessons.pii_checker import __all__  # noqa: F401

warnings.warn("kenshu.safety_checker は kenshu.lessons.pii_checker に移りました。"
              "`from kenshu.lessons import checker` と書いてください（古い場所は次の版で削除します）。",
              DeprecationWarning, stacklevel=2)
