"""Build the hand-written evaluation sets from their sources in ``datasets/pii/``.

    .venv/bin/python tools/make_pii_handwritten.py [--check]

``handwritten_source.txt`` → ``handwritten.jsonl`` (written before the detector's rules for these shapes,
then used to fix them) and ``heldout_source.txt`` → ``heldout.jsonl`` (written after, never tuned on).

Each line of the source is one document; ``⟦種類:text⟧`` marks a gold span (名 person_name, 住 address,
生 birthdate, 電 phone) and ``\\n`` a line break. A line without marks is a document with no personal data.
``## 見出し`` names the shape (the record's genre). The offsets are computed here, so the source stays readable.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {"handwritten_source.txt": ("handwritten.jsonl", "hw"), "heldout_source.txt": ("heldout.jsonl", "ho")}
FOLDER = ROOT / "datasets" / "pii"
KINDS = {"名": "person_name", "住": "address", "生": "birthdate", "電": "phone"}
MARK = re.compile(r"⟦(名|住|生|電):([^⟧]+)⟧")


def parse(line: str) -> tuple[str, list[dict]]:
    text, spans, position = "", [], 0
    line = line.replace("\\n", "\n")
    for match in MARK.finditer(line):
        text += line[position:match.start()]
        start = len(text)
        text += match.group(2)
        spans.append({"start": start, "end": len(text), "kind": KINDS[match.group(1)], "text": match.group(2)})
        position = match.end()
    return text + line[position:], spans


def build(source: Path, prefix: str) -> str:
    records, genre = [], ""
    for raw in source.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("# "):
            continue
        if raw.startswith("## "):
            genre = raw[3:].strip()
            continue
        text, spans = parse(raw)
        assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
        records.append({"id": f"{prefix}-{len(records) + 1:03d}", "genre": genre, "text": text, "spans": spans})
    print(f"{source.name}: {len(records)} documents, {sum(len(r['spans']) for r in records)} gold spans")
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def main() -> int:
    check = "--check" in sys.argv[1:]  # compare with the committed files, write nothing
    stale = []
    for source, (target, prefix) in SETS.items():
        text = build(FOLDER / source, prefix)
        path = FOLDER / target
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(target)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)} (run tools/make_pii_handwritten.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
