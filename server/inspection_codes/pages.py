"""`/check/{code}`: the business's phone page for an inspection code (no login, Chinese)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from server.http.auth import PUBLIC, client_address
from server.http.html import environment
from server.inspection_codes import business, objections, queries, service
from server.inspection_codes.controllers import OBJECTION_BODY_LIMIT, file_objection
from shared.errors import SuichaError

_ENV = environment(Path(__file__).parent / "templates")

RATING_BODY_LIMIT = 16 * 1024
"""A rating form is an access code, a digit and 500 characters at most."""


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
        filed: Annotated[int | None, QueryParameter(ge=0, le=1)] = None,
        rated: Annotated[int | None, QueryParameter(ge=0, le=1)] = None,
    ) -> Response[str]:
        """The task behind a code, or why it fails and that the visit may be refused."""
        return await _check_page(code, s, just_filed=bool(filed), just_rated=bool(rated))

    @post("/{code:str}/rating", request_max_body_size=RATING_BODY_LIMIT, status_code=303)
    async def rate(
        self, code: FromPath[str], request: Request[Any, Any, Any]
    ) -> Response[str] | Redirect:
        """The rating form (1–5 and a comment, with the access code): the same checks and
        throttling as the API; on success back to the page, which then shows the rating."""
        comment = ""
        try:
            form = await request.form()
            access, score, comment = (
                value if isinstance(value := form.get(name), str) else ""
                for name in ("access_code", "score", "comment")
            )
            # A missing or non-numeric score is refused by the rule (1 to 5) like a 0.
            number = int(score) if score.isascii() and score.isdigit() and len(score) < 3 else 0
            await business.rate(code, access, number, comment, client_address(request))
        except SuichaError as error:
            return await _check_page(
                code,
                None,
                rating_error=error.detail_zh,
                rating_error_code=error.spec.code,
                rating_comment=comment[: business.COMMENT_MAX * 2],
                status_code=error.status,
            )
        return Redirect(path=f"/check/{code.strip().upper()}?rated=1#rating", status_code=303)

    @post("/{code:str}/objection", request_max_body_size=OBJECTION_BODY_LIMIT, status_code=303)
    async def object_to(
        self, code: FromPath[str], request: Request[Any, Any, Any]
    ) -> Response[str] | Redirect:
        """The objection form (multipart): the same checks as the API; on success back to the
        page, which then shows the objection's status; a refusal shows the page with why."""
        text = ""
        try:
            form = await request.form()
            access = form.get("access_code")
            text_field = form.get("text")
            text = text_field if isinstance(text_field, str) else ""
            files = [f for f in form.getall("attachments", []) if isinstance(f, UploadFile)]
            # An empty file input still sends one part with no name and no bytes.
            kept = [f for f in files if f.filename]
            for dropped in files:
                if not dropped.filename:
                    await dropped.close()
            await file_objection(
                code,
                access if isinstance(access, str) else "",
                text,
                kept,
                client_address(request),
            )
        except SuichaError as error:
            return await _check_page(
                code,
                None,
                objection_error=error.detail_zh,
                objection_error_code=error.spec.code,
                objection_text=text[:4000],
                status_code=error.status,
            )
        return Redirect(path=f"/check/{code.strip().upper()}?filed=1#objections", status_code=303)


async def _check_page(
    code: str, signature: str | None, *, status_code: int = 200, **extra: Any
) -> Response[str]:
    try:
        view = await service.check_view(code, signature)
    except SuichaError as error:
        return _html(
            "check_refused.html",
            status_code=error.status,
            message=error.detail_zh,
            error_code=error.spec.code,
            shown_code=code[:48],
        )
    view.update(await objections.page_context(view["code"]["task"]))
    view["rateable"] = view["code"]["task_status"] in business.RATEABLE
    view["rating"] = await queries.rating_of(view["code"]["task"])
    view["rating_comment_max"] = business.COMMENT_MAX
    return _html("check.html", status_code=status_code, **view, **extra)
