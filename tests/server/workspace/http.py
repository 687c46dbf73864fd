"""Signing in to the workspace over HTTP (the in-process client), for page tests."""

from __future__ import annotations

import re
from typing import Any

from tests.server.factories import PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def web_login(client: Any, username: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the CSRF token of the session's pages."""
    form = await client.get("/workspace/login")
    response = await client.post(
        "/workspace/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(form.text)},
    )
    assert response.status_code == 303, response.text
    home = await client.get("/workspace/")
    assert home.status_code == 200, home.text
    return csrf_of(home.text)
