"""What is on the device, in words an inspector reads (设备状态摘要).

`device_summary` gathers the tasks, results, arrivals and photos of a `Store` into plain
data (what `suicha-field status --json` prints); `render_summary` turns it into
a Chinese text, with English on request. Every state gets its plain word, and
every record that needs attention carries its reason, so nothing that is held
on the device is hidden from the person holding it.
"""

from __future__ import annotations

from typing import Any

from mobile.app.marks import check_in_text
from mobile.checkin import outbox
from mobile.checkin.outbox import CheckIn
from mobile.sync.states import RecordState, SubmissionState
from mobile.sync.store import Problem, Store

__all__ = ["RECORD_WORDS", "SUBMISSION_WORDS", "device_summary", "render_summary"]

RECORD_WORDS: dict[RecordState, tuple[str, str]] = {
    RecordState.QUEUED: ("待发送", "waiting to be sent"),
    RecordState.SENDING: ("发送中，未获确认", "sent, not yet confirmed"),
    RecordState.ACKNOWLEDGED: ("服务器已确认", "confirmed by the server"),
    RecordState.CONFLICT: ("版本冲突，待审核处理", "version conflict, awaiting review"),
    RecordState.REFUSED: ("被服务器拒收", "refused by the server"),
    RecordState.FAILED_RETRYING: ("发送失败，下次同步重试", "failed, retried at the next sync"),
}
SUBMISSION_WORDS: dict[SubmissionState, tuple[str, str]] = {
    SubmissionState.NOT_REQUESTED: ("未提交", "not submitted"),
    SubmissionState.WAITING: ("已申请提交，等待记录发送完毕", "submission waits for its records"),
    SubmissionState.SUBMITTED: ("已提交", "submitted"),
    SubmissionState.INCOMPLETE: ("提交不完整", "submission incomplete"),
    SubmissionState.REFUSED: ("提交被拒绝", "submission refused"),
    SubmissionState.FAILED_RETRYING: ("提交失败，下次同步重试", "submission failed, retried next"),
}


def _problem(problem: Problem | None) -> dict[str, str] | None:
    if problem is None:
        return None
    return {"code": problem.code, "zh": problem.zh, "en": problem.en}


def _record_state(state: RecordState) -> dict[str, str]:
    zh, en = RECORD_WORDS[state]
    return {"state": state.value, "zh": zh, "en": en}


def _check_in(arrival: CheckIn | None) -> dict[str, Any] | None:
    """The task's arrival (扫码入企) as recorded on the device, with the app's own words."""
    if arrival is None:
        return None
    return {
        "arrived_at": arrival.arrived_at,
        "gps": arrival.gps,
        "latitude": arrival.latitude,
        "longitude": arrival.longitude,
        **_record_state(arrival.state),
        "late": arrival.late,
        "problem": _problem(arrival.problem),
        "text": {lang: check_in_text(arrival, lang) for lang in ("zh", "en")},
    }


def device_summary(store: Store) -> dict[str, Any]:
    """The device's tasks with their business, items, due date and every record's state."""
    tasks: list[dict[str, Any]] = []
    for task in store.tasks():
        package = task.package
        business = package.get("object") or {}
        items = {item["code"]: item for item in package.get("items", [])}
        mine = package.get("my_department")
        zh, en = SUBMISSION_WORDS[task.submission]
        results = [
            {
                "result_id": result.result_id,
                "item": result.item,
                "item_name": items.get(result.item, {}).get("name", ""),
                **_record_state(result.state),
                "problem": _problem(result.problem),
            }
            for result in store.results(task.task_id)
        ]
        arrival = outbox.check_in_of(store, task.task_id)
        tasks.append(
            {
                "task_id": task.task_id,
                "business": business.get("name", ""),
                "credit_code": business.get("credit_code", ""),
                "address": business.get("address", ""),
                "due_date": package.get("due_date"),
                "removed": task.removed,
                "my_items": [
                    {"code": code, "name": item.get("name", "")}
                    for code, item in items.items()
                    if item.get("department") == mine
                ],
                "submission": {"state": task.submission.value, "zh": zh, "en": en},
                "problem": _problem(task.problem),
                "missing": task.missing,
                "results": results,
                "check_in": _check_in(arrival),
            }
        )
    photos = [
        {
            "sha256": photo.sha256,
            "size": photo.size,
            **_record_state(photo.state),
            "local_copy": photo.local_copy,
            "problem": _problem(photo.problem),
        }
        for photo in store.photos()
    ]
    unsent = (
        sum(1 for task in tasks for r in task["results"] if r["state"] != RecordState.ACKNOWLEDGED)
        + sum(1 for p in photos if p["state"] != RecordState.ACKNOWLEDGED)
        + outbox.unsent_count(store)
    )
    return {"tasks": tasks, "photos": photos, "unsent": unsent}


_PHOTO_PROBLEMS: dict[str, tuple[str, str]] = {
    "not_uploaded": ("照片尚未上传", "photo not uploaded"),
    "size_mismatch": ("照片大小与记录不符", "photo size does not match"),
    "media_type_mismatch": ("照片格式与记录不符", "photo type does not match"),
}


def _missing_lines(part: dict[str, Any], lang: str) -> list[str]:
    """What a 409 `submission.incomplete` said is missing, one line per reason."""
    zh = lang == "zh"
    item = part.get("item", "")
    kind = part.get("kind")
    if kind == "answers":
        reasons = [p.get("reason", {}).get(lang, "") for p in part.get("problems") or []]
        return [f"{item}：{reason}" if zh else f"{item}: {reason}" for reason in reasons if reason]
    if kind == "photo":
        words = _PHOTO_PROBLEMS.get(part.get("problem") or "", ("照片有问题", "photo problem"))
        sha = (part.get("sha256") or "")[:12]
        return [f"{item}：{words[0]}（{sha}）" if zh else f"{item}: {words[1]} ({sha})"]
    return [f"{item}：尚无检查结果" if zh else f"{item}: no result yet"]


def render_summary(summary: dict[str, Any], *, lang: str = "zh") -> str:
    """A readable text of `device_summary`: Chinese by default, `lang="en"` for English."""
    zh = lang == "zh"
    lines: list[str] = []
    tasks = summary["tasks"]
    if not tasks and not summary["photos"]:
        return (
            "本设备上还没有任务。请先登录并同步以下载任务。"
            if zh
            else "No tasks on this device yet. Log in and sync to download tasks."
        )
    lines.append(
        f"本设备共有 {len(tasks)} 个任务，{summary['unsent']} 条记录尚未被服务器确认。"
        if zh
        else f"{len(tasks)} task(s) here, {summary['unsent']} record(s) not yet confirmed."
    )
    for task in tasks:
        removed = (
            ("（已被撤出本人任务）" if zh else " (taken off your tasks)") if task["removed"] else ""
        )
        lines.append("")
        lines.append(
            f"任务 {task['task_id']}：{task['business']}{removed}"
            if zh
            else f"Task {task['task_id']}: {task['business']}{removed}"
        )
        lines.append(
            f"  统一社会信用代码 {task['credit_code']}；地址 {task['address']}；"
            f"截止日期 {task['due_date'] or '未定'}"
            if zh
            else f"  credit code {task['credit_code']}; address {task['address']}; "
            f"due {task['due_date'] or 'not set'}"
        )
        names = "、".join(item["name"] for item in task["my_items"]) or ("无" if zh else "none")
        lines.append(f"  本部门检查事项：{names}" if zh else f"  my department's items: {names}")
        lines.append(
            f"  提交状态：{task['submission'][lang]}"
            if zh
            else f"  submission: {task['submission'][lang]}"
        )
        if task["problem"]:
            lines.append(
                f"  原因：{task['problem'][lang]}" if zh else f"  reason: {task['problem'][lang]}"
            )
        if task["check_in"]:
            lines += [f"  {line}" for line in task["check_in"]["text"][lang].split("\n")]
        for part in task["missing"]:
            for line in _missing_lines(part, lang):
                lines.append(f"  缺少：{line}" if zh else f"  missing: {line}")
        for result in task["results"]:
            label = result["item_name"] or result["item"]
            reason = f"（{result['problem'][lang]}）" if result["problem"] else ""
            lines.append(f"  · {label}：{result[lang]}{reason}")
    if summary["photos"]:
        lines.append("")
        lines.append("照片：" if zh else "Photos:")
        for photo in summary["photos"]:
            kept = (
                "" if photo["local_copy"] else ("，本机副本已释放" if zh else ", local copy freed")
            )
            reason = f"（{photo['problem'][lang]}）" if photo["problem"] else ""
            size = f"{photo['size'] / 1e6:.1f} MB"
            lines.append(f"  · {photo['sha256'][:12]} {size}：{photo[lang]}{kept}{reason}")
    return "\n".join(lines)
