"""The device's login: tokens bound to a device id, kept in the store's meta table."""

from __future__ import annotations

from dataclasses import dataclass

from mobile.sync.errors import NOT_LOGGED_IN
from mobile.sync.store import Store
from mobile.sync.transport import HttpTransport, Reply
from shared.errors import SuichaError

SERVER = "server"
DEVICE_ID = "device_id"
USERNAME = "username"
ACCESS_TOKEN = "access_token"
REFRESH_TOKEN = "refresh_token"


@dataclass(frozen=True)
class Session:
    server: str
    device_id: str
    access_token: str
    refresh_token: str


def load_session(store: Store) -> Session:
    values = {k: store.get_meta(k) for k in (SERVER, DEVICE_ID, ACCESS_TOKEN, REFRESH_TOKEN)}
    if any(v is None for v in values.values()):
        raise SuichaError(NOT_LOGGED_IN)
    return Session(
        server=values[SERVER] or "",
        device_id=values[DEVICE_ID] or "",
        access_token=values[ACCESS_TOKEN] or "",
        refresh_token=values[REFRESH_TOKEN] or "",
    )


def save_tokens(store: Store, reply: Reply) -> None:
    store.set_meta(
        {
            ACCESS_TOKEN: reply.body["access_token"],
            REFRESH_TOKEN: reply.body["refresh_token"],
        }
    )


async def login(
    store: Store,
    transport: HttpTransport,
    *,
    username: str,
    password: str,
    device_id: str,
) -> Reply:
    """Log in and keep the tokens; the reply (the server's error on failure) is returned."""
    reply = await transport.request(
        "POST",
        "/auth/login",
        json={"username": username, "password": password, "device_id": device_id},
        authenticated=False,
    )
    if reply.ok:
        store.set_meta({SERVER: transport.server_url, DEVICE_ID: device_id, USERNAME: username})
        save_tokens(store, reply)
        transport.access_token = reply.body["access_token"]
    return reply
