"""The gate: what may be sent to which backend, decided per call from a policy a trainer edits.

``kenshu.gate.policy`` reads and checks the policy TOML; ``kenshu.gate.decide``
turns the policy, the backend, the declared 機密性 and the outgoing texts into
allowed / masked / blocked with a Japanese reason. ``kenshu.llm.pipeline`` applies
the decision to every call an openai client makes.
"""

from kenshu.gate.decide import (
    ALLOWED,
    BLOCKED,
    DECISION_LABELS,
    MASKED,
    Decision,
    check_confidentiality,
    decide,
    describe_counts,
)
from kenshu.gate.policy import (
    BACKEND_LABELS,
    BACKEND_ORDER,
    DEFAULT_POLICY_PATH,
    Policy,
    PolicyError,
    Rule,
    load_policy,
    policy_for,
    read_policy,
)

__all__ = [
    "ALLOWED", "BACKEND_LABELS", "BACKEND_ORDER", "BLOCKED", "DECISION_LABELS", "DEFAULT_POLICY_PATH", "MASKED",
    "Decision", "Policy", "PolicyError", "Rule", "check_confidentiality", "decide", "describe_counts",
    "load_policy", "policy_for", "read_policy",
]
