"""Refusals of the security log API."""

from shared.errors import define

SINCE_OUT_OF_RANGE = define(
    "security.since_out_of_range",
    400,
    "起始时间“{since}”超出可表示的范围",
    "The start time {since} is out of the representable range",
)
