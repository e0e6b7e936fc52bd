"""kenshu: a Jupyter course kit on generative AI for Japanese municipal staff."""

from kenshu.engine.coach import checklist as review_prompt
from kenshu.errors import KenshuError
from kenshu.grading.selfcheck import check
from kenshu.simple_ask import ask

__version__ = "0.1.0"
__all__ = ["KenshuError", "__version__", "ask", "check", "review_prompt"]
