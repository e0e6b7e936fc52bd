"""``kenshu config``: the effective settings and where each came from, secrets masked."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from kenshu.settings import (
    CONFIG_FILENAME,
    ENV_VARS,
    SECRET_NAMES,
    masked,
    project_config_path,
    resolve,
    user_config_path,
)

_UNUSED_BY = {
    "offline": {"api_key", "base_url", "azure_endpoint", "azure_api_key", "api_version"},
    "openai": {"azure_endpoint", "azure_api_key", "api_version"},
    "compatible": {"azure_endpoint", "azure_api_key", "api_version"},
    "azure": {"api_key", "base_url"},
}


def _display_width(text: str) -> int:
    """Columns a terminal uses: full-width Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_config(cwd: Path | None = None) -> str:
    settings = resolve(cwd=cwd)
    lines = ["kenshu の設定（優先順位: 引数 > 環境変数 > 作業フォルダー（または上位）の kenshu.toml > ユーザーの kenshu.toml > 既定値）", ""]
    width = max(len(name) for name in ENV_VARS) + 2
    rows = []
    for name in ENV_VARS:
        value = getattr(settings, name)
        if name in SECRET_NAMES:
            shown = masked(value)
        else:
            shown = "（未設定）" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        rows.append((name, shown, settings.source_of(name) or "-"))
    value_width = max(_display_width(shown) for _, shown, _ in rows) + 2
    for name, shown, source in rows:
        padding = " " * (value_width - _display_width(shown))
        lines.append(f"{name:<{width}}{shown}{padding}← {source}")
    unused = sorted(n for n in _UNUSED_BY[settings.backend] if getattr(settings, n) is not None)
    if unused:
        lines += ["", f"注: 接続先が {settings.backend} のため、次の設定は使われません: {', '.join(unused)}"]
        if settings.backend == "offline":
            lines.append("   実際のモデルを使うには KENSHU_BACKEND（または kenshu.toml の backend）を設定してください。")
    lines += ["", "読み込む設定ファイル:"]
    project = project_config_path(cwd)
    lines.append(f"  {project}" if project else f"  {Path(cwd or Path.cwd()) / CONFIG_FILENAME}（なし。上位のフォルダーにもありません）")
    user = user_config_path()
    lines.append(f"  {user}{'' if user.is_file() else '（なし）'}")
    overridden = [var for var in ENV_VARS.values() if os.environ.get(var)]
    if overridden:
        lines.append(f"設定されている環境変数: {', '.join(overridden)}")
    return "\n".join(lines)


def show_config() -> int:
    print(render_config())
    return 0
