"""``kenshu cases validate|list|export|merge``: the 活用事例集 as files a municipality can check and exchange."""

from __future__ import annotations

from pathlib import Path

from kenshu.cases import export_docx, export_xlsx, load_catalogue, merge
from kenshu.errors import CatalogueError


def run_cases(action: str, *, catalogue: Path | None = None, target: Path | None = None) -> int:
    if action == "merge":
        report = merge(target, catalogue)
        print(f"{target} の事例を {catalogue or '事例集'} に取り込みました。")
        for line in report.lines():
            print(line)
        return 1 if report.conflicts else 0
    cases = load_catalogue(catalogue)
    if action == "validate":
        print(f"✓ 事例集 {cases.folder} の {len(cases)} 件に誤りはありません。")
        return 0
    if action == "list":
        for case in cases:
            print(f"{case.id}  {case.category:<10}  機密性{case.confidentiality}  {'・'.join(case.backends):<32}  {case.title}")
        print(f"計 {len(cases)} 件")
        return 0
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        raise CatalogueError(f"{target.name} には書き出せません。", todo="名前の最後を .xlsx（Excel）か .docx（Word）にしてください。")
    if target.exists():
        raise CatalogueError(f"{target} はすでにあります。上書きしませんでした。", todo="別の名前を指定してください。")
    (export_xlsx if suffix == ".xlsx" else export_docx)(cases, target)
    print(f"{len(cases)} 件の事例を {target} に書き出しました。")
    return 0
