"""Personal-data safety: find it, mask it before it leaves, put it back in the reply.

``find_pii`` / ``find_pii_in`` are the one detector and ``Masker`` / ``mask`` the one masker:
the gate, the 個人情報チェッカー, ``kenshu.review_prompt`` and every lesson widget use them.
"""

from kenshu.safety.detect import find_pii, find_pii_in
from kenshu.safety.mask import DEFAULT_KINDS, Masked, Masker, mask, mask_all
from kenshu.safety.spans import KINDS, LABELS, PUBLIC_KINDS, Span

__all__ = ["DEFAULT_KINDS", "KINDS", "LABELS", "PUBLIC_KINDS", "Masked", "Masker", "Span", "find_pii",
           "find_pii_in", "mask", "mask_all"]
