"""The detector meets the issue's targets on the committed evaluation set (a regression guard)."""

from kenshu.safety import find_pii
from kenshu.safety.evaluate import evaluate, load


def test_every_detection_target_is_met_on_the_evaluation_set():
    report = evaluate(load(), find_pii)
    missed = [f"{t.label} {t.value:.3f}" for t in report.targets if not t.met]
    assert not missed, missed
