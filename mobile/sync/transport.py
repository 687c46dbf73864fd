"""HTTP to the server: one request in, one `Reply` (or a `TransportError`) out.

The transport knows URLs and the bearer token, nothing of the protocol's
meaning; the engine interprets statuses. Tests hand it an
`httpx.MockTransport`, or point it at a real server through a fault proxy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: Any = None
    """The decoded JSON answer, or None (HEAD, empty or non-JSON body)."""
    raw: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def code(self) -> str:
        if isinstance(self.body, dict) and isinstance(self.body.get("code"), str):
            return self.body["code"]
        return f"http.{self.status}"

    @property
    def detail(self) -> tuple[str, str]:
        """(zh, en) of an error answer."""
        detail = self.body.get("detail") if isinstance(self.body, dict) else None
        if isinstance(detail, dict):
            return str(detail.get("zh", "")), str(detail.get("en", ""))
        text = self.raw[:200].decode("utf-8", "replace")
        return (f"服务器返回HTTP {self.status}", f"The server answered HTTP {self.status} {text}")


class TransportError(Exception):
    """No answer: refused connection, cut connection, timeout, unreadable answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class HttpTransport:
    """Requests to `server_url` + `/api/v1` with the current access token."""

    server_url: str
    timeout: float = 30.0
    http: httpx.AsyncBaseTransport | None = None
    """An httpx transport to use instead of the network (tests: MockTransport)."""
    access_token: str | None = None
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.server_url.rstrip("/") + API_PREFIX,
                timeout=self.timeout,
                transport=self.http,
            )
        return self._client

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        authenticated: bool = True,
    ) -> Reply:
        sent_headers = dict(headers or {})
        if authenticated and self.access_token:
            sent_headers["Authorization"] = f"Bearer {self.access_token}"
        if json is not None:
            content = msgspec.json.encode(json)
            sent_headers["Content-Type"] = "application/json"
        try:
            response = await self.client.request(
                method, path, content=content, headers=sent_headers, params=params
            )
            raw = await response.aread()
        except httpx.HTTPError as error:
            raise TransportError(f"{type(error).__name__}: {error}".rstrip(": ")) from error
        body = None
        if raw and "json" in response.headers.get("content-type", ""):
            try:
                body = msgspec.json.decode(raw)
            except msgspec.DecodeError as error:
                # A cut answer with a complete status line is still no answer.
                raise TransportError(f"unreadable answer: {error}") from error
        return Reply(response.status_code, response.headers, body, raw)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
