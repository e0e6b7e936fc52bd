"""``kenshu policy check [PATH]``: read a gate policy file and say whether it is right, in Japanese."""

from __future__ import annotations

from pathlib import Path

from kenshu.gate.policy import BACKEND_ORDER, DEFAULT_POLICY_PATH, Policy, load_policy, policy_path, read_policy
from kenshu.settings import resolve


def _which(path: Path | None) -> tuple[Path | None, str]:
    """The file to check and how it was chosen."""
    if path is not None:
        return path, str(path)
    settings = resolve()
    configured = policy_path(settings)
    if configured is None:
        return None, f"既定のポリシー（{DEFAULT_POLICY_PATH}）"
    return configured, f"{configured}（{settings.source_of('policy')} で指定）"


def _print_rules(policy: Policy) -> None:
    for backend in BACKEND_ORDER:
        mark = "（既定）" if backend in policy.inherited else ""
        print(f"  {backend:<10} {policy.rule(backend).summary()}{mark}")


def check_policy(path: Path | None) -> int:
    """Print ✓ and the rules, or every problem; 0 when the policy can be used, 1 when not."""
    target, described = _which(path)
    if target is None:
        policy, problems = load_policy(None), []
    else:
        policy, problems = read_policy(target)
    if policy is None:
        print(f"✗ ポリシー {described} に {len(problems)} 件の問題があります。")
        for problem in problems:
            print(f"  - {problem}")
        print("直してから、もう一度 kenshu policy check を実行してください。"
              "問題が残っている間は、生成AIへの送信は止まります。")
        return 1
    title = f"（名前: {policy.name}）" if policy.name else ""
    print(f"✓ ポリシー {described} に問題はありません{title}。")
    _print_rules(policy)
    for note in policy.notes:
        print(f"  注: {note}")
    return 0
