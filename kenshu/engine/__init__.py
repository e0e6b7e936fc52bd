"""The offline practice engine: deterministic, no network, honest about what it is."""

from kenshu.engine.api import handle

__all__ = ["handle"]
