"""Serve the offline engine inside the process, through the SDK's own HTTP layer."""

from __future__ import annotations

import httpx2

from kenshu.engine import handle

OFFLINE_BASE_URL = "http://offline.kenshu.invalid/v1"


class OfflineTransport(httpx2.BaseTransport):
    """An httpx2 transport that answers every request from the offline engine."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        answer = handle(request.method, request.url.path, request.read())
        return httpx2.Response(answer.status, headers=answer.headers, content=answer.body,
                               request=request)
