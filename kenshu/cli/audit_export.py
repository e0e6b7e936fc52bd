"""``kenshu audit export``: the audit log as a CSV file Excel on Windows opens correctly.

UTF-8 with BOM (Excel then reads Japanese correctly). ``time`` stays UTC as in the log;
``local_time`` next to it is this PC's local time in a form Excel reads as a date.
Text cells that Excel would take for a formula (starting with = + - @ or a tab) get a
leading ``'``, so a prompt can never run as a formula on the auditor's PC.
An empty or missing log still gives a CSV with the header row, and exit code 0.
"""

from __future__ import annotations

from pathlib import Path

from kenshu.audit import log_path
from kenshu.audit.store import TEXT_COLUMNS, AuditLog, parse_since, typed_frame
from kenshu.errors import AuditLogError
from kenshu.settings import resolve

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def export_audit(output: Path, since: str | None) -> int:
    if since:
        parse_since(since)  # a bad date stops here, before anything is read or written
    path = log_path(resolve())
    if path.exists():
        frame = AuditLog(path).frame(since=since)
    else:
        frame = typed_frame()

    table = frame.copy()
    local = table["time"].map(lambda t: t.to_pydatetime().astimezone().strftime("%Y-%m-%d %H:%M:%S"), na_action="ignore")
    table.insert(table.columns.get_loc("time") + 1, "local_time", local.astype("string"))
    table["time"] = table["time"].map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z",
                                      na_action="ignore").astype("string")
    for column in TEXT_COLUMNS:
        table[column] = table[column].astype(object).map(_defuse).astype("string")

    output = Path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(output, index=False, encoding="utf-8-sig")
    except OSError as exc:
        raise AuditLogError(
            f"CSV ファイル {output} に書き出せませんでした（{exc}）。",
            todo="そのファイルを Excel などで開いている場合は閉じてから、もう一度実行してください。"
                 "--output で別の場所を指定することもできます。",
        ) from exc

    period = f"（{since} 以降）" if since else ""
    if not path.exists():
        print(f"利用記録のファイル {path} はまだありません（この設定ではまだ生成AIを呼び出していないか、"
              "KENSHU_AUDIT_LOG で別の場所を指定しています）。")
        print(f"見出し行だけの CSV を {output.resolve()} に書き出しました。")
    elif table.empty:
        print(f"利用記録{period}は 0 件でした（記録ファイル: {path}）。")
        print(f"見出し行だけの CSV を {output.resolve()} に書き出しました。")
    else:
        print(f"利用記録 {len(table)} 件{period}を {output.resolve()} に書き出しました（記録ファイル: {path}）。")
    return 0
