"""Visit records (现场检查笔录) with their signatures, from the field (sync-v1.1).

`PUT /field/tasks/{task_id}/visit/{record_id}` is idempotent like a result:
the same body again is answered with what was stored the first time
("unchanged"); a different body makes the record's next version (a returned
task signed again). A record belongs to its first version's task, account and
device for good. Every version is kept.

Checked as strictly as results: the caller must be on the task's team; the
record's fields within their bounds; each signature names a signer of this
task (the business representative, or an inspector of the team by badge),
carries its strokes within 0..1, and points at a complete PNG attachment of
the stated size already uploaded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.field import authority, errors, queries
from server.settings import get_settings
from shared import visit as rules
from shared.canonical import canonical_json, sha256_hex
from shared.errors import SuichaError
from shared.sync.protocol import SignatureRef, VisitWrite

RECORD_ID = re.compile(r"[0-9A-Za-z-]{8,64}")
SHA256 = re.compile(r"[0-9a-f]{64}")
PAD_BOUNDS = (64, 4096)
TOTAL_POINTS_MAX = 50_000
"""Points in all the strokes of one signature together."""


@dataclass(frozen=True)
class VisitStored:
    record_id: str
    version: int
    status: Literal["stored", "unchanged"]
    created: bool


def _invalid(zh: str, en: str) -> SuichaError:
    return SuichaError(errors.VISIT_INVALID, reason=zh, reason_en=en)


def check_visit(record_id: str, write: VisitWrite) -> None:
    """Refuse a malformed record before anything is read or stored (nothing changes)."""
    if not RECORD_ID.fullmatch(record_id):
        raise _invalid(
            "笔录编号应为8到64位字母、数字或连字符", "record_id must be 8-64 [0-9A-Za-z-]"
        )
    if write.arrival_at.tzinfo is None:
        raise _invalid("到达时间必须带时区", "arrival_at must carry a UTC offset")
    if write.method not in rules.METHOD_VALUES:
        raise _invalid(
            f"未知的检查方式“{write.method[:40]}”",
            f"unknown inspection method {write.method[:40]!r}",
        )
    for number, person in enumerate(write.people, start=1):
        if not person.name.strip():
            raise _invalid(
                f"第{number}位在场人员没有姓名", f"person present no. {number} has no name"
            )
        if person.id_number and not rules.ID_NUMBER.fullmatch(person.id_number):
            raise _invalid(
                f"第{number}位在场人员的证件号码应为6到30位数字或字母",
                f"the ID number of person present no. {number} must be 6-30 digits or letters",
            )
    seen: set[str] = set()
    for signature in write.signatures:
        _check_signature(signature)
        if signature.signer in seen:
            raise _invalid(
                f"签名人“{signature.signer}”重复", f"signer {signature.signer!r} repeated"
            )
        seen.add(signature.signer)


def _check_signature(signature: SignatureRef) -> None:
    who = signature.signer
    if signature.role == "representative":
        if who != "representative" or signature.badge:
            raise _invalid(
                "企业代表的签名人应为 representative",
                "the representative signs as 'representative'",
            )
    elif not signature.badge or who != f"inspector:{signature.badge}":
        raise _invalid(
            f"检查员签名“{who[:40]}”应为 inspector:执法证号",
            f"inspector signer {who[:40]!r} must be inspector:<badge>",
        )
    if signature.signed_at.tzinfo is None:
        raise _invalid("签名时间必须带时区", "signed_at must carry a UTC offset")
    if not SHA256.fullmatch(signature.sha256):
        raise _invalid(
            "签名图片的校验值应为64位小写十六进制数字", "sha256 must be 64 lower-case hex digits"
        )
    if signature.media_type != rules.SIGNATURE_MEDIA_TYPE:
        raise _invalid("签名图片只接受PNG格式", "a signature image must be image/png")
    limit = get_settings().attachments.max_photo_bytes
    if not 0 < signature.size <= limit:
        raise _invalid(
            f"签名图片大小应在1到{limit}字节之间", f"size must be between 1 and {limit} bytes"
        )
    low, high = PAD_BOUNDS
    if not (low <= signature.width <= high and low <= signature.height <= high):
        raise _invalid(
            f"签名图片尺寸应在{low}到{high}像素之间",
            f"width and height must be within {low}..{high}",
        )
    total = 0
    for stroke in signature.strokes:
        total += len(stroke)
        for x, y in stroke:
            if not (math.isfinite(x) and math.isfinite(y) and 0 <= x <= 1 and 0 <= y <= 1):
                raise _invalid("笔画坐标应在0到1之间", "stroke coordinates must be within 0..1")
    if total > TOTAL_POINTS_MAX:
        raise _invalid(
            f"一个签名最多{TOTAL_POINTS_MAX}个点",
            f"a signature takes at most {TOTAL_POINTS_MAX} points",
        )


def body_of(write: VisitWrite) -> dict[str, Any]:
    return msgspec.to_builtins(write)


async def put_visit(
    principal: Principal, task_id: int, record_id: str, write: VisitWrite
) -> VisitStored:
    inspector_id = authority.inspector_of(principal)
    check_visit(record_id, write)
    body = body_of(write)
    body_hash = sha256_hex(canonical_json(body))
    async with write_transaction():
        await authority.require_task(task_id)
        owner = (task_id, principal.user_id, principal.device_id)
        earlier = await queries.visit_by_hash(record_id, body_hash)
        if (
            earlier is not None
            and (earlier["task"], earlier["user"], earlier["device_id"]) == owner
        ):
            # A retry: the first answer, even if the inspector has left the team since.
            return VisitStored(record_id, earlier["version"], "unchanged", False)
        await authority.membership(task_id, inspector_id)
        versions = await queries.visit_versions(record_id)
        if (
            versions
            and (versions[0]["task"], versions[0]["user"], versions[0]["device_id"]) != owner
        ):
            raise SuichaError(errors.VISIT_MISMATCH, record_id=record_id)
        await _check_signers(task_id, write)
        version = len(versions) + 1
        await queries.insert_visit_version(
            record_uuid=record_id,
            task=task_id,
            version=version,
            body=body,
            body_hash=body_hash,
            inspector=inspector_id,
            user=principal.user_id,
            device_id=principal.device_id,
            received_at=datetime.now(UTC),
        )
        await audit(
            actor=principal.username,
            action="field.visit.store",
            entity="visit_record",
            entity_id=record_id,
            change={
                "task": task_id,
                "version": version,
                "body_hash": body_hash,
                "signatures": [s.sha256 for s in write.signatures],
                "device": principal.device_id,
            },
        )
    return VisitStored(record_id, version, "stored", version == 1)


async def _check_signers(task_id: int, write: VisitWrite) -> None:
    """Inspectors who sign are on the team; every signature PNG is on the server, whole."""
    team = await queries.team_badges(task_id)
    for signature in write.signatures:
        if signature.role == "inspector" and signature.badge not in team:
            raise _invalid(
                f"执法证号{signature.badge}不在此任务的检查组中",
                f"badge {signature.badge} is not on this task's team",
            )
    held = await queries.attachments([s.sha256 for s in write.signatures])
    for signature in write.signatures:
        attachment = held.get(signature.sha256)
        if attachment is None:
            raise _invalid(
                f"签名图片{signature.sha256[:12]}…尚未上传",
                f"signature image {signature.sha256} is not uploaded",
            )
        if (
            attachment["size"] != signature.size
            or attachment["media_type"] != rules.SIGNATURE_MEDIA_TYPE
        ):
            raise _invalid(
                f"签名图片{signature.sha256[:12]}…的大小或格式与服务器上的不符",
                f"signature image {signature.sha256} differs in size or type from the one uploaded",
            )
