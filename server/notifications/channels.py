"""Delivery channels of notifications: an interface, and the logging implementation.

SMS or e-mail gateways implement `Channel`; the server ships the logging one,
which writes one line per delivered notification.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Protocol


class Channel(Protocol):
    """Delivers one notification (raise to leave it undelivered for the next pass)."""

    def deliver(self, notification: dict[str, Any], recipient: str) -> None: ...


class LoggingChannel:
    """Writes `notification delivered …` lines to the `suicha.notifications` logger."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("suicha.notifications")
        if not self.logger.handlers:  # the server's log gets them whatever uvicorn's level
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
            self.logger.addHandler(handler)
            self.logger.setLevel(logging.INFO)
            self.logger.propagate = False

    def deliver(self, notification: dict[str, Any], recipient: str) -> None:
        self.logger.info(
            "notification delivered key=%s to=%s title=%s",
            notification["dedupe_key"],
            recipient,
            notification["title"],
        )


_channel: Channel | None = None


def channel() -> Channel:
    global _channel
    if _channel is None:
        _channel = LoggingChannel()
    return _channel


def use_channel(new: Channel) -> None:
    """Install another channel (an SMS gateway, a test double)."""
    global _channel
    _channel = new
