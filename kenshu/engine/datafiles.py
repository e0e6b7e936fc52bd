"""The engine's data files (``kenshu/engine/data/``): glossaries and phrasebooks, read as text."""

from __future__ import annotations

from importlib import resources


def read_data(name: str) -> str:
    return resources.files("kenshu.engine").joinpath("data", name).read_text(encoding="utf-8")
