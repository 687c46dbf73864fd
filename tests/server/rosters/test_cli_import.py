"""`suicha import`: the exit code and what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.rosters.importing import import_file_cli
from server.rosters.tables import InspectionObject
from tests.server.rosters.helpers import OBJECT_HEADER, object_row, write_csv, wrong_check


async def test_cli_import_reports_and_exits(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_csv(
        tmp_path / "bad.csv",
        OBJECT_HEADER,
        [object_row(1), object_row(2, 统一社会信用代码=wrong_check(object_row(2)[0]))],
    )
    assert await import_file_cli("objects", str(bad), actor="cli") == 1
    err = capsys.readouterr().err
    assert "rosters.import_invalid" in err
    assert "row 3, 统一社会信用代码" in err
    assert await InspectionObject.count() == 0

    good = write_csv(tmp_path / "good.csv", OBJECT_HEADER, [object_row(1), object_row(2)])
    assert await import_file_cli("objects", str(good), actor="cli") == 0
    assert "2 inserted" in capsys.readouterr().out
    assert await import_file_cli("objects", str(tmp_path / "missing.csv"), actor="cli") == 2


async def test_formula_like_text_survives_an_xlsx_round_trip(client) -> None:
    from tests.server import factories
    from tests.server.rosters.helpers import csv_text

    headers = await factories.login_as(client, "admin", None)
    rows = [object_row(1, 名称='=HYPERLINK("x")商店', 地址="=1+1")]
    response = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=headers,
        content=csv_text(OBJECT_HEADER, rows).encode(),
    )
    assert response.status_code == 200, response.text
    exported = await client.get(
        "/api/v1/rosters/objects/export", params={"format": "xlsx"}, headers=headers
    )
    again = await client.post(
        "/api/v1/rosters/objects/import",
        headers=headers,
        files={"file": ("objects.xlsx", exported.content)},
    )
    assert again.json()["unchanged"] == 1, again.text
