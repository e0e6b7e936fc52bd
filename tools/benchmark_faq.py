"""The inquiry bot's index: build time and query p50 on the kit's manual and on a 20× synthetic manual.

    .venv/bin/python tools/benchmark_faq.py

The 20× manual repeats the 45 sections 20 times under new IDs (900 sections), each copy's text shuffled by
sentence so that copies are not identical. Queries are the 160 questions of faq.csv (retrieval and the
refusal check, as ``kenshu faq --evaluate`` measures them; no model call), first with the two word channels,
then with the meaning channel fused in (``faq_dense``, when ``kenshu[dense]`` is installed). Exit code 0 when
the kit's manual answers a query in ≤ 20 ms (p50) in both.
"""

from __future__ import annotations

import itertools
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 20.0


def main() -> int:
    from kenshu.faq.bot import refuses
    from kenshu.faq.evaluate import read_questions
    from kenshu.faq.index import ManualIndex
    from kenshu.faq.manual import Manual, load_manual

    manual = load_manual(ROOT / "datasets" / "accounting" / "manual.md")
    rng = random.Random(0)
    copies = []
    for copy in range(20):
        for section in manual.sections:
            lines = section.body.splitlines()
            rng.shuffle(lines)
            copies.append(replace(section, id=f"{section.id}-{copy:02d}", body="\n".join(lines), replaced_by=""))
    big = Manual("20×", tuple(copies), "synthetic")
    questions = list(read_questions(ROOT / "datasets" / "accounting" / "faq.csv")["question"])
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {len(questions)} queries")
    from kenshu.faq.meaning import MeaningChannelError

    try:
        start = time.perf_counter()
        ManualIndex(manual, meaning=True)  # the model loads once, outside the timings
        print(f"meaning model load and first index: {time.perf_counter() - start:.2f} s")
        modes = (False, True)
    except MeaningChannelError:
        print("（kenshu[dense] が入っていないので、意味のチャネルは測りません）")
        modes = (False,)
    results = {}
    for meaning, (name, book) in itertools.product(modes, (("manual", manual), ("20x", big))):
        name = f"{name}+meaning" if meaning else name
        start = time.perf_counter()
        index = ManualIndex(book, meaning=meaning)
        build = time.perf_counter() - start
        times = []
        for question in questions:
            start = time.perf_counter()
            refuses(index.coverage(question))
            index.search(question, 3)
            times.append((time.perf_counter() - start) * 1000)
        results[name] = statistics.median(times)
        print(f"{name:15} {len(book.sections):4} sections: build {build:.2f} s, query p50 {results[name]:.2f} ms, "
              f"p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms")
    return 0 if all(ms <= TARGET_MS for name, ms in results.items() if name.startswith("manual")) else 1


if __name__ == "__main__":
    sys.exit(main())
