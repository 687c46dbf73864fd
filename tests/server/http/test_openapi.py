"""OpenAPI tells the truth (security, error model) and Swagger UI works offline."""

from __future__ import annotations

import re

import pytest

from server.http.openapi import ERROR_STATUSES
from tests.server.public.test_page_browser import ARGS, CHROMIUM
from tests.support.live_server import ServerProcess

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
PUBLIC_OPERATIONS = {
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("get", "/api/v1/public/draws"),
    ("get", "/api/v1/public/draws/{draw_id}"),
    ("get", "/api/v1/public/plans"),
    ("get", "/api/v1/public/plans/{plan_code}"),
}


async def _schema(client) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


async def test_bearer_scheme_on_guarded_operations_and_none_on_public_ones(client) -> None:
    schema = await _schema(client)
    scheme = schema["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    seen_public = set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            if (method, path) in PUBLIC_OPERATIONS or path.startswith("/api/v1/public/"):
                assert operation["security"] == [], (method, path)
                seen_public.add((method, path))
            else:
                assert operation["security"] == [{"bearer": []}], (method, path)
    assert seen_public >= PUBLIC_OPERATIONS


async def test_every_operation_documents_the_real_error_body(client) -> None:
    schema = await _schema(client)
    body = schema["components"]["schemas"]["ErrorBody"]
    assert body["required"] == ["status", "code", "detail"]
    assert body["properties"]["detail"]["required"] == ["zh", "en"]
    count = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            count += 1
            for status in ("400", "401", "403", "404", "409", "413", "422", "429"):
                response = operation["responses"][status]
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorBody", (method, path, status)
            # Litestar's own error schema (status_code/detail string) is never sent here.
            assert "status_code" not in str(operation["responses"]), (method, path)
    assert count > 40
    assert set(ERROR_STATUSES) == {"400", "401", "403", "404", "409", "413", "422", "429"}


async def test_a_real_refusal_matches_the_documented_error_body(client) -> None:
    schema = await _schema(client)
    required = schema["components"]["schemas"]["ErrorBody"]["required"]
    for response in (
        await client.get("/api/v1/plans"),
        await client.get("/api/v1/public/draws", params={"offset": "-1"}),
        await client.get("/api/v1/public/draws/NOPE"),
    ):
        body = response.json()
        assert all(key in body for key in required)
        assert isinstance(body["detail"]["zh"], str) and isinstance(body["detail"]["en"], str)
        assert body["status"] == response.status_code


async def test_swagger_page_references_only_local_assets_and_they_are_served(client) -> None:
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert references, page.text
    for reference in references:
        assert reference.startswith("/schema/assets/"), reference
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 100, reference
    assert "cdn" not in page.text.lower() and "<script>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    bundle = await client.get("/schema/assets/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in bundle.text[:5000] or "SwaggerUIBundle" in bundle.text


def test_swagger_ui_renders_offline_in_the_browser() -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with ServerProcess() as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            outside: list[str] = []
            problems: list[str] = []

            def only_this_server(route, request) -> None:
                if request.url.startswith(server.url):
                    route.continue_()
                else:
                    outside.append(request.url)
                    route.abort()

            page.route("**/*", only_this_server)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on(
                "console",
                lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
            )
            page.goto(f"{server.url}/schema/swagger")
            title = page.locator(".swagger-ui .info .title")
            playwright_api.expect(title).to_contain_text("Suicha", timeout=30_000)
            playwright_api.expect(page.locator(".opblock").first).to_be_visible()
            assert page.locator(".opblock").count() > 40
            assert page.locator(".btn.authorize").count() == 1  # the bearer scheme
            assert outside == []
            assert not [m for m in problems if "Content Security Policy" in m], problems
        finally:
            browser.close()
