"""The gate's decision for one call: allowed, masked or blocked, with a Japanese reason.

A reason names what was found by kind and count, never the values, and says what
to do. The declared 機密性 is checked first: a class above what the backend may
receive is blocked whatever the text contains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kenshu.errors import SettingsError
from kenshu.gate.policy import BACKEND_LABELS, CLASSES, Policy
from kenshu.safety.spans import KINDS, LABELS, PUBLIC_KINDS, Span

ALLOWED, MASKED, BLOCKED = "allowed", "masked", "blocked"
DECISION_LABELS = {ALLOWED: "送信可", MASKED: "マスクして送信", BLOCKED: "送信不可"}
DEFAULT_CONFIDENTIALITY = 1
# what to do when personal data stops a call: mask, look, then send the masked text on purpose
_BLOCKED_TODO = (
    "個人情報を「［氏名1］」のような記号に置き換えた文章を作り（個人情報チェッカー "
    "`from kenshu.lessons import checker; checker()` に貼り付けると、置き換えた文章が表示されます。"
    "プログラムでは `kenshu.safety.mask(文章).text`）、見落としがないか目で確かめてから、その文章を送り直してください。"
    "記号に置き換えずに扱う必要があるときは、オフライン練習エンジン（backend=\"offline\"）か、"
    "庁内で許可された接続先を使ってください。架空の値でも、形が本物と同じだと止まります。")


@dataclass(frozen=True)
class Decision:
    action: str                     # allowed | masked | blocked
    backend: str
    confidentiality: int
    what: str                       # what was found and what happens, in Japanese
    todo: str = ""                  # what the learner can do (empty when nothing is needed)
    counts: Mapping[str, int] = field(default_factory=dict)   # kind -> how many were found
    mask_kinds: frozenset[str] = frozenset()                   # the kinds to replace when masked
    summary: str = ""               # the gist in one short line (the checker's table)

    @property
    def reason(self) -> str:
        return f"{self.what} 対処: {self.todo}" if self.todo else self.what

    @property
    def pii_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in KINDS if self.counts.get(k))

    @property
    def label(self) -> str:
        return DECISION_LABELS[self.action]


def check_confidentiality(value: object) -> int:
    """The declared 機密性 as 1, 2 or 3; None means undeclared, which counts as 1."""
    if value is None:
        return DEFAULT_CONFIDENTIALITY
    if isinstance(value, bool) or not isinstance(value, int) or value not in CLASSES:
        raise SettingsError(
            f"機密性（confidentiality）に「{value!r}」は指定できません。",
            todo="送る情報の機密性を 1、2、3 のどれかの整数で指定してください（例: confidentiality=2）。"
                 "1 = 公開してよい情報、2 = 公表を前提としない情報、3 = 秘密文書に相当する情報です。",
            setting="confidentiality")
    return value


def describe_counts(counts: Mapping[str, int], kinds: Iterable[str] | None = None) -> str:
    """「個人番号 1 件、氏名 2 件」: kinds in a fixed order, never the values."""
    wanted = set(counts if kinds is None else kinds)
    return "、".join(f"{LABELS[k]} {counts[k]} 件" for k in KINDS if k in wanted and counts.get(k))


def _names(kinds: Iterable[str]) -> str:
    wanted = set(kinds)
    return "・".join(LABELS[k] for k in KINDS if k in wanted)


def _where(backend: str) -> str:
    return f"接続先「{backend}」（{BACKEND_LABELS[backend]}）"


def decide(policy: Policy, backend: str, confidentiality: int | None, texts: str | Sequence[str] = (),
           *, spans: Iterable[Span] | None = None, uninspectable: str | None = None) -> Decision:
    """Decide one call. ``spans`` (found in ``texts``) may be given to avoid detecting twice;
    ``uninspectable`` names content that cannot be read (images, token arrays), if any."""
    level = check_confidentiality(confidentiality)
    rule = policy.rule(backend)
    if spans is None:
        from kenshu.safety import find_pii

        found: list[Span] = []
        for text in [texts] if isinstance(texts, str) else texts:
            found.extend(find_pii(text))
        spans = found
    counts = dict(Counter(span.kind for span in spans))
    found_text = describe_counts(counts)
    also = f"（送信内容には {found_text} も見つかっています）" if found_text else ""

    if not rule.allowed:
        usable = [b for b in policy.backends_for(level) if b != backend]
        return Decision(
            BLOCKED, backend, level,
            f"{policy.label}では、{_where(backend)}を使わないことになっているため、送信しません。{also}",
            (f"使える接続先（{' / '.join(usable)}）に切り替えてください。" if usable else
             "使える接続先がありません。") + "接続先を使えるようにするかどうかは、情報政策の担当に相談してください。",
            counts, summary="この接続先は使わないことになっています。")

    if level > rule.max_confidentiality:
        fits = [b for b in policy.backends_for(level) if b != backend]
        where_to = f"機密性{level}を受け取れる接続先は {' / '.join(fits)} です。" if fits else ""
        lower = (f"内容が本当に機密性{rule.max_confidentiality}（{'公開してよい情報' if rule.max_confidentiality == 1 else '公表を前提としない情報'}）"
                 f"に当たる場合に限り、confidentiality={rule.max_confidentiality} と宣言し直せます。")
        return Decision(
            BLOCKED, backend, level,
            f"機密性{level}と宣言された内容は、{_where(backend)}には送れません"
            f"（{policy.label}では、この接続先に送れるのは機密性{rule.max_confidentiality}までです）。{also}",
            f"オフライン練習エンジン（backend=\"offline\"）で試すか、機密性{level}の情報を扱うことが認められた"
            f"接続先を使ってください。{where_to}{lower}",
            counts, summary=f"機密性{level}は送れません（この接続先は機密性{rule.max_confidentiality}まで）。")

    if uninspectable and not rule.allows_everything:
        return Decision(
            BLOCKED, backend, level,
            f"送信内容に{uninspectable}が含まれています。これらは中身（個人情報の有無）を点検できないため、"
            f"{_where(backend)}には送りません。{also}",
            "文字だけにして送り直すか、オフライン練習エンジン（backend=\"offline\"）を使ってください。",
            counts, summary=f"{uninspectable}は点検できないため送れません。")

    personal = {k: n for k, n in counts.items() if k not in PUBLIC_KINDS or rule.action_for(k) != "allow"}
    actions = {k: rule.action_for(k) for k in personal}
    blocked = [k for k, a in actions.items() if a == "block"]
    masked = frozenset(k for k, a in actions.items() if a == "mask")
    if blocked:
        return Decision(
            BLOCKED, backend, level,
            f"送信内容に {found_text} が見つかりました。このうち {_names(blocked)} は、"
            f"{policy.label}により{_where(backend)}には送れないため、送信しません。",
            _BLOCKED_TODO, counts, summary=f"{_names(blocked)}が含まれるため送れません。")
    if masked:
        kept = [k for k in personal if k not in masked]
        kept_text = f"{describe_counts(counts, kept)} は{policy.label}で許可されているため、そのまま送ります。" if kept else ""
        return Decision(
            MASKED, backend, level,
            f"送信内容の {describe_counts(counts, masked)} を「［氏名1］」のような記号に置き換えて、"
            f"{_where(backend)}へ送ります。返答の中の記号は元に戻して表示します。{kept_text}",
            "",
            counts, masked, summary=f"{_names(masked)}を記号に置き換えて送ります。"
                                    + (f"{_names(kept)}はそのまま送ります。" if kept else ""))
    if personal:
        return Decision(
            ALLOWED, backend, level,
            f"送信内容に {describe_counts(counts, personal)} が含まれますが、{policy.label}では"
            f"{_where(backend)}へそのまま送ることが認められています。",
            "", counts, summary="個人情報を含めて、そのまま送れます。")
    public = f"（{found_text} は公開情報なのでそのまま送ります）" if found_text else ""
    return Decision(
        ALLOWED, backend, level,
        f"個人情報は見つかりませんでした{public}。機密性{level}の内容として{_where(backend)}へ送ります。",
        "", counts, summary="個人情報は見つからず、そのまま送れます。")
