"""The gate policy that enforces a guideline: each service's 機密性 limit and personal-data handling.

Services under standard terms (約款型外部サービス) receive 機密性1 only and no personal data (the 2023-05-08
申合せ), whatever is chosen; the LGWAN-side service receives what the municipality chose; the offline practice
engine, which sends nothing out, handles everything. A service the municipality does not use gets ``allowed = false``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass

from kenshu.gate.policy import BACKEND_ORDER, Policy, parse_policy
from kenshu.guideline.choices import Choices


@dataclass(frozen=True)
class ServiceRule:
    backend: str
    allowed: bool
    max_confidentiality: int
    personal_data: str   # block | mask | allow


def service_rules(choices: Choices) -> list[ServiceRule]:
    """What each backend may receive under ``choices``, safest first."""
    rules = []
    for backend in BACKEND_ORDER:
        if backend == "offline":
            rules.append(ServiceRule(backend, True, 3, "allow"))
        elif backend == "compatible":
            rules.append(ServiceRule(backend, backend in choices.services, choices.gateway_max_confidentiality,
                                     choices.gateway_personal_data))
        else:
            rules.append(ServiceRule(backend, backend in choices.services, 1, "block"))
    return rules


_COMMENTS = {
    "offline": "オフライン練習エンジン: PC の外に何も送らない",
    "compatible": "庁内・LGWAN 側の生成AI",
    "openai": "OpenAI（約款型外部サービス）: 機密性1まで、個人情報は送らない",
    "azure": "Azure OpenAI（約款型外部サービス）: 機密性1まで、個人情報は送らない",
}


def policy_toml(choices: Choices) -> str:
    """The policy file for ``choices``, to set as ``policy`` in kenshu.toml (or KENSHU_POLICY)."""
    lines = [f"# {choices.municipality} 生成AI利用ガイドラインの送信ルール（kenshu guideline policy で作成）",
             "# ガイドライン第3条・第4条と同じ選択から作っています。書き換えるときは、ガイドラインも作り直してください。",
             "",
             f"name = {json.dumps(choices.municipality + ' 生成AI利用ガイドライン', ensure_ascii=False)}"]
    for rule in service_rules(choices):
        lines += ["", f"# {_COMMENTS[rule.backend]}", f"[{rule.backend}]"]
        if not rule.allowed:
            lines.append("allowed = false")
        lines += [f"max_confidentiality = {rule.max_confidentiality}", f'personal_data = "{rule.personal_data}"']
    return "\n".join(lines) + "\n"


def policy_from(choices: Choices, *, source: str = "ガイドラインの選択") -> Policy:
    """The gate's own reading of ``policy_toml(choices)``, so that what is enforced is what was written."""
    policy, problems = parse_policy(tomllib.loads(policy_toml(choices)), source=source, defaults={})
    assert policy is not None and not problems, problems
    return policy
