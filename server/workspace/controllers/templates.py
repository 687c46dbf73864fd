"""The checklist template editor of an item: question types, required, conditional
display, units and ranges. Every saved change is a new template version (numbered at
once, kept for good); forms already begun on a tablet keep the version they began on."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from server.accounts.roles import PERMISSIONS
from server.field import queries as field_queries
from server.field.templates import template_hash, versions_of
from server.http.auth import allow
from server.rosters import queries as roster_queries
from server.rosters import service as rosters
from server.rosters.columns import ITEMS
from server.workspace.pages import redirect, render
from server.workspace.template_form import MAX_QUESTIONS, TYPE_ZH, question_from_form
from shared.errors import NOT_FOUND, SuichaError


async def _item(code: str) -> dict[str, Any]:
    item = await roster_queries.item_by_code(code)
    if item is None:
        raise SuichaError(NOT_FOUND, what=f"检查事项“{code[:64]}”", what_en=f"Item {code[:64]}")
    return item


def _problems(refusal: SuichaError) -> list[str]:
    found = [p["reason"]["zh"] for p in refusal.extra.get("errors", []) if "reason" in p]
    return found or [refusal.detail_zh]


class TemplatePages(Controller):
    path = "/workspace/rosters/items/{code:str}/template"

    async def _page(
        self,
        request: Request[Any, Any, Any],
        code: str,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        problems: list[str] | None = None,
    ) -> Response[str]:
        item = await _item(code)
        record = await rosters.get_record(ITEMS, code)
        checklist = record.get("checklist") or []
        rows = await field_queries.template_versions([item["id"]])
        versions = sorted((r["version"] for r in rows), reverse=True)
        digest = template_hash(checklist)  # read only: a GET numbers nothing
        current = next((r["version"] for r in rows if r["checklist_hash"] == digest), None)
        return await render(
            request,
            "rosters/template.html",
            status_code,
            item=record,
            questions=checklist,
            versions=versions,
            current_version=current,
            type_zh=TYPE_ZH,
            types=list(TYPE_ZH.items()),
            earlier=[("", "总是显示")]
            + [(q["id"], f"{q['id']} {q['label']['zh']}") for q in checklist],
            may_edit=request.user.role in PERMISSIONS["items.write"],
            errors=errors or {},
            values=values or {"required": "1", "qtype": "yes_no"},
            problems=problems or [],
            request_path=f"/workspace/rosters/items/{quote(code, safe='')}/template",
        )

    @get("/", guards=[allow("items.read")])
    async def editor(self, request: Request[Any, Any, Any], code: FromPath[str]) -> Response[str]:
        return await self._page(request, code)

    async def _save(
        self, request: Request[Any, Any, Any], code: str, checklist: list[dict[str, Any]]
    ) -> int:
        """Store the item's new template through the roster service (its checks, its
        department rule, its audit entry) and number the version at once."""
        item = await _item(code)
        await rosters.update_record(request.user, ITEMS, code, {"checklist": checklist})
        stored = (await rosters.get_record(ITEMS, code)).get("checklist") or []
        return (await versions_of([(item["id"], stored)]))[item["id"]]

    @post("/questions", guards=[allow("items.write")], status_code=303)
    async def add_question(
        self, request: Request[Any, Any, Any], code: FromPath[str]
    ) -> Response[Any]:
        form = await request.form()
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
        question, errors = question_from_form(form)
        current = (await rosters.get_record(ITEMS, code)).get("checklist") or []
        if any(q["id"] == question["id"] for q in current):
            errors["qid"] = f"问题编号“{question['id']}”已存在"
        if len(current) >= MAX_QUESTIONS:
            errors["form"] = f"一张检查表最多{MAX_QUESTIONS}个问题"
        if errors:
            return await self._page(request, code, 400, errors=errors, values=values)
        try:
            version = await self._save(request, code, [*current, question])
        except SuichaError as refusal:
            return await self._page(
                request, code, refusal.status, values=values, problems=_problems(refusal)
            )
        return redirect(
            request,
            request.url.path.rsplit("/", 1)[0],
            f"已添加问题“{question['id']}”，检查表现为第{version}版",
        )

    @post("/questions/{question_id:str}/delete", guards=[allow("items.write")], status_code=303)
    async def delete_question(
        self, request: Request[Any, Any, Any], code: FromPath[str], question_id: FromPath[str]
    ) -> Response[Any]:
        current = (await rosters.get_record(ITEMS, code)).get("checklist") or []
        kept = [q for q in current if q["id"] != question_id]
        if len(kept) == len(current):
            raise SuichaError(
                NOT_FOUND, what=f"问题“{question_id[:64]}”", what_en=f"Question {question_id[:64]}"
            )
        try:
            version = await self._save(request, code, kept)
        except SuichaError as refusal:
            return await self._page(request, code, refusal.status, problems=_problems(refusal))
        target = request.url.path.split("/questions/")[0]
        return redirect(request, target, f"已删除问题“{question_id}”，检查表现为第{version}版")
