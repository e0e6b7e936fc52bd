"""Moved to ``kenshu.lessons.orientation``; this old path stays for one release.

Write ``from kenshu.lessons import ask_box`` instead.
"""

import warnings

from kenshu.lessons.orientation import ask_box

__all__ = ["ask_box"]

warnings.warn("kenshu.widgets は kenshu.lessons.orientation に移りました。"
              "`from kenshu.lessons import ask_box` と書いてください（古い場所は次の版で削除します）。",
              DeprecationWarning, stacklevel=2)
