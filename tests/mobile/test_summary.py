"""`suicha-field status`: a readable Chinese summary of the device, and JSON for scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mobile.sync import Store, SubmissionState
from mobile.sync.store import Problem
from mobile.sync.summary import device_summary, render_summary

PACKAGE = {
    "id": 7,
    "version": 1,
    "status": "assigned",
    "draw_id": "P-D1",
    "plan": {"code": "P", "name": "联合抽查"},
    "object": {
        "credit_code": "91230300MA1B2C3D4E",
        "name": "鸡西市示范食品有限公司",
        "address": "鸡冠区红军路1号",
        "region": "230302",
        "industry_code": "F52",
        "risk_class": "B",
    },
    "team": [{"badge_no": "SCJG-0007", "name": "张三", "department": "SCJG"}],
    "my_department": "SCJG",
    "items": [
        {
            "code": "SC-01",
            "name": "食品经营许可检查",
            "department": "SCJG",
            "legal_basis": "",
            "kind": "general",
            "checklist": [],
        },
        {
            "code": "WS-01",
            "name": "公共场所卫生检查",
            "department": "WSJK",
            "legal_basis": "",
            "kind": "general",
            "checklist": [],
        },
    ],
    "due_date": "2026-12-20",
}


def status(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mobile.cli", "status", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_empty_device_says_so_in_chinese(tmp_path: Path) -> None:
    outcome = status("--data-dir", str(tmp_path))
    assert outcome.returncode == 0
    assert "本设备上还没有任务" in outcome.stdout
    assert json.loads(status("--data-dir", str(tmp_path), "--json").stdout)["tasks"] == []


def test_the_summary_names_the_business_items_due_date_and_why_a_submission_is_incomplete(
    tmp_path: Path,
) -> None:
    with Store(tmp_path) as store:
        store.save_task_packages([PACKAGE], [], cursor="c1")
        store.record_result(7, "SC-01", answers={"q1": True}, category="1", findings="")
        missing = [
            {
                "kind": "answers",
                "item": "SC-01",
                "problems": [
                    {
                        "question": "q2",
                        "code": "checklist.photos_missing",
                        "reason": {
                            "zh": "“冷藏温度”至少需要2张照片，实际1张",
                            "en": "'Fridge' needs at least 2 photo(s), got 1",
                        },
                    }
                ],
            },
            {"kind": "photo", "item": "SC-01", "sha256": "ab" * 32, "problem": "not_uploaded"},
        ]
        store.submission_answered(
            7,
            SubmissionState.INCOMPLETE,
            Problem("submission.incomplete", "提交不完整", "Submission incomplete"),
            missing,
        )
        summary = device_summary(store)

    text = render_summary(summary)
    for expected in (
        "鸡西市示范食品有限公司",
        "91230300MA1B2C3D4E",
        "鸡冠区红军路1号",
        "2026-12-20",
        "食品经营许可检查",
        "提交不完整",
        "至少需要2张照片",
        "照片尚未上传",
        "待发送",
    ):
        assert expected in text, expected
    assert "公共场所卫生检查" not in text  # another department's item is not "mine"
    assert "queued" not in text and "incomplete" not in text  # no English state words
    english = render_summary(summary, lang="en")
    assert "waiting to be sent" in english and "needs at least 2 photo" in english

    data = json.loads(status("--data-dir", str(tmp_path), "--json").stdout)
    assert data["unsent"] == 1
    assert data["tasks"][0]["submission"]["state"] == "incomplete"
    assert data["tasks"][0]["results"][0]["zh"] == "待发送"


def test_the_summary_shows_each_tasks_arrival_and_counts_it_until_the_server_holds_it(
    tmp_path: Path,
) -> None:
    from datetime import datetime, timedelta, timezone

    from mobile.app.i18n import local_time
    from mobile.checkin import outbox
    from mobile.sync.states import RecordState
    from tests.mobile.checkin.test_outbox import BUSINESS as business

    package = {**PACKAGE, "object": {**PACKAGE["object"], "credit_code": business}}  # type: ignore[dict-item]
    at = datetime(2026, 11, 20, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    with Store(tmp_path) as store:
        store.save_task_packages([package], [], cursor="c1")
        outbox.record(store, 7, business, business, at=at)
        queued = device_summary(store)
        assert queued["unsent"] == 1
        assert queued["tasks"][0]["check_in"]["gps"] == outbox.GPS_UNAVAILABLE
        assert queued["tasks"][0]["check_in"]["state"] == RecordState.QUEUED
        text = render_summary(queued)
        # The arrival in the device's own time zone, every line under its task.
        assert f"  已登记到达：{local_time(at.isoformat())}\n  定位不可用" in text
        assert text.endswith("\n  待同步")
        outbox._set(store, 7, RecordState.ACKNOWLEDGED, late=True)
        held = device_summary(store)
        assert held["unsent"] == 0 and held["tasks"][0]["check_in"]["late"] is True
        assert "逾期" in render_summary(held)
    shown = json.loads(status("--data-dir", str(tmp_path), "--json").stdout)
    assert shown["tasks"][0]["check_in"]["arrived_at"].startswith("2026-11-20T09:30")
