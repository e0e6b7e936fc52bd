"""Personal-data safety: find it, mask it before it leaves, put it back in the reply."""

from kenshu.safety.detect import find_pii
from kenshu.safety.mask import Masked, mask
from kenshu.safety.spans import KINDS, LABELS, PUBLIC_KINDS, Span

__all__ = ["KINDS", "LABELS", "PUBLIC_KINDS", "Masked", "Span", "find_pii", "mask"]
