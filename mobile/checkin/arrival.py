"""The arrival record (到达登记): the scanned business checked against the task's.

Kept on the device and sent with the next sync; the server flags a record sent
later than the grace period after arrival (`server.inspection_codes.checkin`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.credit_code import is_valid_credit_code


class WrongBusiness(ValueError):
    """The licence scanned (or typed) is not the task's business: no check-in."""

    def __init__(self, expected: str, scanned: str) -> None:
        super().__init__(f"expected {expected}, scanned {scanned}")
        self.zh = f"扫描的营业执照（{scanned}）与本任务的检查对象（{expected}）不符，不能登记到达。"
        self.en = (
            f"The licence scanned ({scanned}) is not this task's business ({expected}):"
            " no arrival recorded."
        )


@dataclass(frozen=True)
class Arrival:
    task_id: int
    credit_code: str
    at: datetime
    latitude: float | None
    longitude: float | None

    def as_message(self) -> dict[str, object]:
        """The body `POST /api/v1/field/tasks/{task}/check-in` takes."""
        return {
            "credit_code": self.credit_code,
            "at": self.at.isoformat(),
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def arrive(
    task_id: int,
    task_credit_code: str,
    scanned: str,
    at: datetime,
    gps: tuple[float, float] | None = None,
) -> Arrival:
    """Record arrival when the scanned (or typed) credit code is the task's business."""
    code = scanned.strip().upper()
    if not is_valid_credit_code(code) or code != task_credit_code.upper():
        raise WrongBusiness(task_credit_code, code)
    if at.tzinfo is None:
        raise ValueError("arrival time must carry its time zone")
    latitude, longitude = gps if gps else (None, None)
    return Arrival(task_id, code, at, latitude, longitude)
