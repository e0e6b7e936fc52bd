"""The detector on texts written apart from its rules (datasets/pii/handwritten.jsonl and heldout.jsonl):
names, addresses and birthdates leak in at most 5% of cases, and at most 5% of what it marks as such is wrong."""

from __future__ import annotations

import pytest

from kenshu.safety import find_pii
from kenshu.safety.evaluate import evaluate, load
from tests.support.grading_kit import ROOT

KINDS = ("person_name", "address", "birthdate")


@pytest.mark.parametrize("name", ["handwritten.jsonl", "heldout.jsonl"])
def test_names_addresses_and_birthdates_rarely_leak_and_rarely_are_wrong(name):
    report = evaluate(load(ROOT / "datasets" / "pii" / name), find_pii)
    gold = sum(report.per_kind[k].gold for k in KINDS)
    covered = sum(report.per_kind[k].partial_found for k in KINDS)  # masked, at least in part
    predicted = sum(report.per_kind[k].predicted for k in KINDS)
    right = sum(report.per_kind[k].partial_correct for k in KINDS)
    assert gold >= 20
    leaked = [f"{m.kind}: {m.context}" for m in report.misses if m.kind in KINDS and not m.overlaps]
    assert (gold - covered) / gold <= 0.05, leaked
    assert (predicted - right) / predicted <= 0.05, [f.context for f in report.false_positives if f.kind in KINDS]


def test_the_hand_written_sets_are_built_from_their_sources():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "tools" / "make_pii_handwritten.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
