"""How often one client may ask the portal (anyone may, without an account)."""

from __future__ import annotations

import os

from litestar.middleware.rate_limit import RateLimitConfig

PER_MINUTE = int(os.environ.get("SUICHA_PORTAL_RATE_PER_MINUTE", "120"))
"""Requests per minute per client address to the portal's pages and JSON."""

PORTAL_RATE_LIMIT = RateLimitConfig(rate_limit=("minute", PER_MINUTE), store="portal_rate_limit")
