"""An objection round trip against a real server process: filed at `/check/{code}` with a
photo, upheld in the workspace, the item corrected by its inspector, approved and published
as a new version, visible on the public portal and to the business."""

from __future__ import annotations

import re

import httpx

from server.audit.tables import AuditEntry
from server.inspection_codes.tables import Objection
from tests.server import factories
from tests.server.field import calls, photos
from tests.server.inspection_codes.test_objection import published_with_access
from tests.server.portal.published import approve_all
from tests.server.workspace.http import web_login
from tests.support.live_server import ServerProcess

API = "/api/v1"
REASON = "复核现场照片，消毒记录齐全，原结果有误"


async def test_objection_filed_upheld_corrected_and_public(client: httpx.AsyncClient) -> None:
    p = await published_with_access(client, "异议往返餐饮店")
    await factories.user("back_office", "bo-scjg", "SCJG")
    badge = p.done.badge_for("SC-01")
    png = photos.png(96)

    with ServerProcess() as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            # 1. The business files its objection through the check page's form.
            filed = await http.post(
                f"/check/{p.code}/objection",
                files=[
                    ("access_code", (None, p.access)),
                    ("text", (None, "<b>消毒设施</b>检查结果与现场不符，附照片")),
                    ("attachments", ("消毒柜.png", png, "image/png")),
                ],
            )
            assert filed.status_code == 303, filed.text
            page = await http.get(filed.headers["location"])
            assert page.status_code == 200
            assert "异议已提交" in page.text and "处理中" in page.text
            assert "对公示结果提出异议" not in page.text  # once per published version

            # 2. Back office of a department on the task upholds it in the workspace.
            csrf = await web_login(http, "bo-scjg")
            listing = await http.get("/workspace/objections/")
            assert listing.status_code == 200 and "异议往返餐饮店" in listing.text
            objection_id = (await Objection.select(Objection.id).first())["id"]
            detail = await http.get(f"/workspace/objections/{objection_id}")
            assert "&lt;b&gt;消毒设施&lt;/b&gt;" in detail.text  # the text, escaped
            photo_href = re.search(
                r'src="(/workspace/objections/\d+/attachments/\w+)"', detail.text
            )
            assert photo_href is not None
            assert (await http.get(photo_href.group(1))).content == png
            missing_items = await http.post(
                f"/workspace/objections/{objection_id}/decision",
                data={"csrf_token": csrf, "decision": "uphold", "reason": REASON},
            )
            assert (
                missing_items.status_code == 422 and "须选择需要更正的检查项" in missing_items.text
            )
            upheld = await http.post(
                f"/workspace/objections/{objection_id}/decision",
                data={"csrf_token": csrf, "decision": "uphold", "reason": REASON, "items": "SC-01"},
            )
            assert upheld.status_code == 303, upheld.text
            http.cookies.clear()

            # 3. The inspector sees the return and resends the corrected result.
            review = await http.get(f"{API}/review/tasks/{p.task_id}", headers=p.admin)
            item = next(i for i in review.json()["items"] if i["item"] == "SC-01")
            assert item["state"] == "returned"
            assert item["history"][-1]["reason"] == f"异议成立：{REASON}"
            resend = await calls.put_result(
                http,
                p.done.headers[badge],
                p.task_id,
                p.done.results["SC-01"],
                calls.result_body(
                    "SC-01", base_version=item["result"]["version"], category="1", findings=REASON
                ),
            )
            assert resend.status_code == 200, resend.text

            # 4. Review approves; the correction is published as version 2.
            before = await http.get(f"/check/{p.code}")
            assert "已退回检查组更正" in before.text
            await approve_all(http, p.admin, p.done)
            published = await http.post(
                f"{API}/review/tasks/{p.task_id}/publish",
                json={"reason": f"异议成立：{REASON}"},
                headers=p.admin,
            )
            assert published.status_code == 201, published.text
            assert published.json()["version"] == 2

            # 5. The portal shows both versions, the correction with its reason.
            portal = await http.get(f"{API}/public/results/{p.task_id}")
            versions = portal.json()["versions"]
            assert [v["version"] for v in versions] == [1, 2]
            assert versions[1]["reason"] == f"异议成立：{REASON}"
            assert "更正" in (await http.get(f"/results/{p.task_id}")).text

            # 6. The business sees the outcome at /check/{code}.
            status = (await http.get(f"{API}/public/check/{p.code}/objections/")).json()
            assert status[0]["status"] == "upheld" and status[0]["correction_version"] == 2
            final = await http.get(f"/check/{p.code}")
            assert "异议成立" in final.text and "已更正公示（第2版）" in final.text
            # A corrected version may be objected to again.
            assert "对公示结果提出异议" in final.text

    actions = {
        row["action"]
        for row in await AuditEntry.select(AuditEntry.action).where(
            AuditEntry.action.is_in(
                ["objection.file", "objection.uphold", "review.return", "publication.correct"]
            )
        )
    }
    assert actions == {"objection.file", "objection.uphold", "review.return", "publication.correct"}
