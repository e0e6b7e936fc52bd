"""How well ``find_pii`` finds personal data: precision, recall and F1 per kind on the evaluation set.

    python -m kenshu.safety.evaluate [--data PATH] [--verbose]

The set (``datasets/pii/eval.jsonl``, made by ``tools/make_pii_eval.py``) holds
fictional municipal texts with gold spans. A prediction is a true positive when
a gold span has the same kind and exactly the same offsets ("exact"). The
"partial" figures count a prediction as right when it overlaps a gold span of
the same kind. Targets are judged on exact matches. Exit code 0 when every
target is met, 1 when one is not, 2 when the set or the detector cannot be used.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kenshu.errors import KenshuError
from kenshu.safety.spans import KINDS, LABELS

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "datasets" / "pii" / "eval.jsonl"

# recall (exact match) each kind must reach, and the precision over all kinds
RECALL_TARGETS = {"mynumber": 0.99, "phone": 0.99, "email": 0.99, "postal_code": 0.99, "credit_card": 0.99,
                  "person_name": 0.90, "address": 0.90, "birthdate": 0.90}
PRECISION_TARGET = 0.95

Detector = Callable[[str], Iterable]


class EvalDataError(KenshuError):
    title = "評価用データを読み込めません"


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class Record:
    id: str
    genre: str
    text: str
    spans: tuple[GoldSpan, ...]
    negatives: tuple[dict, ...] = ()


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    tp: int = 0                 # exact: predicted spans equal to a gold span
    partial_found: int = 0      # gold spans overlapped by a prediction of the same kind
    partial_correct: int = 0    # predictions overlapping a gold span of the same kind

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.tp += other.tp
        self.partial_found += other.partial_found
        self.partial_correct += other.partial_correct

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        return _f1(self.precision, self.recall)

    @property
    def partial_precision(self) -> float | None:
        return self.partial_correct / self.predicted if self.predicted else None

    @property
    def partial_recall(self) -> float | None:
        return self.partial_found / self.gold if self.gold else None


@dataclass(frozen=True)
class Finding:
    """A miss (gold span not predicted exactly) or a false positive (prediction matching no gold span)."""
    record_id: str
    kind: str
    start: int
    end: int
    text: str
    context: str
    overlaps: str = ""          # for a miss: what was predicted there; for a false positive: the gold span or hard negative


@dataclass(frozen=True)
class Target:
    label: str
    value: float | None
    threshold: float

    @property
    def met(self) -> bool:
        return self.value is not None and self.value >= self.threshold


@dataclass
class Report:
    per_kind: dict[str, Counts]
    documents: int
    seconds: float = 0.0
    misses: list[Finding] = field(default_factory=list)
    false_positives: list[Finding] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.per_kind.values():
            total.add(counts)
        return total

    @property
    def targets(self) -> list[Target]:
        out = []
        for kind, threshold in RECALL_TARGETS.items():
            counts = self.per_kind.get(kind, Counts())
            out.append(Target(f"{LABELS.get(kind, kind)}（{kind}）の再現率", counts.recall, threshold))
        out.append(Target("全体の適合率", self.overall.precision, PRECISION_TARGET))
        return out

    @property
    def all_met(self) -> bool:
        return all(target.met for target in self.targets)


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


# ---------------------------------------------------------------------------
# loading

def load(path: Path | str | None = None) -> list[Record]:
    """Read the evaluation set; a missing or broken file raises EvalDataError with a Japanese message."""
    path = Path(path) if path is not None else DEFAULT_DATA
    if not path.is_file():
        raise EvalDataError(
            f"評価用データ {path} が見つかりません。",
            todo="キットのフォルダーで `python tools/make_pii_eval.py` を実行して作るか、--data でファイルを指定してください。")
    records = []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                spans = tuple(GoldSpan(int(s["start"]), int(s["end"]), str(s["kind"]), str(s.get("text", "")))
                              for s in raw["spans"])
                records.append(Record(str(raw["id"]), str(raw.get("genre", "")), str(raw["text"]), spans,
                                      tuple(raw.get("negatives", ()))))
            except (ValueError, KeyError, TypeError) as exc:
                raise EvalDataError(f"評価用データ {path} の {number} 行目が読めません（{exc}）。",
                                    todo="1 行に 1 つの JSON（id, text, spans）になっているか確認してください。") from exc
    if not records:
        raise EvalDataError(f"評価用データ {path} に文書がありません。", todo="ファイルの中身を確認してください。")
    return records


# ---------------------------------------------------------------------------
# scoring

def _spans_of(predictions: Iterable) -> list[GoldSpan]:
    """Detector output as (start, end, kind, text), whatever object or mapping it came as."""
    out = []
    for p in predictions:
        if isinstance(p, dict):
            out.append(GoldSpan(int(p["start"]), int(p["end"]), str(p["kind"]), str(p.get("text", ""))))
        else:
            out.append(GoldSpan(int(p.start), int(p.end), str(p.kind), str(getattr(p, "text", ""))))
    return out


def _overlap(a: GoldSpan, b: GoldSpan) -> bool:
    return a.start < b.end and b.start < a.end


def context(text: str, start: int, end: int, width: int = 18) -> str:
    """The span in 【】 with some text either side, on one line."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    out = f"{'…' if start > width else ''}{left}【{text[start:end]}】{right}{'…' if end + width < len(text) else ''}"
    return out.replace("\r", "").replace("\n", "⏎")


def score_record(record: Record, predicted: Sequence[GoldSpan], per_kind: dict[str, Counts],
                 misses: list[Finding] | None = None, false_positives: list[Finding] | None = None) -> None:
    """Add one document's counts to ``per_kind`` (and its misses and false positives to the lists)."""
    gold = list(record.spans)
    predicted = list({(p.start, p.end, p.kind): p for p in predicted}.values())  # reported twice counts once
    gold_keys = {(g.start, g.end, g.kind) for g in gold}
    predicted_keys = {(p.start, p.end, p.kind) for p in predicted}
    for g in gold:
        counts = per_kind.setdefault(g.kind, Counts())
        counts.gold += 1
        if any(p.kind == g.kind and _overlap(p, g) for p in predicted):
            counts.partial_found += 1
        if (g.start, g.end, g.kind) not in predicted_keys and misses is not None:
            near = [p for p in predicted if _overlap(p, g)]
            misses.append(Finding(record.id, g.kind, g.start, g.end, g.text, context(record.text, g.start, g.end),
                                  "、".join(f"{p.kind}「{record.text[p.start:p.end]}」" for p in near)))
    for p in predicted:
        counts = per_kind.setdefault(p.kind, Counts())
        counts.predicted += 1
        if (p.start, p.end, p.kind) in gold_keys:
            counts.tp += 1
            counts.partial_correct += 1
            continue
        if any(g.kind == p.kind and _overlap(p, g) for g in gold):
            counts.partial_correct += 1
        if false_positives is not None:
            near = [f"正解 {g.kind}「{g.text}」" for g in gold if _overlap(p, g)]
            near += [f"ハードネガティブ（{n['label']}）" for n in record.negatives
                     if n.get("start", 0) < p.end and p.start < n.get("end", 0)]
            false_positives.append(Finding(record.id, p.kind, p.start, p.end, record.text[p.start:p.end],
                                           context(record.text, p.start, p.end), "、".join(near)))


def evaluate(records: Iterable[Record], detector: Detector) -> Report:
    """Run ``detector`` on every text and compare with the gold spans."""
    per_kind: dict[str, Counts] = {kind: Counts() for kind in KINDS}
    misses: list[Finding] = []
    false_positives: list[Finding] = []
    documents = 0
    began = time.perf_counter()
    for record in records:
        documents += 1
        predicted = _spans_of(detector(record.text))
        score_record(record, predicted, per_kind, misses, false_positives)
    return Report(per_kind, documents, time.perf_counter() - began, misses, false_positives)


# ---------------------------------------------------------------------------
# output

def _fmt(value: float | None) -> str:
    return "－" if value is None else f"{value:.3f}"


def table(report: Report):
    """The per-kind figures as a pandas DataFrame (one row per kind and a 全体 row)."""
    import pandas as pd

    rows = []
    kinds = [k for k in KINDS if k in report.per_kind] + [k for k in report.per_kind if k not in KINDS]
    for kind in [*kinds, None]:
        counts = report.overall if kind is None else report.per_kind[kind]
        if kind is not None and not counts.gold and not counts.predicted:
            continue
        rows.append({
            "種類": "全体" if kind is None else kind,
            "名称": "" if kind is None else LABELS.get(kind, "（未知の種類）"),
            "正解": counts.gold, "予測": counts.predicted, "一致": counts.tp,
            "適合率": _fmt(counts.precision), "再現率": _fmt(counts.recall), "F1": _fmt(counts.f1),
            "部分一致の適合率": _fmt(counts.partial_precision), "部分一致の再現率": _fmt(counts.partial_recall),
        })
    return pd.DataFrame(rows)


def render(report: Report, verbose: bool = False) -> str:
    import pandas as pd

    lines = [f"文書 {report.documents} 件を評価しました（{report.seconds:.2f} 秒）。",
             "一致 = 種類と開始・終了位置がすべて同じ。部分一致 = 同じ種類で範囲が重なる。", ""]
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200,
                           "display.max_columns", None):
        lines.append(table(report).to_string(index=False))
    lines += ["", "目標（完全一致で判定）"]
    for target in report.targets:
        lines.append(f"  {'達成' if target.met else '未達'}  {target.label} {_fmt(target.value)}"
                     f"（目標 {target.threshold:.2f} 以上）")
    lines.append("")
    lines.append("すべての目標を達成しました。" if report.all_met else "未達の目標があります。")
    if verbose:
        lines += ["", f"見逃し（{len(report.misses)} 件）"]
        for m in sorted(report.misses, key=lambda m: (m.kind, m.record_id, m.start)):
            extra = f"  ← 予測: {m.overlaps}" if m.overlaps else ""
            lines.append(f"  [{m.kind}] {m.record_id} {m.start}-{m.end}: {m.context}{extra}")
        lines += ["", f"誤検出（{len(report.false_positives)} 件）"]
        for m in sorted(report.false_positives, key=lambda m: (m.kind, m.record_id, m.start)):
            extra = f"  ← {m.overlaps}" if m.overlaps else ""
            lines.append(f"  [{m.kind}] {m.record_id} {m.start}-{m.end}: {m.context}{extra}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, detector: Detector | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a cp932 console must not crash
    parser = argparse.ArgumentParser(prog="python -m kenshu.safety.evaluate",
                                     description="個人情報検出（find_pii）を評価用データで評価する")
    parser.add_argument("--data", type=Path, default=None, help=f"評価用データ（JSONL、既定: {DEFAULT_DATA}）")
    parser.add_argument("--verbose", "-v", action="store_true", help="見逃しと誤検出を前後の文とともに一覧する")
    args = parser.parse_args(argv)
    try:
        records = load(args.data)
    except EvalDataError as exc:
        print(f"[kenshu] {exc}", file=sys.stderr)
        return 2
    if detector is None:
        try:
            from kenshu.safety import find_pii as detector
        except ImportError as exc:
            print(f"[kenshu] 検出器 kenshu.safety.find_pii を読み込めません（{exc}）。", file=sys.stderr)
            return 2
    report = evaluate(records, detector)
    print(render(report, verbose=args.verbose))
    return 0 if report.all_met else 1


if __name__ == "__main__":
    sys.exit(main())
