"""Signing in on the device: online first, offline only within the period, never past a refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from mobile import signin
from mobile.sync import HttpTransport, Store

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
SERVER = "http://server.test"


def answering(status: int, body: dict[str, object]) -> HttpTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    return HttpTransport(SERVER, http=httpx.MockTransport(handler))


def unreachable() -> HttpTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return HttpTransport(SERVER, http=httpx.MockTransport(handler))


TOKENS = {"access_token": "a1", "refresh_token": "r1"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path)


def online(store: Store, password: str = "secret-1") -> signin.SignInOutcome:
    return signin.sign_in(
        store, SERVER, "insp", password, now=NOW, transport=answering(200, TOKENS)
    )


def test_device_id_is_generated_once(store: Store) -> None:
    first = signin.device_id(store)
    assert first.startswith("tablet-") and signin.device_id(store) == first


def test_first_sign_in_must_be_online(store: Store) -> None:
    outcome = signin.sign_in(store, SERVER, "insp", "secret-1", now=NOW, transport=unreachable())
    assert not outcome.ok and outcome.code == "device.offline_signin_unavailable"
    assert not signin.signed_in(store)


def test_offline_sign_in_within_the_period_only(store: Store) -> None:
    assert online(store).ok and signin.signed_in(store)
    signin.sign_out(store)
    assert not signin.signed_in(store) and store.get_meta("access_token") is None

    later = NOW + timedelta(days=6)
    ok = signin.sign_in(store, SERVER, "insp", "secret-1", now=later, transport=unreachable())
    assert ok.ok and ok.offline and ok.valid_until
    signin.sign_out(store)

    wrong = signin.sign_in(store, SERVER, "insp", "guess", now=later, transport=unreachable())
    assert not wrong.ok and wrong.code == "device.offline_bad_password"
    other = signin.sign_in(store, SERVER, "someone", "secret-1", now=later, transport=unreachable())
    assert other.code == "device.offline_signin_unavailable"

    store.set_meta({signin.OFFLINE_DAYS_KEY: "3"})
    expired = signin.sign_in(store, SERVER, "insp", "secret-1", now=later, transport=unreachable())
    assert not expired.ok and expired.code == "device.offline_signin_expired"
    assert "2026-05-04" in expired.zh
    assert not signin.signed_in(store)


def test_a_server_refusal_is_never_bypassed_offline(store: Store) -> None:
    assert online(store).ok
    signin.sign_out(store)
    refused = signin.sign_in(
        store,
        SERVER,
        "insp",
        "secret-1",
        now=NOW,
        transport=answering(
            401,
            {
                "status": 401,
                "code": "auth.device_revoked",
                "detail": {"zh": "设备已停用", "en": "x"},
            },
        ),
    )
    assert not refused.ok and refused.code == "auth.device_revoked" and refused.zh == "设备已停用"
    assert store.get_meta(signin.REVOKED) == "设备已停用"
    assert not signin.signed_in(store)


def test_sign_out_keeps_unsent_records(store: Store) -> None:
    assert online(store).ok
    store.save_task_packages([{"id": 7, "version": 1}], [], "1")
    result = store.record_result(7, "SC-01", answers={"q1": True}, category="1")
    signin.sign_out(store)
    assert store.result_body(result)["answers"] == {"q1": True}


def test_offline_period_is_configurable(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert signin.offline_days(store) == signin.OFFLINE_DAYS
    monkeypatch.setenv(signin.OFFLINE_DAYS_ENV, "14")
    assert signin.offline_days(store) == 14
    monkeypatch.setenv(signin.OFFLINE_DAYS_ENV, "9999")  # out of bounds: the default stands
    assert signin.offline_days(store) == signin.OFFLINE_DAYS
    store.set_meta({signin.OFFLINE_DAYS_KEY: "2"})
    assert signin.offline_days(store) == 2
