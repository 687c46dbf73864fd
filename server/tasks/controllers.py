"""HTTP endpoints of tasks for staff (the field app's feed is the field area's)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody, QueryParameter

from server.accounts.roles import Role
from server.calendar import queries as deadline_queries
from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page, clamp_limit, page_of
from server.inspection_codes import directed
from server.tasks import queries
from server.tasks.schemas import TaskItemOut, TaskOut, TeamIn, TeamMemberOut, TeamOut


class TaskController(Controller):
    path = "/tasks"
    tags = ["tasks"]

    @get("/", guards=[allow("tasks.read")])
    async def list_tasks(
        self,
        principal: CurrentPrincipal,
        draw: Annotated[str | None, QueryParameter()] = None,
        mine: Annotated[bool, QueryParameter()] = False,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[TaskOut]:
        """Tasks with their teams and items; `mine=true` keeps the caller's own tasks.

        An inspector sees only their own tasks (and so only their own teams),
        whatever `mine` says; staff see every task.
        """
        limit = clamp_limit(limit)
        own_only = mine or principal.role is Role.INSPECTOR
        inspector = principal.inspector_id if own_only else None
        if own_only and inspector is None:
            return page_of([], 0, limit, offset)
        rows, total = await queries.list_tasks(
            draw_public_id=draw, inspector_id=inspector, limit=limit, offset=offset
        )
        ids = [row["id"] for row in rows]
        members = await queries.members_of(ids)
        items = await queries.items_of(ids)
        deadlines = await deadline_queries.deadlines_of(ids)
        reasons = await queries.directed_kinds(ids)
        out = [
            TaskOut(
                id=row["id"],
                draw_id=row["draw_id"],
                plan_id=row["plan_code"],
                object_id=row["object_id"],
                object_name=row["object_name"],
                status=row["status"],
                due_date=row["due_date"],
                understaffed=list(row["understaffed"] or []),
                version=row["version"],
                team=[
                    TeamMemberOut(
                        badge_no=m["badge_no"],
                        name=m["name"],
                        department=m["department_code"],
                        pick_order=m["pick_order"],
                        active=bool(m["active"]),
                        removed_reason=m["removed_reason"],
                    )
                    for m in members
                    if m["task"] == row["id"]
                ],
                items=[
                    TaskItemOut(code=i["code"], name=i["name"], department=i["department_code"])
                    for i in items
                    if i["task"] == row["id"]
                ],
                publication_deadline=deadlines[row["id"]]["deadline"]
                if row["id"] in deadlines
                else None,
                deadline_provisional=bool(deadlines.get(row["id"], {}).get("provisional")),
                kind="directed" if row["id"] in reasons else "random",
                reason_category=reasons.get(row["id"], ""),
            )
            for row in rows
        ]
        return page_of(out, total, limit, offset)

    @put("/{task_id:int}/team", guards=[allow("directed_tasks.create")])
    async def assign_team(
        self, task_id: FromPath[int], data: JSONBody[TeamIn], principal: CurrentPrincipal
    ) -> TeamOut:
        """Assign the team of a directed task: at least two active officers of the task's
        department holding the items' qualifications, none with a declared conflict.

        Team leads of that department and admins; replaces the team while the task is
        open; a drawn task's team changes only by draw amendment (`task_team.not_directed`).
        """
        done = await directed.assign_team(principal, task_id, data.badges)
        return TeamOut(task_id=done["task_id"], department=done["department"], team=done["team"])
