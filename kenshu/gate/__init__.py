"""The gate: what may be sent to which backend, decided per call and enforced on the wire.

- ``policy``: reads and checks the policy TOML a trainer edits;
- ``decide``: the policy, the backend, the declared 機密性 and the outgoing texts give
  allowed / masked / blocked with a Japanese reason;
- ``outgoing``: every text a chat or embeddings request would send;
- ``transport``: ``GateTransport`` applies the decision to every request (block, mask, send);
- ``replies`` and ``stream``: the originals put back into JSON and streamed replies;
- ``call_log``: every call written to the audit log, personal data masked;
- ``http_client``: the httpx2 client (proxies included) whose every transport is gated.
"""

from kenshu.gate.call_log import AuditLogWarning
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
from kenshu.gate.http_client import gated_http_client
from kenshu.gate.outgoing import MAX_INSPECT_CHARS
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
from kenshu.gate.transport import GATE_ERROR_CODE, GateTransport

__all__ = [
    "ALLOWED", "BACKEND_LABELS", "BACKEND_ORDER", "BLOCKED", "DECISION_LABELS", "DEFAULT_POLICY_PATH",
    "GATE_ERROR_CODE", "MASKED", "MAX_INSPECT_CHARS", "AuditLogWarning", "Decision", "GateTransport", "Policy",
    "PolicyError", "Rule", "check_confidentiality", "decide", "describe_counts", "gated_http_client",
    "load_policy", "policy_for", "read_policy",
]
