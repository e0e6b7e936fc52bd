"""The gate policy: for each backend, the highest 機密性 it may receive and what to do with personal data.

A trainer or the 情報政策担当 edits a TOML file (``default_policy.toml`` is the
model) without touching code. Reading it checks every key and value and reports
every problem at once, in Japanese, with where it is and how to fix it.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kenshu.errors import PolicyError
from kenshu.safety.spans import KINDS, LABELS, PUBLIC_KINDS
from kenshu.settings import BACKENDS, Settings

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.toml")
DEFAULT_SOURCE = "既定のポリシー"

CLASSES = (1, 2, 3)
CLASS_LABELS = {
    1: "機密性1（公開してよい情報）",
    2: "機密性2（公表を前提としない情報）",
    3: "機密性3（秘密文書に相当する情報）",
}
ACTIONS = ("block", "mask", "allow")
ACTION_LABELS = {"block": "送らない", "mask": "記号に置き換えて送る", "allow": "そのまま送る"}
BACKEND_LABELS = {
    "offline": "オフライン練習エンジン。この PC の中だけで動く",
    "compatible": "互換サーバー。庁内・LGWAN 側のゲートウェイやローカルサーバー",
    "openai": "OpenAI。インターネット上のクラウドサービス",
    "azure": "Azure OpenAI。インターネット上のクラウドサービス",
}
# the order a person reads them in: safest first
BACKEND_ORDER = ("offline", "compatible", "openai", "azure")
KIND_LIST_KEYS = {"block_kinds": "block", "mask_kinds": "mask", "allow_kinds": "allow"}
RULE_KEYS = ("allowed", "max_confidentiality", "personal_data", *KIND_LIST_KEYS)
TOP_KEYS = ("name",)

assert set(BACKEND_ORDER) == set(BACKENDS)


@dataclass(frozen=True)
class Rule:
    """What one backend may receive."""

    backend: str
    max_confidentiality: int
    personal_data: str
    block_kinds: frozenset[str] = frozenset()
    mask_kinds: frozenset[str] = frozenset()
    allow_kinds: frozenset[str] = frozenset()
    allowed: bool = True   # false: the municipality does not use this backend at all

    def action_for(self, kind: str) -> str:
        """block, mask or allow for one kind of personal data."""
        if kind in self.block_kinds:
            return "block"
        if kind in self.mask_kinds:
            return "mask"
        if kind in self.allow_kinds or kind in PUBLIC_KINDS:
            return "allow"
        return self.personal_data

    @property
    def allows_everything(self) -> bool:
        """True when nothing this backend is sent could be stopped or changed."""
        return self.allowed and self.max_confidentiality == max(CLASSES) and all(self.action_for(k) == "allow" for k in KINDS)

    def summary(self) -> str:
        """One line in Japanese, e.g. for ``kenshu policy check``."""
        if not self.allowed:
            return "使わない（送信しない）"
        parts = [f"機密性{self.max_confidentiality}まで", f"個人情報は{ACTION_LABELS[self.personal_data]}"]
        for key, action in KIND_LIST_KEYS.items():
            kinds = getattr(self, key)
            if kinds:
                names = "・".join(LABELS[k] for k in KINDS if k in kinds)
                parts.append(f"{names}は{ACTION_LABELS[action]}")
        return "、".join(parts)


@dataclass(frozen=True)
class Policy:
    rules: Mapping[str, Rule]
    source: str = DEFAULT_SOURCE      # the file it came from, or 既定のポリシー
    name: str | None = None
    inherited: tuple[str, ...] = ()   # backends the file did not name: the built-in rule applies
    notes: tuple[str, ...] = field(default=(), compare=False)

    def rule(self, backend: str) -> Rule:
        return self.rules[backend]

    @property
    def label(self) -> str:
        """How messages name this policy."""
        if self.source == DEFAULT_SOURCE:
            return DEFAULT_SOURCE
        return f"{self.name}（{self.source}）" if self.name else self.source

    def backends_for(self, confidentiality: int) -> list[str]:
        return [b for b in BACKEND_ORDER
                if self.rules[b].allowed and self.rules[b].max_confidentiality >= confidentiality]


# ---------------------------------------------------------------------------- reading and checking

def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "真偽値（true / false）"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "文字列"
    if isinstance(value, list):
        return "配列（[ ... ]）"
    if isinstance(value, dict):
        return "表（[見出し] や { ... }）"
    return "日付・時刻"


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "…"


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return f"（「{close[0]}」の書き間違いではありませんか）" if close else ""


def _kind_choices() -> str:
    return "、".join(f"{k}（{LABELS[k]}）" for k in KINDS)


def _check_rule(backend: str, table: object) -> tuple[Rule | None, list[str]]:
    where = f"[{backend}]"
    if not isinstance(table, dict):
        return None, [f"{backend} は接続先の設定なので、[{backend}] という見出しの表で書いてください"
                      f"（いまは{_type_name(table)} {_shown(table)}）。"]
    problems: list[str] = []
    for key in table:
        if key not in RULE_KEYS:
            problems.append(f"{where} に知らない項目「{key}」があります{_suggest(key, RULE_KEYS)}。"
                            f"使える項目は {', '.join(RULE_KEYS)} です。")

    allowed = table.get("allowed", True)
    if not isinstance(allowed, bool):
        problems.append(f"{where} allowed は引用符なしの true か false で書いてください"
                        f"（いまは{_type_name(allowed)} {_shown(allowed)}）。false にすると、この接続先へは何も送りません。")

    level = table.get("max_confidentiality")
    if "max_confidentiality" not in table:
        problems.append(f"{where} に max_confidentiality（送ってよい機密性の上限: 1、2、3 のどれか）がありません。")
    elif isinstance(level, bool) or not isinstance(level, int):
        problems.append(f"{where} max_confidentiality は引用符なしの整数（1、2、3 のどれか）で書いてください"
                        f"（いまは{_type_name(level)} {_shown(level)}）。")
    elif level not in CLASSES:
        problems.append(f"{where} max_confidentiality = {level} は範囲外です。機密性は 1、2、3 のどれかで書いてください。")

    action = table.get("personal_data")
    choices = "、".join(f'"{a}"（{ACTION_LABELS[a]}）' for a in ACTIONS)
    if "personal_data" not in table:
        problems.append(f"{where} に personal_data（個人情報の扱い: {choices}）がありません。")
    elif not isinstance(action, str):
        problems.append(f"{where} personal_data は文字列で書いてください（いまは{_type_name(action)} {_shown(action)}）。"
                        f"{choices} のどれかです。")
    elif action not in ACTIONS:
        problems.append(f"{where} personal_data = {_shown(action)} は使えません{_suggest(action, ACTIONS)}。"
                        f"{choices} のどれかにしてください。")

    lists: dict[str, frozenset[str]] = {}
    for key in KIND_LIST_KEYS:
        if key not in table:
            lists[key] = frozenset()
            continue
        value = table[key]
        if not isinstance(value, list):
            problems.append(f"{where} {key} は種類の名前の配列で書いてください（例: {key} = [\"mynumber\", \"phone\"]。"
                            f"いまは{_type_name(value)} {_shown(value)}）。")
            continue
        kinds = []
        for item in value:
            if not isinstance(item, str):
                problems.append(f"{where} {key} の要素は種類の名前の文字列で書いてください（{_shown(item)} は{_type_name(item)}です）。")
            elif item not in KINDS:
                problems.append(f"{where} {key} の「{item}」は知らない種類です{_suggest(item, KINDS)}。"
                                f"使える種類: {_kind_choices()}。")
            else:
                kinds.append(item)
        lists[key] = frozenset(kinds)
    seen: dict[str, str] = {}
    for key, kinds in lists.items():
        for kind in sorted(kinds, key=KINDS.index):
            if kind in seen:
                problems.append(f"{where} 「{kind}」（{LABELS[kind]}）が {seen[kind]} と {key} の両方にあります。"
                                "どちらか一方にしてください。")
            else:
                seen[kind] = key
    if problems:
        return None, problems
    return Rule(backend, level, action, lists["block_kinds"], lists["mask_kinds"], lists["allow_kinds"],
                allowed is not False), []


def parse_policy(data: Mapping[str, object], *, source: str,
                 defaults: Mapping[str, Rule] | None = None) -> tuple[Policy | None, list[str]]:
    """A policy from TOML data, or None and every problem found, each a Japanese sentence."""
    problems: list[str] = []
    rules: dict[str, Rule] = {}
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(f"name（ポリシーの名前）は文字列で書いてください（いまは{_type_name(name)} {_shown(name)}）。")
    for key, value in data.items():
        if key in TOP_KEYS:
            continue
        if key in BACKENDS:
            rule, found = _check_rule(key, value)
            problems.extend(found)
            if rule:
                rules[key] = rule
        elif isinstance(value, dict):
            problems.append(f"知らない接続先「[{key}]」があります{_suggest(key, BACKEND_ORDER)}。"
                            f"接続先は {' / '.join(BACKEND_ORDER)} のどれかです。")
        else:
            problems.append(f"知らない項目「{key}」があります{_suggest(key, [*TOP_KEYS, *RULE_KEYS])}。"
                            f"ファイルの先頭に書けるのは name だけで、ほかの項目は [{BACKEND_ORDER[0]}] などの"
                            "接続先の見出しの下に書きます。")
    if problems:
        return None, problems
    inherited = tuple(b for b in BACKEND_ORDER if b not in rules)
    if inherited:
        base = defaults if defaults is not None else load_policy(None).rules
        rules.update({b: base[b] for b in inherited})
    notes = tuple(f"[{b}] が書かれていないので、{b} には既定のルール（{rules[b].summary()}）を使います。"
                  for b in inherited)
    return Policy(rules, source=source, name=name, inherited=inherited, notes=notes), []


def read_policy(path: Path) -> tuple[Policy | None, list[str]]:
    """Read and check a policy file; never raises for a bad file."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return None, [f"ポリシーファイル {path} が見つかりません。"]
    except IsADirectoryError:
        return None, [f"{path} はフォルダーです。ポリシーファイル（.toml）の場所を指定してください。"]
    except OSError as exc:
        return None, [f"ポリシーファイル {path} を開けませんでした（{exc.strerror or exc}）。"]
    except UnicodeDecodeError:
        return None, [f"ポリシーファイル {path} の文字コードが読めません。UTF-8 で保存してください。"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"ポリシーファイル {path} の書式が TOML として正しくありません（{exc}）。"
                      "引用符の閉じ忘れや、= の抜けがないか確認してください。"]
    return parse_policy(data, source=str(path))


_default: Policy | None = None


def load_policy(path: str | Path | None = None, *, setting: str = "KENSHU_POLICY") -> Policy:
    """The policy in ``path`` (None: the built-in default); a bad file raises ``PolicyError``."""
    global _default
    if path is None:
        if _default is None:
            with DEFAULT_POLICY_PATH.open("rb") as handle:
                data = tomllib.load(handle)
            policy, problems = parse_policy(data, source=DEFAULT_SOURCE, defaults={})
            assert policy is not None and not problems and not policy.inherited, problems
            _default = policy
        return _default
    policy, problems = read_policy(Path(path))
    if policy is None:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise PolicyError(
            f"送信ルール（ポリシー）のファイル {path} に誤りがあるため、生成AIへの送信を止めています。\n{listed}",
            todo=f"ファイルを直してから `python3 run.py policy check {path}` で点検してください。"
                 f"既定のポリシーに戻すときは {setting} の設定を外してください。",
            setting=setting, problems=tuple(problems))
    return policy


def policy_path(settings: Settings) -> Path | None:
    """Where the configured policy file is; a relative path in kenshu.toml is relative to that file."""
    if not settings.policy:
        return None
    path = Path(settings.policy).expanduser()
    source = settings.source_of("policy") or ""
    if not path.is_absolute() and source.endswith(".toml") and Path(source).is_file():
        return Path(source).parent / path
    return path


def policy_for(settings: Settings) -> Policy:
    """The policy the settings name (KENSHU_POLICY / kenshu.toml), or the built-in default."""
    return load_policy(policy_path(settings))
