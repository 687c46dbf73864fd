"""Refusals and problems of the visit record (device side)."""

from shared.errors import define

VISIT_FIELD_UNKNOWN = define(
    "device.visit_field_unknown",
    422,
    "检查笔录没有字段“{name}”",
    "The visit record has no field {name!r}",
)
VISIT_TEXT_TOO_LONG = define(
    "device.visit_text_too_long",
    422,
    "{field_zh}最多{limit}个字",
    "{field_en} takes at most {limit} characters",
)
METHOD_UNKNOWN = define(
    "device.method_unknown",
    422,
    "未知的检查方式“{method}”",
    "Unknown inspection method {method!r}",
)
TOO_MANY_PEOPLE = define(
    "device.too_many_people",
    422,
    "在场人员最多{limit}人",
    "At most {limit} people present can be recorded",
)
PERSON_INVALID = define(
    "device.person_invalid",
    422,
    "第{number}位在场人员：{reason}",
    "Person present no. {number}: {reason_en}",
)

# Problems listed before submission, not raised one by one.
ARRIVAL_MISSING = define(
    "device.arrival_missing",
    422,
    "请填写到达时间",
    "Enter the arrival time",
)
ARRIVAL_FORMAT = define(
    "device.arrival_format",
    422,
    "到达时间“{text}”格式不对，应为“年-月-日 时:分”，例如2026-11-30 09:30",
    "Arrival time {text!r} is not in the form YYYY-MM-DD HH:MM, e.g. 2026-11-30 09:30",
)
METHOD_MISSING = define(
    "device.method_missing",
    422,
    "请选择检查方式",
    "Choose the inspection method",
)
PERSON_NAME_MISSING = define(
    "device.person_name_missing",
    422,
    "第{number}位在场人员没有姓名",
    "Person present no. {number} has no name",
)
