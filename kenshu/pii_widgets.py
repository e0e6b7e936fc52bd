"""Moved to ``kenshu.lessons.personal_data``; this old path stays for one release.

Write ``from kenshu.lessons import mynumber_calculator, masked_ask_box`` instead.
"""

import warnings

from kenshu.lessons.personal_data import *  # noqa: F403
from kenshu.lessons.personal_data import __all__  # noqa: F401

warnings.warn("kenshu.pii_widgets は kenshu.lessons.personal_data に移りました。"
              "`from kenshu.lessons import mynumber_calculator, masked_ask_box` と書いてください（古い場所は次の版で削除します）。",
              DeprecationWarning, stacklevel=2)
