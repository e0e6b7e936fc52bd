"""Latency of the offline engine: in-process through the SDK, and `kenshu serve` under a class.

    .venv/bin/python tools/benchmark_engine.py [--runs 200] [--clients 40] [--requests 5]

(a) ``--runs`` chat completions through ``kenshu.llm.client()`` on the offline
backend (the openai SDK with kenshu's in-process transport).
(b) ``kenshu serve`` started as a subprocess on 127.0.0.1 and a free port;
``--clients`` threads start together and each sends ``--requests`` requests
one after another over its own keep-alive connection, as a class pressing
"run" on the same exercise cell would. Latency is measured by the client.
(c) the same, but every request differs slightly, so the server's sharing of
identical answers cannot help: the cost of the engine itself under load.

The request summarises a ~2,000-character fictional meeting record. Request
counts are bounded; the server is stopped at the end. Exit code 0 when the
targets of (a) and (b) are met, 1 otherwise; (c) is printed for information.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx2

from kenshu import llm
from kenshu.settings import ENV_VARS, OFFLINE_MODEL

IN_PROCESS_P50_TARGET_MS = 20.0
SERVER_P99_TARGET_MS = 250.0

# A fictional town's internal meeting record (all names, figures and dates invented).
MEETING_RECORD = """\
みどり町　令和7年度 第3回 庁内DX推進会議 会議録

日時：令和7年10月14日（火）午後2時から午後3時30分まで
場所：みどり町役場 本庁舎3階 第2会議室
出席者：副町長（議長）、総務課長、企画財政課長、住民課長、福祉課長、建設課長、教育総務課長、総務課情報係長（事務局）
欠席者：なし

1　開会
議長から、本日の会議では、窓口業務のオンライン化の進み具合、生成AIの試行利用、庁内ネットワークの更新、来年度予算要求に向けた方針の4点を議題とする旨の説明があった。

2　議題
（1）窓口業務のオンライン化について
住民課長から、9月末時点の状況について報告があった。転入・転出に関する事前申請のオンライン受付を7月に開始し、3か月間の利用は412件で、窓口で受け付けた件数全体の約18パーセントにあたる。利用者からは「窓口での待ち時間が短くなった」という声が多い一方、「入力画面の説明が分かりにくい」との意見も寄せられている。事務局からは、入力画面の文言を見直し、よくある質問を町のホームページに掲載する案が示された。
福祉課長から、児童手当の現況確認についてもオンライン化の要望が多いとの発言があった。議長は、利用の多い手続から順に対象を広げること、対象を広げる際は高齢者や障がいのある方が窓口でも変わらず手続できるよう配慮することを確認した。

（2）生成AIの試行利用について
事務局から、8月から総務課と企画財政課の職員20名で実施している生成AIの試行利用について中間報告があった。主な用途は、会議録の要約、通知文の下書き、住民向けお知らせの言い換えであり、アンケートでは参加者の8割が「文書作成の時間が減った」と回答した。一方で、出力された内容に事実と異なる記述が含まれていた例が4件あり、いずれも職員が確認の段階で修正した。
総務課長から、個人情報や非公開情報を入力しないというルールが守られているかを確認する仕組みが必要ではないかとの意見があった。事務局は、利用ガイドラインに入力禁止情報の具体例を追記すること、全職員を対象とした研修を年内に実施することを提案した。
建設課長から、工事の説明資料を分かりやすい表現に直す用途でも使いたいとの要望があり、議長は、試行の対象課を来年1月から建設課と教育総務課にも広げる方向で検討するよう事務局に指示した。

（3）庁内ネットワークの更新について
事務局から、本庁舎の無線LAN機器が導入から8年を経過し、会議室でつながりにくい状況が続いていることが報告された。更新は来年2月の閉庁日に行い、作業中は一部の業務システムが使えなくなるため、各課には1か月前までに日程を周知する。議長は、窓口業務に影響が出ないよう、作業時間を土曜日の午前中に限るよう求めた。

（4）来年度予算要求に向けた方針について
企画財政課長から、来年度のDX関連予算は、国の交付金の対象となる事業を優先し、既存システムの保守費用の見直しで財源を確保する方針が示された。事務局からは、生成AIの本格導入に係る費用として、利用料と研修費を合わせて年間約300万円を見込んでいるとの説明があった。
教育総務課長から、学校現場での活用は教育委員会で別途検討しているため、町長部局の予算とは分けて整理してほしいとの意見があった。議長は、費用対効果を示す資料を11月の予算ヒアリングまでに作成するよう、企画財政課と事務局に指示した。

（5）その他
総務課長から、年末年始の窓口体制について、12月28日と1月4日は住民課と福祉課の窓口を午前中のみ開けることが報告された。また、庁舎の電力使用量が前年同月より約6パーセント増えていることから、会議室の照明と空調の消し忘れに注意するよう各課に呼びかけがあった。事務局からは、庁内ポータルの「お知らせ」欄を毎週月曜日に更新し、各課からの掲載依頼は前週の木曜日までに受け付ける運用に改めたいとの提案があり、了承された。

3　決定事項
・オンライン申請の入力画面の文言を10月中に見直し、よくある質問を掲載する。
・生成AIの利用ガイドラインを改訂し、12月までに全職員向け研修を行う。
・無線LAN機器の更新日程を決め、1か月前までに各課へ周知する。
・試行の対象課の拡大と来年度予算の費用対効果資料を、11月の予算ヒアリングまでにまとめる。
・庁内ポータルの掲載依頼の締切を、掲載する週の前週の木曜日とする。

4　次回の予定
次回は11月18日（火）午後2時から、同じ会議室で開催する。

5　閉会
議長が閉会を宣言し、午後3時30分に終了した。

（記録：総務課情報係）
"""
PROMPT = "あなたは総務課の職員です。以下の会議録を3点の箇条書きで要約してください。\n\n" + MEETING_RECORD
MESSAGES = [{"role": "user", "content": PROMPT}]
ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 200 values is the 198th smallest)."""
    ordered = sorted(values)
    rank = min(max(1, math.ceil(fraction * len(ordered))), len(ordered))
    return ordered[rank - 1]


def verdict(value: float, target: float, *, errors: int = 0) -> str:
    return "OK" if value <= target and errors == 0 else "NOT MET"


def time_calls(call: Callable[[], object], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def in_process(runs: int) -> list[float]:
    client = llm.client(backend="offline")

    def call() -> object:
        completion = client.chat.completions.create(model=OFFLINE_MODEL, messages=MESSAGES)
        assert completion.choices[0].message.content
        return completion

    time_calls(call, 10)  # warm-up: imports, regex compilation
    return time_calls(call, runs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {name: value for name, value in os.environ.items() if name not in ENV_VARS.values()}
    server = subprocess.Popen(
        [sys.executable, "-m", "kenshu", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"kenshu serve exited with code {server.returncode}")
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx2.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("kenshu serve did not start within 20 s")


def request_body(variant: str = "") -> bytes:
    messages = [{"role": "user", "content": PROMPT + variant}]
    return json.dumps({"model": OFFLINE_MODEL, "messages": messages}, ensure_ascii=False).encode("utf-8")


def under_load(port: int, clients: int, requests: int, *, distinct: bool) -> tuple[list[float], int]:
    """``distinct``: every request differs (a line naming the learner and the attempt is
    appended), so none can be answered from the server's cache of identical requests."""
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_together = threading.Barrier(clients)

    def post(http: httpx2.Client, body: bytes) -> str:
        """One request; the problem with it, or "" when the answer is a proper completion."""
        try:
            answer = http.post(url, content=body)
            if answer.status_code == 200 and answer.json()["choices"][0]["message"]["content"]:
                return ""
            return f"status {answer.status_code}"
        except (httpx2.HTTPError, ValueError, KeyError, IndexError) as exc:
            return repr(exc)

    def learner(number: int) -> None:
        bodies = [request_body(f"\n（受講者 {number}、{attempt} 回目）" if distinct else "")
                  for attempt in range(1, requests + 1)]
        with httpx2.Client(timeout=30, headers={"content-type": "application/json"}) as http:
            try:
                http.get(f"http://127.0.0.1:{port}/health")  # connect before the class starts together
            except httpx2.HTTPError:
                pass  # the timed requests will count the failure
            try:
                start_together.wait(timeout=60)
            except threading.BrokenBarrierError:
                pass
            for body in bodies:
                started = time.perf_counter()
                problem = post(http, body)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if problem:
                        errors.append(problem)
                    else:
                        timings.append(elapsed)

    threads = [threading.Thread(target=learner, args=(number,)) for number in range(1, clients + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        print(f"  first error: {errors[0]}")
    return timings, len(errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="in-process runs (default 200)")
    parser.add_argument("--clients", type=int, default=40, help="concurrent clients against the server (default 40)")
    parser.add_argument("--requests", type=int, default=5, help="requests per client (default 5)")
    args = parser.parse_args()

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"request: summarise a {len(MEETING_RECORD):,}-character meeting record ({len(PROMPT):,}-character prompt)",
          flush=True)

    timings = in_process(args.runs)
    p50, p99 = percentile(timings, 0.50), percentile(timings, 0.99)
    print(f"(a) in-process via SDK, {len(timings)} runs: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
          f"max {max(timings):.2f} ms  [target p50 <= {IN_PROCESS_P50_TARGET_MS:g} ms: "
          f"{verdict(p50, IN_PROCESS_P50_TARGET_MS)}]")
    in_process_ok = p50 <= IN_PROCESS_P50_TARGET_MS

    port = free_port()
    server = start_server(port)  # fresh, so the identical burst starts with nothing remembered
    try:
        identical = under_load(port, args.clients, args.requests, distinct=False)
        distinct = under_load(port, args.clients, args.requests, distinct=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    server_ok = report("(b) kenshu serve, identical requests", identical, args)
    report("(c) kenshu serve, every request different (for information)", distinct, args, target=False)
    return 0 if in_process_ok and server_ok else 1


def report(title: str, result: tuple[list[float], int], args: argparse.Namespace, *, target: bool = True) -> bool:
    timings, errors = result
    p50 = percentile(timings, 0.50) if timings else float("nan")
    p99 = percentile(timings, 0.99) if timings else float("inf")
    line = (f"{title}, {args.clients} concurrent clients x {args.requests} requests: {len(timings)} ok, "
            f"{errors} errors, p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(timings, default=float('nan')):.1f} ms")
    if target:
        line += (f"  [target p99 <= {SERVER_P99_TARGET_MS:g} ms with 0 errors: "
                 f"{verdict(p99, SERVER_P99_TARGET_MS, errors=errors)}]")
    print(line, flush=True)
    return p99 <= SERVER_P99_TARGET_MS and errors == 0


if __name__ == "__main__":
    sys.exit(main())
