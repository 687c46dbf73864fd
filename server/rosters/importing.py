"""Import a roster file: validate every row, then upsert all or nothing.

1. The file is hashed and validated in a worker thread (`validation`); any bad
   row refuses the whole file, listing every bad row (row, column, reason).
2. In one write transaction the stored rows with the file's keys are loaded
   (one pass, no per-row query), each record is classified as insert, update
   or unchanged, and the writes go through the bulk paths.
3. The import is recorded once: a `RosterImport` row, the per-row changes in
   `RosterChange` (updated fields as [old, new]; inserted keys in batches),
   and ONE audit entry with the counts, the file's SHA-256 and a digest of
   the change list.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import hashlib
import json
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server.accounts.errors import DEPARTMENT_FORBIDDEN
from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.db import bulk as db_bulk
from server.db.transaction import current_engine, write_transaction
from server.rosters import bulk, queries, service
from server.rosters.columns import KINDS, OBJECTS, Lookups, RosterKind
from server.rosters.errors import IMPORT_INVALID, IMPORT_KIND, STATUS_FORBIDDEN
from server.rosters.files import format_of, read_rows
from server.rosters.records import changes_between, db_values, stored_record
from server.rosters.validation import ParsedFile, iter_valid_rows
from shared.canonical import canonical_json
from shared.errors import SuichaError

INSERTED_KEYS_PER_CHANGE = 5_000
"""Inserted keys recorded per `RosterChange` row (the row itself is the record of its values)."""

assert OBJECTS.fields == bulk.OBJECT_COLUMNS[:-1], "object file columns must match the bulk writer"


@dataclass(frozen=True)
class ImportSummary:
    import_id: int
    kind: str
    file_sha256: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    changes_digest: str


def roster_kind(name: str) -> RosterKind:
    kind = KINDS.get(name)
    if kind is None:
        raise SuichaError(IMPORT_KIND, kind=name)
    return kind


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


async def load_lookups() -> Lookups:
    classes = await service.risk_class_codes()
    return Lookups(risk_classes=frozenset(classes), departments=await queries.department_codes())


# --- stored rows as records --------------------------------------------------------------


async def _existing_object_keys() -> set[str]:
    """Credit codes already stored: one query (none at all on a first import)."""
    if await queries.object_count() == 0:
        return set()
    return await queries.object_keys()


async def _stored(kind: RosterKind, keys: list[Any]) -> dict[Any, tuple[Any, ...]]:
    if kind is OBJECTS:
        if not keys:
            return {}
        return {
            row["credit_code"]: stored_record(kind, row)
            async for row in queries.objects_by_codes(keys, kind.fields)
        }
    rows = await (queries.all_inspectors() if kind.name == "inspectors" else queries.all_items())
    return {row[kind.key]: stored_record(kind, row) for row in rows}


# --- the change plan ---------------------------------------------------------------------


@dataclass
class ChangePlan:
    inserts: list[tuple[Any, ...]]
    updates: list[tuple[tuple[Any, ...], dict[str, list[Any]]]]
    """(merged record, {field: [old, new]})."""
    unchanged: int


def plan_changes(
    kind: RosterKind,
    present: tuple[bool, ...],
    records: list[tuple[Any, ...]],
    stored: dict[Any, tuple[Any, ...]],
) -> ChangePlan:
    """Classify records against the stored rows (absent columns keep stored values)."""
    all_present = all(present)
    plan = ChangePlan(inserts=[], updates=[], unchanged=0)
    for record in records:
        old = stored.get(record[0])
        if old is None:
            plan.inserts.append(record)
            continue
        merged = (
            record
            if all_present
            else tuple(
                new if keep else was for new, was, keep in zip(record, old, present, strict=True)
            )
        )
        if merged == old:
            plan.unchanged += 1
            continue
        plan.updates.append((merged, changes_between(kind, old, merged)))
    return plan


def _change_rows(
    import_id: int, kind: RosterKind, inserted: list[Any], plan: ChangePlan
) -> tuple[list[tuple[Any, ...]], str]:
    """`RosterChange` rows and the SHA-256 of the whole change list, in a stable order."""
    digest = hashlib.sha256()
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(inserted), INSERTED_KEYS_PER_CHANGE):
        keys = inserted[start : start + INSERTED_KEYS_PER_CHANGE]
        digest.update(("insert\t" + "\ninsert\t".join(keys) + "\n").encode())
        fields = json.dumps({"inserted": keys}, ensure_ascii=False)
        rows.append((import_id, kind.name, keys[0], "insert", fields))
    for record, changes in plan.updates:
        text = canonical_json(changes)
        digest.update(f"update\t{record[0]}\t{text}\n".encode())
        rows.append((import_id, kind.name, record[0], "update", text))
    return rows, digest.hexdigest()


# --- writes ------------------------------------------------------------------------------


def _with_time(records: Iterable[tuple[Any, ...]], at: datetime) -> Iterator[tuple[Any, ...]]:
    for record in records:
        yield (*record, at)


async def _write(kind: RosterKind, plan: ChangePlan, lookups: Lookups, at: datetime) -> None:
    if kind is OBJECTS:
        # New objects were written while the file was read (`_StreamedImport`).
        await bulk.update_objects(
            _with_time((record for record, _ in plan.updates), db_bulk.timestamp_param(at))
        )
        return
    insert = queries.insert_inspector if kind.name == "inspectors" else queries.insert_item
    update = queries.update_inspector if kind.name == "inspectors" else queries.update_item
    for record in plan.inserts:
        await insert(**db_values(kind, record, lookups))
    for record, changes in plan.updates:
        await update(record[0], db_values(kind, record, lookups, changes))


def _check_scope(
    principal: Principal | None,
    kind: RosterKind,
    numbers: list[int],
    records: list[tuple[Any, ...]],
    stored: dict[Any, tuple[Any, ...]],
    lookups: Lookups,
) -> None:
    """A team lead imports only their own department's inspectors and items."""
    if principal is None or principal.is_admin or "department" not in kind.fields:
        return
    position = kind.fields.index("department")
    column = kind.column("department").zh
    errors: list[dict[str, Any]] = []
    others: set[str] = set()
    for row_number, record in zip(numbers, records, strict=True):
        old = stored.get(record[0])
        for code in {record[position], *([old[position]] if old else [])}:
            if not principal.manages_department(lookups.departments[code]):
                others.add(code)
                errors.append(
                    {
                        "row": row_number,
                        "column": column,
                        "code": DEPARTMENT_FORBIDDEN.code,
                        "reason": {
                            "zh": f"不能管理部门“{code}”的数据",
                            "en": f"you may not manage department {code!r}",
                        },
                    }
                )
    if errors:
        raise SuichaError(
            DEPARTMENT_FORBIDDEN,
            extra={"errors": errors},
            own=principal.department_code or "-",
            other="、".join(sorted(others)),
        )


def _status_errors(
    kind: RosterKind,
    present: tuple[bool, ...],
    numbers: list[int],
    records: list[tuple[Any, ...]],
    stored: dict[Any, tuple[Any, ...]],
) -> list[dict[str, Any]]:
    """Rows that would change a business's registration status (see `may_change_registration`)."""
    position = kind.fields.index("status")
    if not present[position]:
        return []  # no status column: stored statuses stay, new objects are 存续
    column = kind.column("status").zh
    errors: list[dict[str, Any]] = []
    for row_number, record in zip(numbers, records, strict=True):
        old = stored.get(record[0])
        was = service.NEW_OBJECT_STATUS if old is None else old[position]
        if record[position] != was:
            errors.append(
                {
                    "row": row_number,
                    "column": column,
                    "code": STATUS_FORBIDDEN.code,
                    "reason": {
                        "zh": "只有管理员和登记机关的人员可以变更登记状态",
                        "en": "only admins and registration staff may change the status",
                    },
                }
            )
    return errors


_DONE = object()


async def _validate_streaming(
    kind: RosterKind,
    path: Path,
    fmt: str,
    lookups: Lookups,
    parsed: ParsedFile,
    take: Callable[[list[int], list[tuple[Any, ...]]], Awaitable[None]],
) -> None:
    """Check the file in a worker thread, handing each batch of good rows to `take`.

    PostgreSQL: checking overlaps writing (a queue of two batches), since the
    server process does the index work. SQLite: the worker waits until `take`
    is done before checking the next batch — the driver releases the GIL around
    every row it writes and would queue behind a busy checking thread for each
    one, which is slower than taking turns. Memory stays bounded either way.
    """
    loop = asyncio.get_running_loop()
    batches = iter_valid_rows(kind, read_rows(path, fmt), lookups, parsed)
    if not isinstance(current_engine(), PostgresEngine):

        def take_turns() -> None:
            for numbers, records in batches:
                asyncio.run_coroutine_threadsafe(take(numbers, records), loop).result()

        await asyncio.to_thread(take_turns)
        return

    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: Any) -> bool:
        future = asyncio.run_coroutine_threadsafe(queue.put(item), loop)
        while True:
            try:
                future.result(timeout=0.2)
                return True
            except concurrent.futures.TimeoutError:
                if stop.is_set():  # the consumer gave up: do not wait forever
                    future.cancel()
                    return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
        except Exception as error:  # handed to the event loop, raised there
            put(error)
            return
        put(_DONE)

    worker = asyncio.ensure_future(asyncio.to_thread(produce))
    try:
        while (item := await queue.get()) is not _DONE:
            if isinstance(item, Exception):
                raise item
            await take(*item)
    finally:
        stop.set()
        await worker


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file streams through.

    An import allocates millions of short-lived row lists and tuples without
    reference cycles; the collector's passes over them found nothing and cost
    about 30 % of the checking time on a million rows. Reference counting
    still frees everything; the collector is switched back on afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _invalid(parsed: ParsedFile) -> SuichaError:
    return SuichaError(
        IMPORT_INVALID,
        extra={
            "errors": parsed.errors,
            "error_count": parsed.error_count,
            "errors_truncated": parsed.error_count > len(parsed.errors),
        },
        count=parsed.error_count,
    )


async def import_file(
    kind_name: str,
    path: Path,
    *,
    actor: str,
    fmt: str | None = None,
    file_name: str = "",
    principal: Principal | None = None,
) -> ImportSummary:
    """Import `path` into the `kind_name` roster, all or nothing; see the module docstring."""
    kind = roster_kind(kind_name)
    fmt = format_of(path, fmt)
    lookups = await load_lookups()
    file_hash = asyncio.ensure_future(asyncio.to_thread(_file_sha256, path))
    parsed = ParsedFile(kind=kind)
    at = datetime.now(UTC)
    streamed: list[Any] = []
    """Keys of new objects written while the file was still being checked."""
    pending: list[tuple[Any, ...]] = []
    pending_numbers: list[int] = []
    check_status = kind is OBJECTS and not service.may_change_registration(principal)
    status_errors: list[dict[str, Any]] = []
    try:
        async with write_transaction():
            existing = await _existing_object_keys() if kind is OBJECTS else set()

            async def take(numbers: list[int], records: list[tuple[Any, ...]]) -> None:
                if parsed.error_count:
                    return  # a bad row was seen: the transaction will be rolled back
                if kind is not OBJECTS:
                    pending.extend(records)
                    pending_numbers.extend(numbers)
                    return
                new = [r for r in records if r[0] not in existing] if existing else records
                if len(new) != len(records):
                    pending.extend(r for r in records if r[0] in existing)
                    pending_numbers.extend(
                        n for n, r in zip(numbers, records, strict=True) if r[0] in existing
                    )
                if check_status and new:
                    numbered = [
                        n for n, r in zip(numbers, records, strict=True) if r[0] not in existing
                    ]
                    status_errors.extend(_status_errors(kind, parsed.present, numbered, new, {}))
                if new:
                    await bulk.insert_objects(new, updated_at=at)
                    streamed.extend(map(itemgetter(0), new))

            with _collector_paused():
                await _validate_streaming(kind, path, fmt, lookups, parsed, take)
            if parsed.error_count:
                raise _invalid(parsed)  # rolls back what was streamed
            stored = await _stored(kind, [record[0] for record in pending])
            _check_scope(principal, kind, pending_numbers, pending, stored, lookups)
            if check_status:
                status_errors.extend(
                    _status_errors(kind, parsed.present, pending_numbers, pending, stored)
                )
                if status_errors:
                    status_errors.sort(key=itemgetter("row"))
                    raise service.status_forbidden({"errors": status_errors})
            plan = plan_changes(kind, parsed.present, pending, stored)
            inserted = streamed + [record[0] for record in plan.inserts]
            rows = len(streamed) + len(pending)
            file_sha256 = await file_hash
            import_id = await queries.insert_import(
                at=at,
                actor=actor,
                kind=kind.name,
                file_format=fmt,
                file_name=file_name[:300],
                file_sha256=file_sha256,
                rows=rows,
                inserted=len(inserted),
                updated=len(plan.updates),
                unchanged=plan.unchanged,
                changes_digest="",
            )
            change_rows, changes_digest = _change_rows(import_id, kind, inserted, plan)
            await queries.set_import_digest(import_id, changes_digest)
            await _write(kind, plan, lookups, at)
            await db_bulk.insert_rows(queries.CHANGE_TABLE, queries.CHANGE_COLUMNS, change_rows)
            summary = ImportSummary(
                import_id=import_id,
                kind=kind.name,
                file_sha256=file_sha256,
                rows=rows,
                inserted=len(inserted),
                updated=len(plan.updates),
                unchanged=plan.unchanged,
                changes_digest=changes_digest,
            )
            await audit(
                actor=actor,
                action="roster.import",
                entity=kind.name,
                entity_id=str(import_id),
                change={**asdict(summary), "file_name": file_name, "format": fmt},
            )
    finally:
        if not file_hash.done():
            await asyncio.gather(file_hash, return_exceptions=True)
    return summary


async def import_file_cli(kind: str, path: str, *, actor: str) -> int:
    """`suicha import KIND FILE`: 0 when imported, 1 when the file was refused."""
    from server.db.migrate import migrate

    await migrate()
    file = Path(path)
    if not await asyncio.to_thread(file.is_file):
        print(f"找不到文件 / no such file: {path}", file=sys.stderr)
        return 2
    try:
        summary = await import_file(kind, file, actor=actor, file_name=file.name)
    except SuichaError as error:
        print(f"{error.code}: {error.detail_zh} / {error.detail_en}", file=sys.stderr)
        for problem in error.extra.get("errors", []):
            print(
                f"  第{problem['row']}行 row {problem['row']}, {problem['column']}: "
                f"{problem['reason']['zh']} / {problem['reason']['en']}",
                file=sys.stderr,
            )
        if error.extra.get("errors_truncated"):
            print(f"  … {error.extra['error_count']} errors in all", file=sys.stderr)
        return 1
    print(
        f"导入完成 / imported {summary.kind}: {summary.rows} rows, "
        f"{summary.inserted} inserted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged (import #{summary.import_id}, "
        f"sha256 {summary.file_sha256[:12]}…)"
    )
    return 0
