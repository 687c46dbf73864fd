"""HTTP endpoints of result categories: everyone reads, admins add, rename, retire, reactivate."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from server.categories import service
from server.categories.schemas import (
    CategoryChanges,
    CategoryCreate,
    CategoryOut,
    category_out,
    changes_dict,
)
from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page, clamp_limit, page_of


class CategoryController(Controller):
    path = "/categories"
    tags = ["categories"]

    @get("/", guards=[allow("categories.read")])
    async def list_categories(
        self,
        active: Annotated[bool | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 100,
        offset: Annotated[int, QueryParameter(ge=0, le=2**31)] = 0,
    ) -> Page[CategoryOut]:
        """Every result category in display order, retired ones too (filter with `active`)."""
        limit = clamp_limit(limit)
        views = [v for v in await service.views() if active is None or v["active"] == active]
        return page_of(
            [category_out(v) for v in views[offset : offset + limit]], len(views), limit, offset
        )

    @post("/", guards=[allow("categories.write")])
    async def create_category(
        self, principal: CurrentPrincipal, data: JSONBody[CategoryCreate]
    ) -> CategoryOut:
        return category_out(
            await service.create(
                principal,
                {
                    "code": data.code,
                    "zh": data.zh,
                    "en": data.en,
                    "parent": data.parent,
                    "sort_order": data.sort_order,
                },
            )
        )

    @patch("/{code:str}", guards=[allow("categories.write")])
    async def rename_category(
        self, principal: CurrentPrincipal, code: FromPath[str], data: JSONBody[CategoryChanges]
    ) -> CategoryOut:
        """New wording or order; the code is kept."""
        return category_out(await service.rename(principal, code, changes_dict(data)))

    @post("/{code:str}/retire", guards=[allow("categories.write")], status_code=200)
    async def retire_category(
        self, principal: CurrentPrincipal, code: FromPath[str]
    ) -> CategoryOut:
        return category_out(await service.set_active(principal, code, False))

    @post("/{code:str}/reactivate", guards=[allow("categories.write")], status_code=200)
    async def reactivate_category(
        self, principal: CurrentPrincipal, code: FromPath[str]
    ) -> CategoryOut:
        return category_out(await service.set_active(principal, code, True))
