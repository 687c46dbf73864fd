"""`/check/{code}`: the business's phone page for an inspection code (no login, Chinese)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, MediaType, Response, get
from litestar.params import FromPath, QueryParameter

from server.http.auth import PUBLIC
from server.http.html import environment
from server.inspection_codes import service
from shared.errors import SuichaError

_ENV = environment(Path(__file__).parent / "templates")


def _html(template: str, status_code: int = 200, **context: Any) -> Response[str]:
    body = _ENV.get_template(template).render(**context)
    return Response(
        content=body,
        media_type=MediaType.HTML,
        status_code=status_code,
        # A check is about this moment: a cached "valid" page must not outlive the task.
        headers={"Cache-Control": "no-store"},
    )


class CheckPages(Controller):
    path = "/check"
    opt = PUBLIC
    include_in_schema = False

    @get("/{code:str}")
    async def check(
        self,
        code: FromPath[str],
        s: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> Response[str]:
        """The task behind a code, or why it fails and that the visit may be refused."""
        try:
            view = await service.check_view(code, s)
        except SuichaError as error:
            return _html(
                "check_refused.html",
                status_code=error.status,
                message=error.detail_zh,
                error_code=error.spec.code,
                shown_code=code[:48],
            )
        return _html("check.html", **view)
