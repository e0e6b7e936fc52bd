"""Plain data between the learner's sandbox and the process that runs the tests.

The sandbox ``encode``s a learner's value into JSON-ready data; the test process ``decode``s it into
fresh built-in objects.  Only values cross: no learner classes, methods or ``__eq__`` survive, so an
object that "equals everything" becomes either its plain content or an error.

Accepted: None, bool, int, float, str, bytes, list, tuple (namedtuples as tuples), dict (and
OrderedDict/defaultdict/Counter as dict), set, frozenset, date/datetime/time/timedelta, Decimal,
numpy scalars and arrays, pandas Series/DataFrame/Timestamp/NA.  Anything else is refused with a
reason a learner can act on.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import decimal
import math
import types
from typing import Any

MAX_DEPTH = 60
MAX_ITEMS = 1_000_000


class NotPlainData(Exception):
    """A value that cannot be handed to the tests; ``custom_eq`` marks a class that rewrites comparison."""

    def __init__(self, message: str, *, custom_eq: bool = False):
        super().__init__(message)
        self.custom_eq = custom_eq


_EXACT_SCALARS = (type(None), bool, int, str)
_DICT_LIKE = (dict, collections.OrderedDict, collections.defaultdict, collections.Counter)
_BUILTIN_BASES = (str, int, float, bytes, list, tuple, dict, set, frozenset)


def _defines_comparison(kind: type) -> bool:
    """Whether a class (below its built-in base) defines its own ``__eq__``/``__ne__``/``__hash__``."""
    for klass in kind.__mro__:
        if klass in _BUILTIN_BASES or klass is object or klass.__module__ == "builtins":
            return False
        if any(name in vars(klass) for name in ("__eq__", "__ne__", "__hash__")):
            return True
    return False


def _refuse(value: Any) -> NotPlainData:
    kind = type(value)
    name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type)):
        return NotPlainData(f"関数やクラス（{name}）はそのままでは採点に使えません。値を返すようにしてください")
    if _defines_comparison(kind):
        return NotPlainData(f"比較のしかた（__eq__）を独自に定めた値（{name}）は採点に使えません", custom_eq=True)
    return NotPlainData(f"この種類の値（{name}）は採点に使えません。"
                        "文字列・数値・リスト・辞書・pandas の表などで答えてください")


class _Encoder:
    def __init__(self) -> None:
        self.items = 0
        self.active: set[int] = set()

    def encode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise NotPlainData("値が大きすぎます（要素が多すぎます）")
        if depth > MAX_DEPTH:
            raise NotPlainData("入れ子が深すぎる値は採点に使えません")
        kind = type(value)
        if kind in _EXACT_SCALARS:
            return value
        if kind is float:
            return value if math.isfinite(value) else {"$float": repr(value)}
        if kind in (list, tuple, set, frozenset) or kind in _DICT_LIKE or _is_namedtuple(kind):
            return self._container(value, kind, depth)
        if kind is bytes:
            return {"$bytes": base64.b64encode(value).decode("ascii")}
        if kind is dt.datetime:
            return {"$datetime": value.isoformat()}
        if kind is dt.date:
            return {"$date": value.isoformat()}
        if kind is dt.time:
            return {"$time": value.isoformat()}
        if kind is dt.timedelta:
            return {"$timedelta": [value.days, value.seconds, value.microseconds]}
        if kind is decimal.Decimal:
            return {"$decimal": str(value)}
        encoded = self._scientific(value, kind, depth)
        if encoded is not _MISSING:
            return encoded
        raise _refuse(value)

    def _container(self, value: Any, kind: type, depth: int) -> Any:
        if id(value) in self.active:
            raise NotPlainData("自分自身を含む値（循環している値）は採点に使えません")
        self.active.add(id(value))
        try:
            if kind in _DICT_LIKE:
                pairs = [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in dict.items(value)]
                return {"$dict": pairs}
            items = [self.encode(item, depth + 1) for item in (list.__iter__(value) if kind is list else iter(value))]
            if kind is list:
                return items
            if kind is set or kind is frozenset:
                return {"$set" if kind is set else "$frozenset": items}
            return {"$tuple": items}
        finally:
            self.active.discard(id(value))

    def _scientific(self, value: Any, kind: type, depth: int) -> Any:
        module = kind.__module__.split(".")[0]
        if module == "numpy":
            import numpy as np

            if isinstance(value, np.generic) and kind.__module__.startswith("numpy"):
                return self.encode(value.item(), depth + 1)
            if kind is np.ndarray:
                if value.dtype == object:
                    return {"$ndarray": {"dtype": "object", "data": self.encode(value.tolist(), depth + 1)}}
                return {"$ndarray": {"dtype": str(value.dtype), "data": self.encode(value.tolist(), depth + 1)}}
        if module == "pandas":
            import pandas as pd

            if value is pd.NA:
                return {"$na": None}
            if value is pd.NaT:
                return {"$nat": None}
            if kind is pd.Timestamp:
                return {"$datetime": value.to_pydatetime().isoformat()}
            if kind is pd.Timedelta:
                return self.encode(value.to_pytimedelta(), depth + 1)
            if kind is pd.Series:
                return {"$series": {"name": self.encode(value.name, depth + 1), "dtype": str(value.dtype),
                                    "index": self._index(value.index, depth),
                                    "data": self.encode(value.tolist(), depth + 1)}}
            if kind is pd.DataFrame:
                return {"$dataframe": {
                    "columns": self.encode(list(value.columns), depth + 1),
                    "dtypes": [str(t) for t in value.dtypes],
                    "index": self._index(value.index, depth),
                    "data": [self.encode(value.iloc[:, i].tolist(), depth + 1) for i in range(value.shape[1])]}}
        return _MISSING

    def _index(self, index: Any, depth: int) -> Any:
        import pandas as pd

        if type(index) is pd.RangeIndex:
            return {"range": [index.start, index.stop, index.step]}
        return {"values": self.encode(list(index), depth + 1), "name": self.encode(index.name, depth + 1)}


_MISSING = object()


def _is_namedtuple(kind: type) -> bool:
    return (issubclass(kind, tuple) and kind is not tuple and isinstance(getattr(kind, "_fields", None), tuple)
            and kind.__eq__ is tuple.__eq__ and kind.__hash__ is tuple.__hash__)


def encode(value: Any) -> Any:
    """JSON-ready plain data for ``value``; raises ``NotPlainData`` for anything else."""
    return _Encoder().encode(value)


# --- decoding (in the test process) ------------------------------------------------------------

_SAFE_DTYPES = {"int64", "int32", "float64", "float32", "bool", "object", "string", "datetime64[ns]", "category"}


def decode(data: Any) -> Any:
    """Built-in objects from ``encode``'s output; raises ``ValueError`` on anything malformed."""
    kind = type(data)
    if kind in (type(None), bool, int, float, str):
        return data
    if kind is list:
        return [decode(item) for item in data]
    if kind is not dict or len(data) != 1:
        raise ValueError("malformed plain data")
    (tag, body), = data.items()
    if tag == "$float":
        return float(body)
    if tag == "$tuple":
        return tuple(decode(item) for item in _list(body))
    if tag == "$set":
        return {decode(item) for item in _list(body)}
    if tag == "$frozenset":
        return frozenset(decode(item) for item in _list(body))
    if tag == "$dict":
        return {decode(pair[0]): decode(pair[1]) for pair in _list(body) if _is_pair(pair)}
    if tag == "$bytes":
        return base64.b64decode(str(body))
    if tag == "$datetime":
        return dt.datetime.fromisoformat(str(body))
    if tag == "$date":
        return dt.date.fromisoformat(str(body))
    if tag == "$time":
        return dt.time.fromisoformat(str(body))
    if tag == "$timedelta":
        days, seconds, micro = (int(x) for x in _list(body))
        return dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if tag == "$decimal":
        return decimal.Decimal(str(body))
    return _decode_scientific(tag, body)


def _list(body: Any) -> list:
    if type(body) is not list:
        raise ValueError("malformed plain data")
    return body


def _is_pair(pair: Any) -> bool:
    if type(pair) is not list or len(pair) != 2:
        raise ValueError("malformed plain data")
    return True


def _decode_scientific(tag: str, body: Any) -> Any:
    if tag == "$ndarray":
        import numpy as np

        dtype = str(body["dtype"])
        values = decode(body["data"])
        return np.array(values, dtype=object) if dtype == "object" else np.array(values, dtype=np.dtype(dtype))
    import pandas as pd

    if tag == "$na":
        return pd.NA
    if tag == "$nat":
        return pd.NaT
    if tag == "$series":
        series = pd.Series(decode(body["data"]), index=_decode_index(body["index"]), name=decode(body["name"]),
                           dtype=object)
        return _with_dtype(series, str(body["dtype"]))
    if tag == "$dataframe":
        columns = decode(body["columns"])
        index = _decode_index(body["index"])
        data = [decode(column) for column in _list(body["data"])]
        dtypes = [str(t) for t in _list(body["dtypes"])]
        if not (len(columns) == len(data) == len(dtypes)):
            raise ValueError("malformed plain data")
        frame = pd.DataFrame({i: pd.Series(values, dtype=object) for i, values in enumerate(data)})
        frame = frame.set_axis(columns, axis=1) if columns else pd.DataFrame(index=range(0))
        if len(frame) == len(index):
            frame.index = index
        for position, dtype in enumerate(dtypes):
            frame.isetitem(position, _with_dtype(frame.iloc[:, position], dtype))
        return frame
    raise ValueError(f"unknown plain-data tag {tag!r}")


def _decode_index(body: Any) -> Any:
    import pandas as pd

    if "range" in body:
        start, stop, step = (int(x) for x in _list(body["range"]))
        return pd.RangeIndex(start, stop, step)
    return pd.Index(decode(body["values"]), name=decode(body["name"]))


def _with_dtype(series: Any, dtype: str) -> Any:
    if dtype in _SAFE_DTYPES or dtype.startswith(("int", "float", "datetime64")):
        try:
            return series.astype(dtype)
        except (TypeError, ValueError):
            return series.infer_objects()
    return series.infer_objects()


__all__ = ["NotPlainData", "decode", "encode"]
