"""The sync engine: one pass pulls task packages and pushes the outbox.

A pass (`sync_once`) does, in order: pull task packages by cursor; upload
photos resumably (HEAD, then PATCH from the server's offset in chunks); send
item results (PUT, idempotent); submit tasks whose every result and photo is
acknowledged; free the local copies of photos the rule allows. Every answer
is written to the store before the next request, so a pass can stop anywhere
(crash, power cut, dead network) and the next one continues.

Retries: network errors, timeouts, 408/429 and 5xx are retried with bounded
exponential backoff and jitter; when a request still fails, its record is
marked `failed_retrying` with the reason and the pass goes on with the other
records: one stuck record never holds the rest. Only when a quick probe of
the server gets no answer either does the pass stop (the network is down:
trying every other record would only drain the battery). A 401 refreshes the
token once; another 401 stops the pass with a clear state. 403/413/415/422
and other refusals mark the record `refused` with the server's reason and
keep it; 409 `sync.conflict` marks it `conflict` and does not retry it
blindly. A photo whose upload the server still holds (409
`attachment.offset_mismatch` with `busy`) or that would exceed the device's
upload quota waits for the next pass; one the server refused for its hash is
sent again from byte 0, a bounded number of times, if the local file still
matches its hash.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import msgspec

from mobile.sync import session
from mobile.sync.errors import NOT_LOGGED_IN, UPLOAD_BUSY
from mobile.sync.progress import (
    Failure,
    ProgressListener,
    ProgressTracker,
    SyncReport,
)
from mobile.sync.states import RecordState, SubmissionState
from mobile.sync.store import Outgoing, PhotoStatus, Problem, Store
from mobile.sync.transport import HttpTransport, Reply, TransportError
from shared.errors import SuichaError
from shared.sync.protocol import (
    ATTACHMENT_CONTENT_TYPE,
    CODES,
    HEADER_UPLOAD_COMPLETE,
    HEADER_UPLOAD_LENGTH,
    HEADER_UPLOAD_OFFSET,
    ResultAck,
    ResultBatchAck,
    ResultOutcome,
    ResultWrite,
    SubmitAck,
    SubmitRequest,
    TaskFeed,
    VisitAck,
    decode_complete_header,
)

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_OFFSET_RESYNCS = 8
"""Offset mismatches tolerated in one upload before it is left for the next pass."""
BATCH_BYTES = 1024 * 1024
"""Bytes of results put in one batch at most (the server takes twice as much)."""
MAX_RESTARTS = 2
"""Times one pass sends a photo again from byte 0 after the server discarded it for a
hash mismatch (its local file still matching): a corrupted transfer is retried, a
photo the server keeps refusing is not sent for ever."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Wait before retry number `attempt` (0-based): between half and all of
        `base * 2**attempt`, capped; the jitter keeps devices from retrying in step."""
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class _RetriesExhausted(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.en)
        self.problem = problem


class _Stop(Exception):
    """Ends the pass: login needed, or the network is down."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.en)
        self.failure = failure


def _network_problem(reason: str) -> Problem:
    return Problem(
        "network", f"网络错误，稍后重试：{reason}", f"Network error, will retry: {reason}"
    )


def _busy(reply: Reply) -> bool:
    """409 `attachment.offset_mismatch` because another request holds the upload."""
    return isinstance(reply.body, dict) and reply.body.get("busy") is True


def _visits() -> ModuleType:
    """The visit record outbox (`mobile.visits.outbox`), imported on first use: it is
    built on this package (store, states), so importing it here at load would be a cycle."""
    from mobile.visits import outbox

    return outbox


def _check_ins() -> ModuleType:
    """The arrival check-ins (扫码入企, `mobile.checkin.outbox`), imported on first use for
    the same reason as the visit outbox."""
    from mobile.checkin import outbox

    return outbox


def _batch_outcomes(reply: Reply, result_ids: list[str]) -> list[ResultOutcome] | None:
    """The outcomes of a batch, one per result sent and in order, or None when the server
    did not answer the batch as one (any refusal of the whole request)."""
    if reply.status != 200:
        return None
    try:
        ack = msgspec.convert(reply.body, ResultBatchAck)
    except msgspec.ValidationError:
        return None
    if [outcome.result_id for outcome in ack.outcomes] != result_ids:
        return None
    return ack.outcomes


def _reply_problem(reply: Reply) -> Problem:
    zh, en = reply.detail
    return Problem(reply.code, zh, en)


class SyncEngine:
    """Syncs one device's `Store` through a transport. Usable without a window."""

    def __init__(
        self,
        store: Store,
        transport: HttpTransport,
        *,
        retry: RetryPolicy | None = None,
        chunk_size: int = 512 * 1024,
        progress: ProgressListener | list[ProgressListener] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        batches: bool = True,
    ) -> None:
        self.store = store
        self.transport = transport
        self.retry = retry or RetryPolicy()
        self.chunk_size = chunk_size
        listeners = progress if isinstance(progress, list) else [progress] if progress else []
        self.tracker = ProgressTracker(listeners)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._refreshed = False
        self.batches = batches
        """Send results in batches when the server offers them (False: PUT each)."""
        self._batch_max = 0
        """Results the server takes in one batch (from the feed; 0: PUT each)."""

    def run(self) -> SyncReport:
        """One pass, blocking (for a worker thread of the app, or the CLI).

        Each call has its own event loop, so the connections are closed at the end
        (an httpx client must not outlive its loop)."""

        async def one_pass() -> SyncReport:
            try:
                return await self.sync_once()
            finally:
                await self.transport.aclose()

        return asyncio.run(one_pass())

    async def sync_once(self) -> SyncReport:
        report = SyncReport()
        self._refreshed = False
        self._batch_max = 0
        try:
            current = session.load_session(self.store)
            self.transport.access_token = self.transport.access_token or current.access_token
            await self._pull_tasks(report)
            self._start_progress()
            await self._push_photos(report)
            self.tracker.update(phase="results")
            await self._push_results(report)
            await self._push_visits(report)
            await _check_ins().push(self, report)
            self.tracker.update(phase="submissions")
            await self._submit_tasks(report)
        except _Stop as stop:
            report.stopped = stop.failure
        except SuichaError as error:
            if error.spec is not NOT_LOGGED_IN:
                raise
            report.stopped = Failure(
                "auth", "login", "stopped", error.code, error.detail_zh, error.detail_en
            )
        report.photos_released = len(self.store.release_photos())
        self._finish(report)
        self.tracker.update(phase="done", current="")
        return report

    # -- requests ---------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Reply:
        problem = _network_problem("no attempt")
        attempt = 0
        while attempt < self.retry.attempts:
            try:
                reply = await self.transport.request(
                    method, path, json=json, content=content, headers=headers, params=params
                )
            except TransportError as error:
                problem = _network_problem(error.reason)
            else:
                if reply.status == 401:
                    await self._refresh_or_stop(reply)
                    continue  # the same request with the new token; not a retry
                if reply.status not in RETRYABLE_STATUSES:
                    return reply
                problem = _reply_problem(reply)
            if attempt + 1 < self.retry.attempts:
                await self._sleep(self.retry.delay(attempt, self._rng))
            attempt += 1
        raise _RetriesExhausted(problem)

    async def _refresh_or_stop(self, refused: Reply) -> None:
        """Refresh the token once per pass; a second 401 (or a revoked device) stops."""
        zh, en = refused.detail
        stop = _Stop(Failure("auth", "session", "stopped", refused.code, zh, en))
        if self._refreshed or refused.code == CODES.DEVICE_REVOKED:
            raise stop
        self._refreshed = True
        current = session.load_session(self.store)
        try:
            reply = await self.transport.request(
                "POST",
                "/auth/refresh",
                json={"refresh_token": current.refresh_token, "device_id": current.device_id},
                authenticated=False,
            )
        except TransportError as error:
            problem = _network_problem(error.reason)
            raise _Stop(
                Failure("auth", "session", "stopped", problem.code, problem.zh, problem.en)
            ) from error
        if not reply.ok:
            zh, en = reply.detail
            raise _Stop(Failure("auth", "session", "stopped", reply.code, zh, en))
        # Kept before use: the old refresh token is void once the new one has been used.
        session.save_tokens(self.store, reply)
        self.transport.access_token = reply.body["access_token"]

    # -- task packages ----------------------------------------------------------------

    async def _pull_tasks(self, report: SyncReport) -> None:
        self.tracker.update(phase="tasks")
        reset = False
        while True:
            cursor = self.store.cursor
            try:
                reply = await self._call(
                    "GET", "/field/tasks", params={"since": cursor} if cursor else None
                )
            except _RetriesExhausted as exhausted:
                raise _Stop(
                    self._failure("tasks", "feed", "failed_retrying", exhausted.problem)
                ) from exhausted
            if reply.status == 400 and reply.code == CODES.BAD_CURSOR and not reset:
                # A cursor the server no longer knows: pull everything again.
                self.store.set_meta({"cursor": None})
                reset = True
                continue
            if not reply.ok:
                report.failures.append(
                    self._failure("tasks", "feed", "refused", _reply_problem(reply))
                )
                return
            feed = msgspec.convert(reply.body, TaskFeed)
            self._batch_max = feed.result_batch_max
            self.store.save_task_packages(reply.body["tasks"], feed.removed, feed.cursor)
            report.tasks_received += len(feed.tasks)
            report.tasks_removed += len(feed.removed)
            if not feed.more:
                return

    # -- photos ------------------------------------------------------------------------

    def _start_progress(self) -> None:
        photos = self.store.pending_photos()
        self.tracker.update(
            phase="photos",
            records_done=0,
            records_total=len(self.store.pending_results())
            + len(_visits().pending_visits(self.store))
            + len(self.store.tasks_to_submit()),
            bytes_done=0,
            bytes_total=sum(p.size for p in photos),
        )

    async def _push_photos(self, report: SyncReport) -> None:
        for photo in self.store.pending_photos():
            try:
                await self._upload_photo(photo, report)
            except _RetriesExhausted as exhausted:
                self.store.photo_problem(
                    photo.sha256, RecordState.FAILED_RETRYING, exhausted.problem
                )
                await self._go_on_or_stop("photo", photo.sha256, exhausted)

    async def _go_on_or_stop(self, kind: Any, key: str, exhausted: _RetriesExhausted) -> None:
        """After one record failed every retry: go on with the others if the server still
        answers (that record is stuck, not the network), else stop the pass."""
        if exhausted.problem.code == "network" and not await self._server_answers():
            raise _Stop(
                self._failure(kind, key, "failed_retrying", exhausted.problem)
            ) from exhausted

    async def _server_answers(self) -> bool:
        """One quick request, not retried: does the server answer at all?"""
        try:
            await self.transport.request("GET", "/auth/me")
        except TransportError:
            return False
        return True

    async def _upload_photo(self, photo: PhotoStatus, report: SyncReport) -> None:
        sha, size = photo.sha256, photo.size
        path = f"/field/attachments/{sha}"
        counted = 0  # bytes of this photo already shown as progress

        def show(offset: int) -> None:
            nonlocal counted
            if offset > counted:
                self.tracker.advance(bytes_=offset - counted, current=sha)
                counted = offset

        head = await self._call("HEAD", path)
        if head.status == 404:
            offset = 0
        elif head.ok:
            if decode_complete_header(head.headers.get(HEADER_UPLOAD_COMPLETE)):
                show(size)
                self._photo_done(sha, report)
                return
            offset = int(head.headers.get(HEADER_UPLOAD_OFFSET, "0"))
        else:
            self._photo_refused(sha, head)
            return
        show(offset)
        resyncs = busy = restarts = 0
        while True:
            chunk = self.store.read_photo(sha, offset, self.chunk_size)
            reply = await self._call(
                "PATCH",
                path,
                content=chunk,
                headers={
                    HEADER_UPLOAD_OFFSET: str(offset),
                    HEADER_UPLOAD_LENGTH: str(size),
                    "Content-Type": ATTACHMENT_CONTENT_TYPE,
                },
            )
            if reply.ok:
                if decode_complete_header(reply.headers.get(HEADER_UPLOAD_COMPLETE)):
                    show(size)
                    self._photo_done(sha, report)
                    return
                offset = int(reply.headers.get(HEADER_UPLOAD_OFFSET, offset + len(chunk)))
                report.photo_bytes_sent += len(chunk)
                self.store.photo_offset(sha, offset)
                show(offset)
                continue
            if reply.status == 409 and reply.code == CODES.OFFSET_MISMATCH and _busy(reply):
                # Another request of this device still appends to the photo (e.g. one
                # whose connection died): the server refuses at once rather than wait.
                # Wait a little; if it does not end, the photo waits for the next pass.
                if busy + 1 >= self.retry.attempts:
                    raise _RetriesExhausted(
                        Problem(UPLOAD_BUSY.code, UPLOAD_BUSY.zh, UPLOAD_BUSY.en)
                    )
                await self._sleep(self.retry.delay(busy, self._rng))
                busy += 1
                offset = self._server_offset(reply) or 0
                self.store.photo_offset(sha, offset)
                continue
            if reply.status == 409 and reply.code == CODES.OFFSET_MISMATCH:
                # An earlier PATCH whose answer was lost did land (or the server lost
                # a partial upload): continue from where the server is.
                resyncs += 1
                if resyncs > MAX_OFFSET_RESYNCS:
                    raise _RetriesExhausted(_reply_problem(reply))
                offset = self._server_offset(reply)
                if offset is None:
                    head = await self._call("HEAD", path)
                    if head.ok and decode_complete_header(head.headers.get(HEADER_UPLOAD_COMPLETE)):
                        self._photo_done(sha, report)
                        return
                    offset = int(head.headers.get(HEADER_UPLOAD_OFFSET, "0")) if head.ok else 0
                self.store.photo_offset(sha, offset)
                continue
            if (
                reply.code == CODES.HASH_MISMATCH
                and restarts < MAX_RESTARTS
                and self.store.photo_intact(sha)
            ):
                # The server discarded what it held (bytes spoiled on the way): the
                # device holds the right bytes, so it sends them again from 0.
                restarts += 1
                offset = 0
                self.store.photo_offset(sha, 0)
                continue
            if reply.code == CODES.QUOTA_EXCEEDED:
                # The device's other unfinished uploads fill its quota on the server:
                # they finish (or expire) first, and this photo goes next pass.
                raise _RetriesExhausted(_reply_problem(reply))
            self._photo_refused(sha, reply)
            return

    @staticmethod
    def _server_offset(reply: Reply) -> int | None:
        value = reply.headers.get(HEADER_UPLOAD_OFFSET)
        if value is None and isinstance(reply.body, dict):
            value = reply.body.get("offset", reply.body.get("upload_offset"))
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def _photo_done(self, sha: str, report: SyncReport) -> None:
        self.store.photo_acknowledged(sha)
        report.photos_acknowledged += 1

    def _photo_refused(self, sha: str, reply: Reply) -> None:
        self.store.photo_problem(sha, RecordState.REFUSED, _reply_problem(reply))

    # -- results -----------------------------------------------------------------------

    async def _push_results(self, report: SyncReport) -> None:
        pending = self.store.pending_results()
        if self.batches and self._batch_max > 1:
            by_task: dict[int, list[str]] = {}
            for result in pending:
                by_task.setdefault(result.task_id, []).append(result.result_id)
            for task_id, result_ids in by_task.items():
                await self._send_batches(task_id, result_ids, report)
            return
        for result in pending:
            await self._send_result_or_note(result.result_id, report)

    async def _send_result_or_note(self, result_id: str, report: SyncReport) -> None:
        try:
            await self._send_result(result_id, report)
        except _RetriesExhausted as exhausted:
            self.store.result_failed(result_id, exhausted.problem)
            await self._go_on_or_stop("result", result_id, exhausted)

    async def _send_result(self, result_id: str, report: SyncReport) -> None:
        while True:
            outgoing = self.store.begin_result_send(result_id)
            self.tracker.update(current=result_id)
            reply = await self._call(
                "PUT",
                f"/field/tasks/{outgoing.task_id}/results/{result_id}",
                json=self._result_write(outgoing),
            )
            if not self._result_answered(result_id, outgoing.revision, reply, report):
                return

    @staticmethod
    def _result_write(outgoing: Outgoing) -> ResultWrite:
        body = {**outgoing.body, "base_version": outgoing.base_version}
        return msgspec.convert(body, ResultWrite)

    def _result_answered(
        self, result_id: str, revision: int, reply: Reply, report: SyncReport
    ) -> bool:
        """Keep the server's answer to one result; True when a newer version (edited while
        this one was in flight) is to be sent on top."""
        if reply.status in (200, 201):
            ack = msgspec.convert(reply.body, ResultAck)
            state = self.store.result_stored(result_id, revision, ack.version)
            if state is RecordState.QUEUED:
                return True  # edited while in flight: send the newer version on top
            report.results_acknowledged += 1
            self.tracker.advance(records=1)
            return False
        if reply.status == 409 and reply.code == CODES.CONFLICT:
            body = reply.body if isinstance(reply.body, dict) else {}
            conflict = {k: body.get(k) for k in ("conflict_id", "reason", "server", "client")}
            self.store.result_answered(
                result_id, RecordState.CONFLICT, _reply_problem(reply), conflict
            )
        else:
            self.store.result_answered(result_id, RecordState.REFUSED, _reply_problem(reply))
        self.tracker.advance(records=1)
        return False

    async def _send_batches(self, task_id: int, result_ids: list[str], report: SyncReport) -> None:
        """The task's results in batches (`POST /field/tasks/{id}/results`, sync-v1.2), each
        result answered as its own PUT would be. A batch the server refuses as a whole
        (too large, no longer offered) goes result by result with PUT instead."""
        queue = list(result_ids)
        while queue:
            chunk: list[tuple[str, int, bytes]] = []
            size = 0
            while queue and len(chunk) < self._batch_max:
                result_id = queue[0]
                outgoing = self.store.begin_result_send(result_id)
                entry = msgspec.json.encode(
                    {"result_id": result_id, "result": self._result_write(outgoing)}
                )
                if chunk and size + len(entry) > BATCH_BYTES:
                    break
                queue.pop(0)
                chunk.append((result_id, outgoing.revision, entry))
                size += len(entry)
            self.tracker.update(current=chunk[0][0])
            body = b'{"results":[' + b",".join(entry for _, _, entry in chunk) + b"]}"
            try:
                reply = await self._call(
                    "POST",
                    f"/field/tasks/{task_id}/results",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
            except _RetriesExhausted as exhausted:
                for result_id, _, _ in chunk:
                    self.store.result_failed(result_id, exhausted.problem)
                await self._go_on_or_stop("result", chunk[0][0], exhausted)
                continue
            outcomes = _batch_outcomes(reply, [result_id for result_id, _, _ in chunk])
            if outcomes is None:
                for result_id, _, _ in chunk:
                    await self._send_result_or_note(result_id, report)
                continue
            for (result_id, revision, _), outcome in zip(chunk, outcomes, strict=True):
                answer = Reply(outcome.status, {}, outcome.body)
                if self._result_answered(result_id, revision, answer, report):
                    queue.append(result_id)

    # -- submissions -------------------------------------------------------------------

    async def _push_visits(self, report: SyncReport) -> None:
        """Visit records with their signatures (sync-v1.1), once their PNGs are up."""
        for visit in _visits().pending_visits(self.store):
            _visits().visit_sending(self.store, visit)
            self.tracker.update(current=f"visit {visit.task_id}")
            try:
                reply = await self._call(
                    "PUT",
                    f"/field/tasks/{visit.task_id}/visit/{visit.record_id}",
                    json=visit.body,
                )
            except _RetriesExhausted as exhausted:
                _visits().visit_problem(
                    self.store, visit.task_id, RecordState.FAILED_RETRYING, exhausted.problem
                )
                await self._go_on_or_stop("visit", str(visit.task_id), exhausted)
                continue
            if reply.ok:
                ack = msgspec.convert(reply.body, VisitAck)
                _visits().visit_stored(self.store, visit, ack.version)
                report.visits_acknowledged += 1
            else:
                _visits().visit_problem(
                    self.store, visit.task_id, RecordState.REFUSED, _reply_problem(reply)
                )
            self.tracker.advance(records=1)

    async def _submit_tasks(self, report: SyncReport) -> None:
        for task in self.store.tasks_to_submit():
            if not self.store.task_ready_to_submit(task.task_id) or _visits().blocks_submission(
                self.store, task.task_id
            ):
                continue
            self.tracker.update(current=f"task {task.task_id}")
            try:
                reply = await self._call(
                    "POST",
                    f"/field/tasks/{task.task_id}/submit",
                    json=msgspec.convert({"completed_at": task.completed_at}, SubmitRequest),
                )
            except _RetriesExhausted as exhausted:
                self.store.submission_answered(
                    task.task_id, SubmissionState.FAILED_RETRYING, exhausted.problem
                )
                await self._go_on_or_stop("submission", str(task.task_id), exhausted)
                continue
            if reply.ok:
                ack = msgspec.convert(reply.body, SubmitAck)
                self.store.submission_answered(
                    task.task_id,
                    SubmissionState.SUBMITTED,
                    submitted_at=ack.submitted_at.isoformat(),
                )
                report.submissions += 1
            elif reply.status == 409 and reply.code == CODES.INCOMPLETE:
                missing = reply.body.get("missing", []) if isinstance(reply.body, dict) else []
                self.store.submission_answered(
                    task.task_id, SubmissionState.INCOMPLETE, _reply_problem(reply), missing
                )
            else:
                self.store.submission_answered(
                    task.task_id, SubmissionState.REFUSED, _reply_problem(reply)
                )
            self.tracker.advance(records=1)

    # -- the report ----------------------------------------------------------------------

    @staticmethod
    def _failure(kind: Any, key: str, state: str, problem: Problem) -> Failure:
        return Failure(kind, key, state, problem.code, problem.zh, problem.en)

    def _finish(self, report: SyncReport) -> None:
        """Everything not through, read back from the store (this pass and earlier)."""
        stuck = (RecordState.CONFLICT, RecordState.REFUSED, RecordState.FAILED_RETRYING)
        for photo in self.store.photos():
            if photo.state in stuck and photo.problem:
                report.failures.append(
                    self._failure("photo", photo.sha256, photo.state.value, photo.problem)
                )
        for result in self.store.results():
            if result.state in stuck and result.problem:
                report.failures.append(
                    self._failure("result", result.result_id, result.state.value, result.problem)
                )
        for task in self.store.tasks():
            failed = (
                SubmissionState.INCOMPLETE,
                SubmissionState.REFUSED,
                SubmissionState.FAILED_RETRYING,
            )
            if task.submission in failed and task.problem:
                report.failures.append(
                    self._failure(
                        "submission", str(task.task_id), task.submission.value, task.problem
                    )
                )
        report.pending = (
            len(self.store.pending_photos())
            + len(self.store.pending_results())
            + len(self.store.tasks_to_submit())
        )
