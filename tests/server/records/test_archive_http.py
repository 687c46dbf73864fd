"""Archive downloads over HTTP: a drawn task and its plan for the departments taking
part, a directed task (no plan, no draw) for its own department, others refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx

from server.plans import queries as plan_queries
from shared.archive import MANIFEST, verify_archive
from tests.server import factories
from tests.server.inspection_codes.test_directed import create_directed
from tests.server.records.test_archive import photo_store  # noqa: F401  (fixture)
from tests.server.records.world import inspected_demo_task

API = "/api/v1/records"


def _verified(tmp_path: Path, body: bytes, name: str) -> set[str]:
    path = tmp_path / name
    path.write_bytes(body)
    assert verify_archive(path) == []
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return set(z.namelist())


async def test_drawn_task_and_plan_archives_for_the_plans_departments_only(
    client: httpx.AsyncClient,
    photo_store: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    world = await inspected_demo_task(client)
    plan = await plan_queries.plan_by_code(world.plan_code)
    assert plan is not None
    lead = await factories.login_as(client, "team_lead", plan["lead_code"])
    await factories.department("QTBM", "其他部门")
    stranger = await factories.login_as(client, "team_lead", "QTBM")
    inspector = await factories.login_as(client, "inspector", plan["lead_code"])

    task = await client.get(f"{API}/tasks/{world.task_id}/archive", headers=lead)
    assert task.status_code == 200, task.text
    assert task.headers["content-type"] == "application/zip"
    names = _verified(tmp_path, task.content, "task.zip")
    assert {MANIFEST, "plan.json", f"tasks/{world.task_id}/task.json"} <= names

    whole = await client.get(f"{API}/plans/{world.plan_code}/archive", headers=lead)
    assert whole.status_code == 200, whole.text
    assert f"tasks/{world.task_id}/task.json" in _verified(tmp_path, whole.content, "plan.zip")

    # Another department: the task is unknown to it, the plan not its own.
    other_task = await client.get(f"{API}/tasks/{world.task_id}/archive", headers=stranger)
    assert other_task.status_code == 404, other_task.text
    other_plan = await client.get(f"{API}/plans/{world.plan_code}/archive", headers=stranger)
    assert other_plan.status_code == 403, other_plan.text
    assert other_plan.json()["code"] == "auth.forbidden_department"
    refused = await client.get(f"{API}/tasks/{world.task_id}/archive", headers=inspector)
    assert refused.status_code == 403, refused.text
    unknown = await client.get(f"{API}/plans/NO-SUCH-PLAN/archive", headers=lead)
    assert unknown.status_code == 404, unknown.text


async def test_a_directed_tasks_archive_carries_its_reason_instead_of_a_draw(
    client: httpx.AsyncClient,
    photo_store: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    made, lead = await create_directed(client)
    response = await client.get(f"{API}/tasks/{made['task_id']}/archive", headers=lead)
    assert response.status_code == 200, response.text
    names = _verified(tmp_path, response.content, "directed.zip")
    assert "directed.json" in names and "plan.json" not in names
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert b'"complaint"' in z.read("directed.json")
        assert f"tasks/{made['task_id']}/task.json" in z.namelist()
