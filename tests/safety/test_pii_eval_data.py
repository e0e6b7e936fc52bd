"""The personal-data evaluation set is sound, and the evaluator scores detections correctly."""

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from kenshu.safety import evaluate as ev
from kenshu.safety.spans import KINDS, Span

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "datasets" / "pii" / "eval.jsonl"
GENERATOR = ROOT / "tools" / "make_pii_eval.py"

HALF = str.maketrans("０１２３４５６７８９", "0123456789")


# --- check digits, written here independently of the generator -----------------

def digits_of(text):
    return re.sub(r"\D", "", text.translate(HALF))


def mynumber_ok(d):
    if len(d) != 12:
        return False
    body = [int(c) for c in d[:11]]
    total = 0
    for n in range(1, 12):          # n counted from the right of the first 11 digits
        q = n + 1 if n <= 6 else n - 5
        total += body[-n] * q
    r = total % 11
    return int(d[11]) == (0 if r <= 1 else 11 - r)


def corporate_ok(d):
    if len(d) != 13:
        return False
    base = [int(c) for c in d[1:]]
    total = sum(base[-n] * (1 if n % 2 else 2) for n in range(1, 13))
    return int(d[0]) == 9 - total % 9


def luhn_ok(d):
    if not 13 <= len(d) <= 19:
        return False
    total = 0
    for i, c in enumerate(reversed(d)):
        v = int(c) * (2 if i % 2 else 1)
        total += v - 9 if v > 9 else v
    return total % 10 == 0


def test_check_digit_helpers_agree_with_worked_examples():
    assert mynumber_ok("123456789018") and not mynumber_ok("123456789017")
    assert corporate_ok("7123456789012") and not corporate_ok("1123456789012")   # worked by hand
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


# --- the data set ---------------------------------------------------------------

@pytest.fixture(scope="module")
def raw():
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def spans(raw):
    return [(r, s) for r in raw for s in r["spans"]]


def test_the_set_loads_through_the_evaluator():
    records = ev.load(DATA)
    assert len(records) >= 200
    assert all(isinstance(r, ev.Record) and r.text for r in records)


def test_every_span_text_is_the_text_at_its_offsets(spans):
    for record, span in spans:
        assert 0 <= span["start"] < span["end"] <= len(record["text"])
        assert record["text"][span["start"]:span["end"]] == span["text"], (record["id"], span)


def test_spans_have_no_surrounding_whitespace(spans):
    for record, span in spans:
        assert span["text"] == span["text"].strip(), (record["id"], span)


def test_every_span_kind_is_a_known_kind(spans):
    assert {span["kind"] for _, span in spans} <= set(KINDS)


def test_ids_are_unique(raw):
    ids = [r["id"] for r in raw]
    assert len(ids) == len(set(ids))


def test_the_set_has_at_least_400_spans(spans):
    assert len(spans) >= 400


def test_every_kind_has_at_least_25_spans_and_names_addresses_phones_50(spans):
    counts = Counter(span["kind"] for _, span in spans)
    for kind in KINDS:
        assert counts[kind] >= 25, (kind, counts[kind])
    for kind in ("person_name", "address", "phone"):
        assert counts[kind] >= 50, (kind, counts[kind])


def test_gold_spans_do_not_overlap(raw):
    for record in raw:
        ordered = sorted(record["spans"], key=lambda s: (s["start"], s["end"]))
        for a, b in zip(ordered, ordered[1:], strict=False):
            assert a["end"] <= b["start"], (record["id"], a, b)


def test_hard_negatives_lie_outside_gold_spans(raw):
    for record in raw:
        for n in record["negatives"]:
            assert record["text"][n["start"]:n["end"]] == n["text"]
            assert not any(s["start"] < n["end"] and n["start"] < s["end"] for s in record["spans"]), (record["id"], n)


def test_several_genres_and_documents_with_only_hard_negatives(raw):
    genres = Counter(r["genre"] for r in raw)
    assert {"相談記録", "申請書", "窓口メール", "議事録", "住民からの問い合わせ", "決裁文書"} <= set(genres)
    assert sum(1 for r in raw if not r["spans"]) >= 30


def test_the_promised_hard_negatives_are_present(raw):
    labels = Counter(n["label"] for r in raw for n in r["negatives"])
    for label in ("文書番号", "金額", "申請日", "開催日", "条例番号", "内線番号", "受付番号", "予約番号",
                  "検査数字誤りの12桁", "Luhn不成立の16桁", "地名", "組織名", "役職名"):
        assert labels[label] >= 3, (label, labels[label])


def test_gold_mynumbers_corporate_numbers_and_cards_have_valid_check_digits(spans):
    check = {"mynumber": mynumber_ok, "corporate_number": corporate_ok, "credit_card": luhn_ok}
    for record, span in spans:
        if span["kind"] in check:
            assert check[span["kind"]](digits_of(span["text"])), (record["id"], span)


def test_hard_negative_numbers_have_wrong_check_digits(raw):
    seen = Counter()
    for record in raw:
        for n in record["negatives"]:
            d = digits_of(n["text"])
            if n["label"] == "検査数字誤りの12桁":
                assert len(d) == 12 and not mynumber_ok(d), n
            elif n["label"] == "検査数字誤りの13桁":
                assert len(d) == 13 and not corporate_ok(d) and not luhn_ok(d), n
            elif n["label"] == "Luhn不成立の16桁":
                assert len(d) == 16 and not luhn_ok(d), n
            else:
                continue
            seen[n["label"]] += 1
    assert seen["検査数字誤りの12桁"] >= 10 and seen["Luhn不成立の16桁"] >= 10


def test_no_digit_run_outside_gold_spans_passes_a_check(raw):
    """A detector that checks digits must not be blamed for numbers the set forgot to annotate."""
    for record in raw:
        text = list(record["text"].translate(HALF))
        for s in record["spans"]:
            text[s["start"]:s["end"]] = "#" * (s["end"] - s["start"])
        for run in re.findall(r"\d+", "".join(text)):
            assert not (len(run) == 12 and mynumber_ok(run)), (record["id"], run)
            assert not (len(run) == 13 and corporate_ok(run)), (record["id"], run)
            assert not luhn_ok(run), (record["id"], run)


def test_the_committed_file_is_what_the_generator_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_pii_eval", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pii_eval"] = module
    try:
        spec.loader.exec_module(module)
        out = tmp_path / "eval.jsonl"
        module.write(module.generate(), out)
    finally:
        sys.modules.pop("make_pii_eval", None)
    assert out.read_bytes() == DATA.read_bytes(), "tools/make_pii_eval.py を実行して datasets/pii/eval.jsonl を作り直してください"


# --- scoring, on a tiny hand-made example with a fake detector ------------------

TEXT = "山田太郎様の電話は03-1234-5678です。"
GOLD = ev.Record("t1", "テスト", TEXT, (ev.GoldSpan(0, 4, "person_name", "山田太郎"),
                                      ev.GoldSpan(9, 21, "phone", "03-1234-5678")))


def test_exact_matches_partial_matches_and_false_positives_are_counted():
    def detector(text):
        return [Span(0, 2, "person_name", "山田"),            # overlaps the gold name: partial only
                Span(9, 21, "phone", "03-1234-5678"),          # exact
                Span(21, 23, "email", "です")]                # false positive
    report = ev.evaluate([GOLD], detector)
    name, phone, email = (report.per_kind[k] for k in ("person_name", "phone", "email"))
    assert (name.gold, name.predicted, name.tp) == (1, 1, 0)
    assert (name.partial_precision, name.partial_recall) == (1.0, 1.0)
    assert (phone.precision, phone.recall, phone.f1) == (1.0, 1.0, 1.0)
    assert (email.gold, email.predicted, email.tp, email.precision, email.recall) == (0, 1, 0, 0.0, None)
    overall = report.overall
    assert (overall.gold, overall.predicted, overall.tp) == (2, 3, 1)
    assert overall.precision == pytest.approx(1 / 3) and overall.recall == pytest.approx(1 / 2)
    assert overall.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert [m.text for m in report.misses] == ["山田太郎"]
    assert sorted(m.text for m in report.false_positives) == ["です", "山田"]


def test_a_span_of_the_wrong_kind_is_neither_exact_nor_partial():
    report = ev.evaluate([GOLD], lambda text: [{"start": 0, "end": 4, "kind": "address"}])
    assert report.per_kind["person_name"].tp == 0 and report.per_kind["person_name"].partial_found == 0
    assert report.per_kind["address"].predicted == 1 and report.per_kind["address"].partial_correct == 0


def test_the_same_span_reported_twice_counts_once():
    report = ev.evaluate([GOLD], lambda text: [Span(9, 21, "phone", "x"), Span(9, 21, "phone", "x")])
    assert (report.per_kind["phone"].predicted, report.per_kind["phone"].tp) == (1, 1)


def test_no_predictions_leave_precision_undefined_and_targets_unmet():
    report = ev.evaluate([GOLD], lambda text: [])
    assert report.overall.precision is None and report.overall.recall == 0.0
    assert not report.all_met


def _gold_detector(records):
    by_text = {r.text: [Span(s.start, s.end, s.kind, s.text) for s in r.spans] for r in records}
    return lambda text: by_text[text]


def test_a_perfect_detector_meets_every_target_and_exits_0(capsys):
    detector = _gold_detector(ev.load(DATA))
    assert ev.main(["--data", str(DATA)], detector=detector) == 0
    out = capsys.readouterr().out
    assert "未達" not in out and "達成" in out and "全体" in out


def test_a_detector_that_misses_names_fails_the_name_target_and_exits_1(capsys):
    perfect = _gold_detector(ev.load(DATA))
    assert ev.main(["--data", str(DATA), "--verbose"],
                   detector=lambda text: [s for s in perfect(text) if s.kind != "person_name"]) == 1
    out = capsys.readouterr().out
    assert "未達  氏名（person_name）の再現率 0.000" in out
    assert "見逃し" in out and "【" in out


def test_a_missing_data_file_is_reported_in_japanese_with_exit_code_2(tmp_path, capsys):
    assert ev.main(["--data", str(tmp_path / "nai.jsonl")], detector=lambda text: []) == 2
    assert "評価用データ" in capsys.readouterr().err


def test_a_broken_line_names_its_line_number(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "a", "text": "x", "spans": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(ev.EvalDataError, match="2 行目"):
        ev.load(path)
