"""Plain data: what crosses from the learner's sandbox to the tests, and what is refused."""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import json
import math

import numpy as np
import pandas as pd
import pytest

from kenshu.grading.plain import NotPlainData, decode, encode


def _round_trip(value):
    return decode(json.loads(json.dumps(encode(value))))


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**80, 1.5, "若葉市", b"\x00\xff", [1, "a", None], (1, (2, 3)), {"a": [1, 2], 3: "b"},
    {1, 2}, frozenset({"x"}), dt.date(2025, 4, 1), dt.datetime(2025, 4, 1, 9, 30), dt.time(12, 0),
    dt.timedelta(days=2, seconds=5), decimal.Decimal("1.10"), [[[]]],
])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = _round_trip(value)
    assert back == value and type(back) is type(value)


def test_special_floats_survive():
    back = _round_trip([math.inf, -math.inf, math.nan])
    assert back[0] == math.inf and back[1] == -math.inf and math.isnan(back[2])


def test_dict_subclasses_and_namedtuples_arrive_as_plain_builtins():
    point = collections.namedtuple("Point", "x y")
    assert _round_trip(collections.Counter("aab")) == {"a": 2, "b": 1}
    assert type(_round_trip(collections.OrderedDict(a=1))) is dict
    assert _round_trip(point(1, 2)) == (1, 2) and type(_round_trip(point(1, 2))) is tuple


def test_numpy_and_pandas_values_round_trip():
    assert _round_trip(np.int64(5)) == 5 and type(_round_trip(np.int64(5))) is int
    assert np.array_equal(_round_trip(np.array([[1, 2], [3, 4]])), np.array([[1, 2], [3, 4]]))
    frame = pd.DataFrame({"課": ["総務課", "会計課"], "件数": [3, 5], "率": [0.5, 0.25],
                          "日": pd.to_datetime(["2025-04-01", "2025-05-01"])}, index=[10, 20])
    back = _round_trip(frame)
    pd.testing.assert_frame_equal(back, frame)
    series = pd.Series([1, 2], index=["a", "b"], name="n")
    pd.testing.assert_series_equal(_round_trip(series), series)
    assert _round_trip(pd.Timestamp("2025-04-01")) == dt.datetime(2025, 4, 1)


def test_an_object_that_equals_everything_is_refused_and_marked():
    class Always:
        def __eq__(self, other):
            return True

    with pytest.raises(NotPlainData) as caught:
        encode(Always())
    assert caught.value.custom_eq and "__eq__" in str(caught.value)
    with pytest.raises(NotPlainData) as caught:
        encode([1, {"k": Always()}])  # also when hidden inside a container
    assert caught.value.custom_eq


def test_a_str_subclass_with_its_own_comparison_is_refused():
    class Sneaky(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    with pytest.raises(NotPlainData) as caught:
        encode(Sneaky("A"))
    assert caught.value.custom_eq


def test_a_class_that_fakes_its_type_is_still_refused():
    class Fake:
        __class__ = str  # isinstance(Fake(), str) is True, but type() is not fooled

    with pytest.raises(NotPlainData):
        encode(Fake())


def test_functions_generators_and_cycles_are_refused_in_japanese():
    with pytest.raises(NotPlainData, match="関数"):
        encode(len)
    with pytest.raises(NotPlainData, match="採点に使えません"):
        encode(x for x in range(3))
    loop: list = []
    loop.append(loop)
    with pytest.raises(NotPlainData, match="循環"):
        encode(loop)


def test_malformed_data_is_rejected_on_decoding():
    for bad in ({"$tuple": "abc"}, {"$unknown": 1}, {"a": 1, "b": 2}, {"$dict": [[1]]}):
        with pytest.raises((ValueError, TypeError)):
            decode(bad)
