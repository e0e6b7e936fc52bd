"""Batch classification on the offline engine: all inquiries through ``kenshu.ask``, in-process.

    .venv/bin/python tools/benchmark_classify.py [--runs 3]

Classifies the 346 ``kenshu.datasets.inquiries()`` texts with lesson 08's label list, one
request per row (``kenshu.lessons.batch.classify_texts``, so the gate and the audit log
apply), ``--runs`` times, and prints the wall time of each run, the rows per second and
the agreement with the person's labels. The audit log goes to a temporary file. Exit
code 0 when the best run takes at most 5 s (the target for a class on 2 cores), 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["KENSHU_BACKEND"] = "offline"
        os.environ["KENSHU_AUDIT_LOG"] = str(Path(folder) / "audit.sqlite3")
        from kenshu import datasets
        from kenshu.lessons.batch import agreement, classify_texts
        from kenshu.lessons.comment_analysis import DATASETS, read_labels

        inquiries = datasets.inquiries()
        labels = read_labels(DATASETS["inquiries"][5])
        times = []
        for _ in range(max(1, args.runs)):
            start = time.perf_counter()
            machine = classify_texts(inquiries["text"], labels, progress=False)
            times.append(time.perf_counter() - start)
        same, rate = agreement(inquiries["category"], machine)
    best = min(times)
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"rows: {len(inquiries)}; runs (s): {', '.join(f'{t:.2f}' for t in times)}")
    print(f"best: {best:.2f} s ({len(inquiries) / best:.0f} rows/s); target ≤ {TARGET_SECONDS:.0f} s")
    print(f"agreement with the person's labels: {same}/{len(inquiries)} ({rate}%)")
    return 0 if best <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
