"""Taking in another municipality's cases: new IDs are added with where they came from; an ID already here is
never overwritten (a different case under it is reported as a conflict); a bad incoming file stops the merge
before anything is written."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from kenshu.cases.catalogue import Case, case_files, load_cases, load_catalogue
from kenshu.errors import CatalogueError

IGNORED_WHEN_COMPARING = ("merged_from",)


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    identical: list[str] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)   # id -> the fields that differ

    def lines(self) -> list[str]:
        found = [f"取り込んだ事例: {len(self.added)} 件" + (f"（{', '.join(self.added)}）" if self.added else ""),
                 f"同じ内容ですでにある事例: {len(self.identical)} 件"]
        if self.conflicts:
            found.append(f"番号が同じで内容が違うため、取り込まなかった事例: {len(self.conflicts)} 件")
            found += [f"  - {ident}: 違う項目 {', '.join(fields)}" for ident, fields in self.conflicts.items()]
            found.append("  番号を変えて（例: 自団体の接頭辞を付けて）から、もう一度取り込んでください。")
        return found


def _comparable(case: Case) -> dict:
    data = {k: v for k, v in case.data.items() if k != "provenance"}
    data["provenance"] = {k: v for k, v in case.data["provenance"].items() if k not in IGNORED_WHEN_COMPARING}
    return data


def _differences(ours: dict, theirs: dict, prefix: str = "") -> list[str]:
    found = []
    for key in dict.fromkeys([*ours, *theirs]):
        a, b = ours.get(key), theirs.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            found += _differences(a, b, f"{prefix}{key}.")
        elif a != b:
            found.append(f"{prefix}{key}")
    return found


def _write_new(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all; never replaces an existing file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            os.link(temporary, path)  # fails if ``path`` appeared meanwhile
        except FileExistsError:
            raise
        except OSError:  # no hard links (FAT32 memory sticks, some shares)
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(temporary, path)
            return
        os.unlink(temporary)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def merge(source: str | Path, into: str | Path | None = None) -> MergeReport:
    """Merge the cases in ``source`` (a file or folder) into the catalogue folder ``into`` (default: the kit's)."""
    source = Path(source)
    target = load_catalogue(into)
    incoming, errors = load_cases(case_files(source))
    if errors:
        raise CatalogueError(f"取り込む事例に誤りがあるため、何も取り込みませんでした（{len(errors)} 件）。\n" + "\n".join(errors),
                             todo="送ってくれた団体に直してもらうか、直してから取り込んでください。事例集は変わっていません。")
    ours = {case.id: case for case in target}
    report = MergeReport()
    for case in incoming:
        if case.id in ours:
            differing = _differences(_comparable(ours[case.id]), _comparable(case))
            if differing:
                report.conflicts[case.id] = differing
            else:
                report.identical.append(case.id)
            continue
        # the file name only: a local folder name is not for exchange
        data = {**case.data, "provenance": {**case.data["provenance"], "merged_from": case.path.name}}
        _write_new(target.folder / f"{case.id}.toml", tomli_w.dumps(data))
        report.added.append(case.id)
        ours[case.id] = case
    return report
