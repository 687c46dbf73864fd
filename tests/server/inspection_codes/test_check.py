"""`/check/{code}`: a genuine code shows its task; altered, foreign and expired ones are refused."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from server.inspection_codes import service
from server.inspection_codes.tables import InspectionCode
from server.tasks.tables import Task
from shared import inspection_code
from tests.server.inspection_codes.helpers import drawn_task_code, path_of


def _change_one_char(code: str) -> str:
    """The code with one random-part character replaced (check character left as it was)."""
    position = len(code) - 3
    replacement = "Z" if code[position] != "Z" else "Y"
    return code[:position] + replacement + code[position + 1 :]


async def test_every_drawn_task_gets_a_signed_code(client) -> None:
    record, code, _ = await drawn_task_code(client)
    rows = await InspectionCode.select()
    assert len(rows) == len(record["assignments"])
    assert len({r["code"] for r in rows}) == len(rows)
    assert all(inspection_code.well_formed(r["code"]) for r in rows)
    assert code["code"].startswith("2026-SCJG-")
    assert code["url"].endswith(f"/check/{code['code']}?s={code['signature']}")


async def test_the_published_key_verifies_the_signature_offline(client) -> None:
    _, code, _ = await drawn_task_code(client)
    keys = (await client.get("/api/v1/public/keys/")).json()
    assert keys["scheme"] == inspection_code.SCHEME
    raw = base64.urlsafe_b64decode(keys["keys"][0]["public_key"] + "==")
    public = Ed25519PublicKey.from_public_bytes(raw)
    row = await service.queries.by_code(code["code"])
    fields = service.signed_fields(row)
    assert inspection_code.verify(public, fields, code["signature"])
    assert not inspection_code.verify(public, {**fields, "object_id": "X"}, code["signature"])


async def test_a_genuine_code_shows_the_task_and_why_it_was_drawn(client) -> None:
    record, code, _ = await drawn_task_code(client)
    page = await client.get(path_of(code["url"]))
    assert page.status_code == 200, page.text
    assert "检查码真实有效" in page.text
    assert "为什么抽中了本企业" in page.text and "按密钥从小到大排第" in page.text
    assert record["draw_id"] in page.text
    assert page.headers["cache-control"] == "no-store"
    # Typed by hand (no signature): the server's own record vouches for it.
    typed = await client.get(f"/check/{code['code'].lower()}")
    assert typed.status_code == 200 and "检查码有效" in typed.text


async def test_altered_and_foreign_codes_are_refused(client) -> None:
    _, code, _ = await drawn_task_code(client)
    signature = code["signature"]
    changed = _change_one_char(code["code"])
    refused = await client.get(f"/check/{changed}?s={signature}")
    assert refused.status_code == 400
    assert "检查码格式不正确" in refused.text and "您可以拒绝本次检查" in refused.text
    # A changed character with a recomputed check character: well formed, never issued.
    body = changed[:-1]
    forged = body + inspection_code.check_character(body)
    unknown = await client.get(f"/check/{forged}?s={signature}")
    assert unknown.status_code == 404 and "查无此检查码" in unknown.text
    # Right code, signed by another key over the very same fields.
    row = await service.queries.by_code(code["code"])
    other = inspection_code.sign(Ed25519PrivateKey.generate(), service.signed_fields(row))
    foreign = await client.get(f"/check/{code['code']}?s={other}")
    assert foreign.status_code == 400 and "签名无效" in foreign.text
    assert "您可以拒绝本次检查" in foreign.text
    garbage = await client.get(f"/check/{code['code']}?s=%3Cscript%3E")
    assert garbage.status_code == 400 and "<script>" not in garbage.text


async def test_a_closed_task_s_code_has_expired(client) -> None:
    _, code, _ = await drawn_task_code(client)
    await Task.update({Task.status: "closed"}).where(Task.id == code["task_id"])
    page = await client.get(path_of(code["url"]))
    assert page.status_code == 410
    assert "检查码已失效" in page.text and "您可以拒绝本次检查" in page.text


async def test_a_code_for_a_task_one_may_not_see_is_not_found(client) -> None:
    _, code, _ = await drawn_task_code(client)
    missing = await client.get("/api/v1/tasks/999999/inspection-code/", headers=_)
    assert missing.status_code == 404
    anonymous = await client.get(f"/api/v1/tasks/{code['task_id']}/inspection-code/")
    assert anonymous.status_code == 401
