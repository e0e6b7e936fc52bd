"""kenshu: a Jupyter course kit on generative AI for Japanese municipal staff."""

from kenshu.simple_ask import ask
from kenshu.errors import KenshuError

__version__ = "0.1.0"
__all__ = ["KenshuError", "ask", "__version__"]
