"""Where kenshu's connection settings come from.

Highest first: explicit arguments, environment variables, ``kenshu.toml`` in the
working directory, ``kenshu.toml`` in the user's config directory, built-in
defaults. Every resolved value remembers its source so ``kenshu config`` can say it.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from kenshu.errors import SettingsError

BACKENDS = ("offline", "openai", "azure", "compatible")
OFFLINE_MODEL = "kenshu-offline"
CONFIG_FILENAME = "kenshu.toml"

# setting name -> environment variable
ENV_VARS: dict[str, str] = {
    "backend": "KENSHU_BACKEND",
    "model": "KENSHU_MODEL",
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "azure_endpoint": "AZURE_OPENAI_ENDPOINT",
    "azure_api_key": "AZURE_OPENAI_API_KEY",
    "api_version": "OPENAI_API_VERSION",
    "timeout": "KENSHU_TIMEOUT",
    "max_retries": "KENSHU_MAX_RETRIES",
    "policy": "KENSHU_POLICY",
    "audit_log": "KENSHU_AUDIT_LOG",
    "faq_manual": "KENSHU_FAQ_MANUAL",
    "faq_dense": "KENSHU_FAQ_DENSE",
    "recording": "KENSHU_RECORDING",
}
SECRET_NAMES = frozenset({"api_key", "azure_api_key"})
DEFAULTS: dict[str, object] = {"backend": "offline", "timeout": 60.0, "max_retries": 2, "faq_dense": False}
_YES, _NO = ("true", "1", "yes", "on", "はい"), ("false", "0", "no", "off", "いいえ", "")

SOURCE_ARGUMENT = "引数"
SOURCE_DEFAULT = "既定値"


@dataclass(frozen=True)
class Settings:
    backend: str
    model: str | None
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    azure_endpoint: str | None = None
    azure_api_key: str | None = field(default=None, repr=False)
    api_version: str | None = None
    timeout: float = 60.0
    max_retries: int = 2
    policy: str | None = None      # path of the gate policy TOML; None: the built-in default
    audit_log: str | None = None   # path of the audit SQLite file; None: the user's data folder
    faq_manual: str | None = None  # the inquiry bot's manual (.md/.docx/.pdf); None: the kit's accounting manual
    faq_dense: bool = False        # the inquiry bot also searches by meaning (needs the extra kenshu[dense])
    recording: str | None = None   # recorded real answers replayed on the offline backend (kenshu record)
    # setting name -> where its value came from (None: not set)
    sources: Mapping[str, str | None] = field(default_factory=dict, compare=False)

    def source_of(self, name: str) -> str | None:
        return self.sources.get(name)


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir("kenshu", appauthor=False)) / CONFIG_FILENAME


def project_config_path(cwd: Path | None = None) -> Path | None:
    """The kenshu.toml in the working directory or its nearest parent that has one.

    A notebook's kernel runs in ``course/``, so a file at the kit's top still applies.
    """
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILENAME).is_file():
            return folder / CONFIG_FILENAME
    return None


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(
            f"設定ファイル {path} を読み取れませんでした（{exc}）。",
            todo="ファイルの書式（名前 = \"値\" の形）を直すか、いったん名前を変えて退避してください。",
            setting=str(path),
        ) from exc
    unknown = sorted(set(data) - set(ENV_VARS))
    if unknown:
        raise SettingsError(
            f"設定ファイル {path} に知らない項目があります: {', '.join(unknown)}",
            todo=f"使える項目は {', '.join(ENV_VARS)} です。綴りを確認してください。",
            setting=str(path),
        )
    return data


def _coerce(name: str, raw: object, source: str) -> object:
    if raw is None:
        return None
    if name == "timeout":
        try:
            number = float(raw)
        except (TypeError, ValueError):
            number = -1.0
        if number <= 0:
            raise SettingsError(
                f"timeout の値「{raw}」は使えません（{source}）。",
                todo="秒数を正の数で指定してください（例: 60）。",
                setting="KENSHU_TIMEOUT",
            )
        return number
    if name == "max_retries":
        try:
            count = int(raw)
        except (TypeError, ValueError):
            count = -1
        if not 0 <= count <= 10:
            raise SettingsError(
                f"max_retries の値「{raw}」は使えません（{source}）。",
                todo="0 から 10 までの整数を指定してください（例: 2）。",
                setting="KENSHU_MAX_RETRIES",
            )
        return count
    if name == "faq_dense":
        if isinstance(raw, bool):
            return raw
        if str(raw).strip().lower() in _YES:
            return True
        if str(raw).strip().lower() in _NO:
            return False
        raise SettingsError(
            f"faq_dense の値「{raw}」は使えません（{source}）。",
            todo="true（意味でも探す）か false（使わない）を指定してください。",
            setting="KENSHU_FAQ_DENSE",
        )
    text = str(raw).strip()
    if name == "backend":
        text = text.lower()
        if text not in BACKENDS:
            raise SettingsError(
                f"接続先の種類「{raw}」は使えません（{source}）。",
                todo=f"KENSHU_BACKEND（または kenshu.toml の backend）を {' / '.join(BACKENDS)} のどれかにしてください。",
                setting="KENSHU_BACKEND",
            )
    return text or None


def resolve(
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    user_config: Path | None = None,
    **arguments: object,
) -> Settings:
    """Resolve the effective settings; ``arguments`` are explicit overrides."""
    unknown = sorted(set(arguments) - set(ENV_VARS))
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(unknown)}")
    environ = os.environ if environ is None else environ
    files = [p for p in (project_config_path(cwd), user_config or user_config_path()) if p]
    # each layer: setting name -> (raw value, where it came from), highest priority first
    layers: list[dict[str, tuple[object, str]]] = [
        {name: (value, SOURCE_ARGUMENT) for name, value in arguments.items() if value is not None},
        {name: (environ[var], f"環境変数 {var}") for name, var in ENV_VARS.items() if environ.get(var)},
    ]
    for path in dict.fromkeys(path.resolve() for path in files):
        layers.append({name: (value, str(path)) for name, value in _read_toml(path).items()})
    layers.append({name: (value, SOURCE_DEFAULT) for name, value in DEFAULTS.items()})

    values: dict[str, object] = dict.fromkeys(ENV_VARS)
    sources: dict[str, str | None] = dict.fromkeys(ENV_VARS)
    depth: dict[str, int] = {}  # the layer each setting came from (0 = an explicit argument)
    for name in ENV_VARS:
        found = next(((number, layer[name]) for number, layer in enumerate(layers) if name in layer), None)
        if found is not None:
            depth[name], (raw, sources[name]) = found[0], found[1]
            values[name] = _coerce(name, raw, sources[name])

    # the practice engine has one model: a model named for another backend, below the choice of offline, is not it
    # (e.g. ask(..., backend="offline") on a PC set up for a real model)
    if values["backend"] == "offline" and (values["model"] is None or depth.get("model", 99) > depth.get("backend", 99)):
        values["model"], sources["model"] = OFFLINE_MODEL, SOURCE_DEFAULT
    return Settings(**values, sources=sources)


def masked(secret: str | None) -> str:
    """A key as it may be shown: never more than its last four characters."""
    if not secret:
        return "（未設定）"
    tail = secret[-4:] if len(secret) >= 16 else ""
    return f"設定済み（…{tail}）" if tail else "設定済み（非表示）"


def path_setting(settings: Settings, name: str) -> Path | None:
    """A path setting as a path: relative to its kenshu.toml's folder when it came from one, else to the working folder.

    So a kernel running in ``course/`` and the ``kenshu`` command at the kit's top read the same file.
    """
    value = getattr(settings, name)
    if not value:
        return None
    path = Path(value).expanduser()
    source = settings.source_of(name)
    if not path.is_absolute() and source and Path(source).name == CONFIG_FILENAME and Path(source).is_file():
        path = Path(source).parent / path
    return path
