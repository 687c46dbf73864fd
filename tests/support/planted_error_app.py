"""An app with a planted server error and a planted schema violation, to show the
schemathesis run reports both."""

from __future__ import annotations

from typing import Annotated

from litestar import Litestar, get
from litestar.openapi import OpenAPIConfig
from litestar.params import QueryParameter


@get("/api/v1/planted", sync_to_thread=False)
def planted(n: Annotated[int, QueryParameter(ge=0)] = 0) -> dict[str, int]:
    if n > 5:
        raise RuntimeError("planted server error")
    return {"n": n}


@get("/api/v1/mismatch", sync_to_thread=False)
def mismatch() -> dict[str, int]:
    return {"n": "not the documented integer"}  # type: ignore[dict-item]


def create_app() -> Litestar:
    return Litestar([planted, mismatch], openapi_config=OpenAPIConfig(title="planted", version="1"))
