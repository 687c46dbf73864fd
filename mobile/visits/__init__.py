"""The visit record (现场检查笔录 data) and the task's submission readiness on the device.

`VisitService` keeps arrival time, the people present for the business,
inspection method and free text, saved at every edit; `outbox` is how the
sync engine sends the record, with the signatures, idempotently.
"""

from mobile.visits.service import Person, VisitRecord, VisitService

__all__ = ["Person", "VisitRecord", "VisitService"]
