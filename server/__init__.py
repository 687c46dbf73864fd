"""The Suicha server: Litestar API, Piccolo tables, scheduled jobs."""

import os

# Piccolo finds its engine through this module; it must be set before any
# table is imported, so it is set when the package is.
os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")
