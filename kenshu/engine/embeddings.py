"""Deterministic text embeddings: hashed character n-grams, fixed dimension, unit length.

Related Japanese texts share character n-grams, so their vectors point the same way;
the same text gives the same vector on every machine (blake2b, not Python's hash).
"""

from __future__ import annotations

import base64
import hashlib
import math
import struct

from kenshu.engine.text import ngrams

DEFAULT_DIMENSIONS = 256


def embed(text: str, dimensions: int = DEFAULT_DIMENSIONS) -> list[float]:
    vector = [0.0] * dimensions
    for gram, count in ngrams(text, sizes=(1, 2, 3)).items():
        digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "little") % dimensions
        sign = 1.0 if digest[4] & 1 else -1.0
        vector[bucket] += sign * (1.0 + math.log(count)) * (len(gram) ** 0.5)
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm else vector


def as_base64(vector: list[float]) -> str:
    """The little-endian float32 encoding the OpenAI API uses for encoding_format=base64."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
