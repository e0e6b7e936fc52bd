"""Throughput of kenshu.safety.find_pii on Japanese municipal text (target: >= 1 MB/s on one core).

    .venv/bin/python tools/benchmark_safety.py [--megabytes 2]
"""

from __future__ import annotations

import argparse
import statistics
import time

from kenshu.safety import find_pii

# a fictional consultation record: names, numbers and plenty of ordinary prose
RECORD = """令和7年5月12日（月）午前10時、福祉課窓口にて相談を受けた。相談者は山田 花子様（昭和52年3月8日生まれ）。
住所は東京都若葉市中央三丁目5番12号、電話は090-1234-5678。長男の山田 一郎さんが同席した。
相談内容は、介護保険の申請手続と、来月から始まる訪問介護の利用料についてである。
申請書の記入方法を説明し、必要書類（本人確認書類、保険証）を案内した。利用料の目安は月額12,000円程度と伝えた。
担当の鈴木主査から、次回は6月2日に自宅を訪問する予定であることを説明した。会議室の予約は総務課に依頼済み。
なお、前回の相談記録（若葉福第234号）と内容に相違はない。内線 2345 にて課長へ報告した。
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    copies = int(args.megabytes * 1_000_000 / len(RECORD.encode("utf-8"))) + 1
    text = RECORD * copies
    size = len(text.encode("utf-8"))
    find_pii(RECORD)  # load the dictionary outside the timing
    rates = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        found = find_pii(text)
        rates.append(size / (time.perf_counter() - began) / 1_000_000)
    best, median = max(rates), statistics.median(rates)
    print(f"text: {size / 1_000_000:.2f} MB of Japanese (UTF-8), {len(found):,} spans found")
    print(f"find_pii throughput: median {median:.2f} MB/s, best {best:.2f} MB/s over {args.repeat} runs "
          f"[target >= 1 MB/s: {'OK' if median >= 1 else 'MISSED'}]")
    return 0 if median >= 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
