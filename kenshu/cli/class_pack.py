"""``kenshu class pack``: the learner's bundle, a zip a trainer puts on a shared folder or a USB stick.

It holds what a learner needs to run the course and the exercises on any PC (``run.py start``):
the lessons, the chosen exercises, the datasets, the package and its documentation. It never
holds ``solutions/`` (the answers and hidden tests), ``grader/`` (the gradebook and
submissions), local settings (``kenshu.toml`` may hold keys) or anything a PC wrote (the
virtual environment, caches, checkpoints). Self-check in a bundle uses the visible tests
and says so.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path, PurePosixPath

from kenshu.errors import KenshuError
from kenshu.paths import kit_root

# top-level entries of the kit that go into a bundle; everything else stays with the trainer
BUNDLED = ("README.md", "LICENSE", "run.py", "pyproject.toml", "course", "exercises", "datasets", "docs", "kenshu")
# never in a bundle, at any depth
LEFT_OUT_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints", ".git", ".venv", "node_modules"})
LEFT_OUT_SUFFIXES = (".pyc", ".egg-info")
LEFT_OUT_NAMES = frozenset({"kenshu.toml", ".DS_Store", "Thumbs.db"})


class PackError(KenshuError):
    title = "受講者用の一式を作れませんでした"


def _wanted(relative: PurePosixPath, assignments: set[str] | None) -> bool:
    parts = relative.parts
    if not parts or parts[0] not in BUNDLED:
        return False
    if any(part in LEFT_OUT_PARTS or part.endswith(LEFT_OUT_SUFFIXES) for part in parts):
        return False
    if relative.name in LEFT_OUT_NAMES:
        return False
    if parts[0] == "exercises" and assignments is not None and len(parts) > 2:
        return parts[1] in assignments
    return True


def bundle_files(root: Path, assignments: list[str] | None = None) -> list[PurePosixPath]:
    """The files of the kit at ``root`` that a bundle holds, as paths relative to ``root``."""
    chosen = set(assignments) if assignments else None
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if _wanted(relative, chosen):
                found.append(relative)
    return found


def pack(assignments: list[str] | None = None, *, output: Path | None = None, folder: Path | None = None) -> Path:
    """Write the learner bundle; return where it is."""
    root = kit_root(folder)
    available = sorted(p.name for p in (root / "exercises").iterdir() if p.is_dir() and any(p.glob("*.ipynb"))) \
        if (root / "exercises").is_dir() else []
    unknown = [name for name in assignments or [] if name not in available]
    if unknown:
        raise PackError(f"課題 {'・'.join(unknown)} が exercises/ にありません。",
                        todo=f"課題名を確かめてください（あるもの: {'、'.join(available) or 'なし'}）。"
                             "新しい課題は `python3 run.py exercises build` で exercises/ に作ってから入れます。")
    label = "-".join(assignments) if assignments else "all"
    name = f"kenshu-learner-{label}-{date.today():%Y%m%d}"
    output = Path(output) if output else Path.cwd() / f"{name}.zip"
    if output.suffix.lower() != ".zip":
        output = output.with_name(output.name + ".zip")
    files = bundle_files(root, assignments)
    partial = output.with_name(output.name + ".partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for relative in files:
                archive.write(root / relative, f"{name}/{relative}")
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise PackError(f"{output} に書き込めませんでした（{exc.strerror or exc}）。",
                        todo="書き込めるフォルダーを --out で指定するか、空き容量を確かめてください。") from None
    return output


def run_pack(assignments: list[str], output: Path | None) -> int:
    path = pack(assignments or None, output=output)
    with zipfile.ZipFile(path) as archive:
        count = len(archive.namelist())
    chosen = "、".join(assignments) if assignments else "すべての課題"
    print(f"✓ 受講者用の一式（{chosen}、{count} ファイル）を {path} に作りました。")
    print("  解答と非公開テスト（solutions/）、採点記録（grader/）、設定ファイル（kenshu.toml）は入っていません。")
    print("  受講者は展開したフォルダーで `python3 run.py start`（Windows は `py run.py start`）を実行します。"
          "自己採点（check()）は公開テストだけで行われ、そのことが表示されます。")
    return 0
