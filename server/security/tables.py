"""Piccolo table of the security log."""

from __future__ import annotations

from piccolo.columns import JSON, Integer, Timestamptz, Varchar
from piccolo.table import Table


class SecurityEvent(Table):
    """One security event (安全事件): who, from which device and address, when, what.

    Not part of the audit hash chain: it records attempts, most of which change
    nothing, and may be pruned. `user_id` is not a foreign key: a failed login
    names an account that may not exist.
    """

    at = Timestamptz(index=True)
    kind = Varchar(length=32, index=True)
    """One of `server.security.kinds.Kind`."""
    user_id = Integer(null=True, default=None, index=True)
    username = Varchar(length=64, default="", index=True)
    """The account acted on or tried (for a failed login, the name that was typed)."""
    device_id = Varchar(length=128, default="")
    client_address = Varchar(length=64, default="")
    detail = JSON(default={})
    """What else matters for this kind: the error code, method and path of a refusal,
    the seconds of a backoff, the admin who disabled an account."""
