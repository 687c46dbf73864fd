"""Field sync on the device: local store and outbox, engine, HTTP transport, progress.

No window needed: the Kivy app, the `suicha-field` command and the tests drive
the same objects.
"""

from mobile.sync.engine import RetryPolicy, SyncEngine
from mobile.sync.progress import Failure, Progress, SyncReport
from mobile.sync.states import RecordState, SubmissionState
from mobile.sync.store import PhotoInfo, PhotoUse, Store
from mobile.sync.transport import HttpTransport, Reply, TransportError

__all__ = [
    "Failure",
    "HttpTransport",
    "PhotoInfo",
    "PhotoUse",
    "Progress",
    "RecordState",
    "Reply",
    "RetryPolicy",
    "Store",
    "SubmissionState",
    "SyncEngine",
    "SyncReport",
    "TransportError",
]
