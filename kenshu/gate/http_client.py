"""The HTTP client every kenshu client sends through: each of its transports is a ``GateTransport``.

Built on the documented seams only: httpx2's ``transport=`` and ``mounts=``, and the SDK's
``http_client=`` with ``openai.DefaultHttpx2Client`` (its timeouts and redirects). Passing
``transport=`` turns httpx2's own reading of proxy variables off, so the proxies named in the
environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY, as ``urllib.request.getproxies`` reads
them) are mounted here, each behind the gate too.
"""

from __future__ import annotations

import ipaddress
import urllib.request

import httpx2
import openai

from kenshu.gate.policy import Policy
from kenshu.gate.transport import GateTransport
from kenshu.settings import Settings


def proxy_routes() -> dict[str, str | None]:
    """URL pattern -> proxy URL (None: go direct), from the environment, as httpx2 would read it."""
    found = urllib.request.getproxies()
    routes: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        proxy = found.get(scheme)
        if proxy:
            routes[f"{scheme}://"] = proxy if "://" in proxy else f"http://{proxy}"
    for host in (item.strip() for item in found.get("no", "").split(",")):
        if host == "*":
            return {}
        if not host:
            continue
        if "://" in host:
            routes[host] = None
        elif _is_ip(host) or host.lower() == "localhost":
            routes[f"all://{host}" if ":" not in host else f"all://[{host}]"] = None
        else:
            routes[f"all://*{host}"] = None
    return routes


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def gated_http_client(settings: Settings, policy: Policy, confidentiality: int | None = None,
                      *, transport: httpx2.BaseTransport | None = None) -> httpx2.Client:
    """An httpx2 client whose every transport is gated.

    With ``transport`` (the offline engine) that transport is wrapped and nothing else is
    reachable. Without it, the SDK's default client sends over a gated ``httpx2.HTTPTransport``
    and, for each proxy in the environment, a gated transport through that proxy.
    """
    def gated(inner: httpx2.BaseTransport) -> GateTransport:
        return GateTransport(inner, settings=settings, policy=policy, confidentiality=confidentiality)

    if transport is not None:
        return httpx2.Client(transport=gated(transport), trust_env=False)

    def real(inner: httpx2.BaseTransport) -> GateTransport:  # recorded while `kenshu record` runs
        from kenshu.llm.recording import recording_transport

        return gated(recording_transport(inner, settings.backend))

    mounts: dict[str, httpx2.BaseTransport | None] = {
        pattern: None if proxy is None else real(httpx2.HTTPTransport(proxy=proxy))
        for pattern, proxy in proxy_routes().items()}
    return openai.DefaultHttpx2Client(transport=real(httpx2.HTTPTransport()), mounts=mounts)
