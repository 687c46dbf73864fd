"""An in-memory model of the sync-v1 server for engine tests without a server.

`FakeFieldServer.transport()` is an `httpx.MockTransport` following
docs/sync-protocol.md: login and refresh, the task feed, idempotent result
PUTs with versions and conflicts, resumable content-addressed uploads and
submission. Tests script faults with `fail(...)` (an error status, a network
error before the server acts, or an answer lost after it acted) and read
every request back from `requests`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.canonical import canonical_json

Handler = Callable[[httpx.Request], httpx.Response]


def error(status: int, code: str, **extra: Any) -> httpx.Response:
    body = {"status": status, "code": code, "detail": {"zh": f"错误{code}", "en": f"error {code}"}}
    return httpx.Response(status, json={**body, **extra})


def task_package(task_id: int, items: list[str], version: int = 1) -> dict[str, Any]:
    return {
        "id": task_id,
        "version": version,
        "status": "assigned",
        "draw_id": "D-1",
        "plan": {"code": "P-1", "name": "计划"},
        "object": {
            "credit_code": "91230300MA1234567X",
            "name": "某公司",
            "address": "",
            "region": "230300",
            "industry_code": "F52",
            "risk_class": "B",
        },
        "team": [{"badge_no": "B1", "name": "张三", "department": "SCJG"}],
        "my_department": "SCJG",
        "items": [
            {
                "code": code,
                "name": code,
                "department": "SCJG",
                "legal_basis": "",
                "kind": "general",
                "checklist": [],
            }
            for code in items
        ],
        "due_date": "2026-12-31",
    }


@dataclass
class Fault:
    """What to do to the next request matching `method` and `path_part`."""

    method: str
    path_part: str
    kind: str
    """`status` (answer `status` without acting), `network` (fail before the
    server acts) or `lost` (the server acts, then the answer is lost)."""
    status: int = 503
    code: str = "internal"
    times: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    """More fields of a `status` answer's body (e.g. `busy`, `upload_offset`)."""


@dataclass
class FakeFieldServer:
    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    removed: list[int] = field(default_factory=list)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    """result id → {"version", "body", "task_id"}."""
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, bytearray] = field(default_factory=dict)
    complete: set[str] = field(default_factory=set)
    submitted: dict[int, str] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    access_token: str = "access-1"
    refresh_token: str = "refresh-1"
    refusals: dict[str, httpx.Response] = field(default_factory=dict)
    """Path part → a fixed refusal answered to every write on it."""
    revoked: bool = False
    cursor_calls: int = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def fail(self, method: str, path_part: str, kind: str, **options: Any) -> None:
        self.faults.append(Fault(method, path_part, kind, **options))

    def calls(self, method: str, path_part: str = "") -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and path_part in r.url.path]

    # -- dispatch ----------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        fault = self._take_fault(request)
        if fault and fault.kind == "network":
            raise httpx.ConnectError("connection refused (scripted)", request=request)
        if fault and fault.kind == "status":
            return error(fault.status, fault.code, **fault.extra)
        response = self._route(request)
        if fault and fault.kind == "lost":
            raise httpx.ReadError("connection cut after the server answered", request=request)
        return response

    def _take_fault(self, request: httpx.Request) -> Fault | None:
        for fault in self.faults:
            if fault.method == request.method and fault.path_part in request.url.path:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if path == "/auth/login":
            return self._tokens()
        if path == "/auth/refresh":
            body = json.loads(request.content)
            if body["refresh_token"] != self.refresh_token or self.revoked:
                return error(401, "auth.refresh_invalid")
            return self._tokens(rotate=True)
        if self.revoked:
            return error(401, "auth.device_revoked")
        if request.headers.get("authorization") != f"Bearer {self.access_token}":
            return error(401, "auth.token_invalid")
        for part, refusal in self.refusals.items():
            if part in path and request.method != "GET":
                return refusal
        parts = path.strip("/").split("/")
        if path == "/field/tasks":
            return self._feed(request)
        if parts[:2] == ["field", "attachments"]:
            return self._attachment(request, parts[2])
        if parts[:2] == ["field", "tasks"] and parts[3] == "results":
            return self._put_result(int(parts[2]), parts[4], json.loads(request.content))
        if parts[:2] == ["field", "tasks"] and parts[3] == "submit":
            return self._submit(int(parts[2]), json.loads(request.content))
        return error(404, "http.not_found")

    def _tokens(self, rotate: bool = False) -> httpx.Response:
        if rotate:
            self.access_token += "x"
            self.refresh_token += "x"
        return httpx.Response(
            200,
            json={
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "token_type": "Bearer",
                "access_expires_at": "2030-01-01T00:00:00Z",
                "refresh_expires_at": "2030-01-01T00:00:00Z",
                "device_id": "device-1",
            },
        )

    def _feed(self, request: httpx.Request) -> httpx.Response:
        self.cursor_calls += 1
        since = int(request.url.params.get("since", "0"))
        changed = [t for t in self.tasks.values() if t["version"] > since]
        newest = max([since, *(t["version"] for t in self.tasks.values())])
        return httpx.Response(
            200, json={"cursor": str(newest), "tasks": changed, "removed": self.removed}
        )

    # -- results -------------------------------------------------------------------

    def _put_result(self, task_id: int, result_id: str, body: dict[str, Any]) -> httpx.Response:
        base = body.pop("base_version")
        held = self.results.get(result_id)
        content = canonical_json(body)
        if held is None and base == 0:
            self.results[result_id] = {"version": 1, "body": content, "task_id": task_id}
            return httpx.Response(
                201, json={"result_id": result_id, "version": 1, "status": "stored"}
            )
        if held is not None and held["body"] == content:
            return httpx.Response(
                200,
                json={"result_id": result_id, "version": held["version"], "status": "unchanged"},
            )
        if held is not None and held["version"] == base:
            held.update(version=base + 1, body=content)
            return httpx.Response(
                200, json={"result_id": result_id, "version": base + 1, "status": "stored"}
            )
        self.conflicts.append({"result_id": result_id, "client": body, "base": base})
        return error(
            409,
            "sync.conflict",
            conflict_id=len(self.conflicts),
            reason="stale_base",
            server={"version": held["version"] if held else None},
            client={"base_version": base},
        )

    # -- attachments ------------------------------------------------------------------

    def _attachment(self, request: httpx.Request, sha: str) -> httpx.Response:
        held = self.uploads.get(sha)
        if request.method == "HEAD":
            if held is None:
                return httpx.Response(404)
            return httpx.Response(200, headers=self._upload_headers(sha))
        offset = int(request.headers["Upload-Offset"])
        total = int(request.headers["Upload-Length"])
        held = self.uploads.setdefault(sha, bytearray())
        if sha in self.complete:
            return httpx.Response(200, headers=self._upload_headers(sha, total))
        if offset != len(held):
            response = error(409, "attachment.offset_mismatch")
            response.headers["Upload-Offset"] = str(len(held))
            return response
        held.extend(request.content)
        if len(held) == total:
            if hashlib.sha256(held).hexdigest() != sha:
                del self.uploads[sha]
                return error(422, "attachment.hash_mismatch")
            self.complete.add(sha)
        return httpx.Response(200, headers=self._upload_headers(sha, total))

    def _upload_headers(self, sha: str, total: int | None = None) -> dict[str, str]:
        held = self.uploads[sha]
        return {
            "Upload-Offset": str(len(held)),
            "Upload-Length": str(total if total is not None else len(held)),
            "Upload-Complete": "?1" if sha in self.complete else "?0",
        }

    # -- submission --------------------------------------------------------------------

    def _submit(self, task_id: int, body: dict[str, Any]) -> httpx.Response:
        items = {i["code"] for i in self.tasks[task_id]["items"]}
        have = {
            json.loads(r["body"])["item"]: r
            for r in self.results.values()
            if r["task_id"] == task_id
        }
        missing: list[dict[str, Any]] = [
            {"kind": "result", "item": code} for code in sorted(items - set(have))
        ]
        for code, stored in have.items():
            for photo in json.loads(stored["body"])["photos"]:
                if photo["sha256"] not in self.complete:
                    missing.append({"kind": "photo", "sha256": photo["sha256"], "item": code})
        if missing:
            return error(409, "submission.incomplete", missing=missing)
        at = self.submitted.setdefault(task_id, "2026-05-01T10:00:00+00:00")
        return httpx.Response(
            200,
            json={
                "task_id": task_id,
                "status": "submitted",
                "submitted_at": at,
                "completed_at": body["completed_at"],
            },
        )
