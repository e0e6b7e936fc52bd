"""``kenshu record``: record real model answers for the course once; ``kenshu record check``: review them.

    kenshu record course/05_drafting_and_checking.ipynb ... --out 録画.jsonl
    kenshu record check 録画.jsonl [--out 配布用.jsonl]

Recording runs the chosen notebooks top to bottom (nbclient, a kernel per notebook, in the notebook's folder)
against the configured real backend, through the gate as always; every answered chat request is appended to
the recording (``kenshu.llm.recording``). The check lists every recorded request and answer with the personal
data the detector finds, and writes a shareable copy only when none is left.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from kenshu.errors import KenshuError
from kenshu.llm import recording


class RecordError(KenshuError):
    title = "録画できませんでした"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_notebooks(notebooks: list[Path], out: Path, *, timeout: float = 600) -> int:
    import nbformat
    from nbclient import NotebookClient
    from tqdm import tqdm

    from kenshu.settings import resolve

    settings = resolve()
    if settings.backend == "offline":
        raise RecordError("いまの接続先はオフライン練習エンジンです。録画には実際のモデルが必要です。",
                          todo="KENSHU_BACKEND（または kenshu.toml の backend）を openai・azure・compatible のどれかにし、"
                               "`python3 run.py doctor` で接続を確かめてから、もう一度実行してください。",
                          setting="KENSHU_BACKEND")
    missing = [str(path) for path in notebooks if not path.is_file()]
    if missing:
        raise RecordError(f"ノートブック {'、'.join(missing)} が見つかりません。", todo="ファイルの場所を確かめてください。")
    out = out.resolve()
    before = len(recording.load(out)) if out.exists() and out.stat().st_size else 0
    failed: list[str] = []
    previous = os.environ.get(recording.RECORD_TO)
    os.environ[recording.RECORD_TO] = str(out)  # the kernels inherit it: their real backend records
    try:
        for path in tqdm(notebooks, desc="録画", unit="冊", ascii=True):
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(notebook, timeout=timeout, allow_errors=True, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent.resolve())}})
            try:
                client.execute(stderr=subprocess.DEVNULL)  # kernels' English start-up warnings would break up the bar
            except Exception as error:  # noqa: BLE001 - a kernel that died: report it, go on
                failed.append(f"{path.name}（{type(error).__name__}）")
                continue
            errors = sum(1 for cell in notebook.cells if cell.cell_type == "code"
                         for output in cell.get("outputs", []) if output.get("output_type") == "error")
            if errors:
                failed.append(f"{path.name}（エラーになったセル {errors}）")
    finally:
        if previous is None:
            os.environ.pop(recording.RECORD_TO, None)
        else:
            os.environ[recording.RECORD_TO] = previous
    after = len(recording.load(out)) if out.exists() and out.stat().st_size else 0
    print(f"{len(notebooks)} 冊を実行し、{after - before} 件の応答を {out} に録画しました（合計 {after} 件、"
          f"接続先 {settings.backend}、モデル {settings.model}）。")
    for item in failed:
        print(f"  要確認: {item}")
    print(f"配る前に `python3 run.py record check {out.name}` で、応答に個人情報がないか確かめてください。")
    return 1 if failed else 0


def check_recording(path: Path, out: Path | None = None) -> int:
    from kenshu.safety import find_pii

    entries = recording.load(path)
    flagged = 0
    print(f"{path}: 録画した応答 {len(entries)} 件")
    for number, entry in enumerate(entries.values(), 1):
        question = "\n".join(str(m.get("content") or "") for m in entry.request.get("messages", [])
                             if isinstance(m, dict))
        found = [span for text in (question, entry.content()) for span in find_pii(text)]
        mark = "⚠" if found else "✓"
        print(f"{mark} {number}. {entry.model}・{entry.date}  質問: {_short(question)}")
        print(f"     応答: {_short(entry.content())}")
        if found:
            flagged += 1
            kinds = "、".join(sorted({f"{span.kind}「{span.text}」" for span in found}))
            print(f"     個人情報の疑い: {kinds}")
    if flagged:
        print(f"個人情報の疑いがある応答が {flagged} 件あります。配布用のファイルは作りません。"
              "該当するノートブックの依頼文を直して録画し直すか、その行を削除してから、もう一度確かめてください。")
        return 1
    print("個人情報の疑いがある応答はありません。")
    if out is not None:
        if out.exists():
            raise RecordError(f"{out} はすでにあります。", todo="別の名前を指定してください（上書きはしません）。")
        shutil.copyfile(path, out)
        print(f"配布用のファイルを {out} に作りました。受講者の PC では KENSHU_RECORDING={out.name} で使えます。")
    return 0


def run_record(items: list[str], out: Path | None) -> int:
    if items and items[0] == "check":
        if len(items) != 2:
            raise RecordError("確かめる録画ファイルを一つ指定してください。", todo="例: python3 run.py record check 録画.jsonl")
        return check_recording(Path(items[1]), out)
    if not items or out is None:
        raise RecordError("録画するノートブックと、保存先（--out）を指定してください。",
                          todo="例: python3 run.py record course/05_drafting_and_checking.ipynb --out 録画.jsonl")
    return record_notebooks([Path(item) for item in items], out)


__all__ = ["check_recording", "record_notebooks", "run_record"]
