"""Refusals of the calendar and deadline settings."""

from shared.errors import define

YEAR_OUT_OF_RANGE = define(
    "calendar.year_out_of_range",
    422,
    "年份{year}超出范围（{first}至{last}年）",
    "Year {year} is out of range ({first}–{last})",
)
NO_EFFECT = define(
    "calendar.no_effect",
    422,
    "{day}是{weekday_zh}，标记为“{kind_zh}”不会改变任何期限",
    "{day} is a {weekday_en}; marking it a {kind} changes no deadline",
)
UNKNOWN_KIND = define(
    "calendar.unknown_kind",
    422,
    "日期类型应为“节假日”（holiday）、“调休上班”（workday）或“恢复正常”（normal），收到“{kind}”",
    "The day kind must be holiday, workday or normal, not {kind!r}",
)
YEAR_ALREADY_COMPLETE = define(
    "calendar.year_complete",
    409,
    "{year}年的节假日已确认完整",
    "The holidays of {year} are already complete",
)
NAME_TOO_LONG = define(
    "calendar.name_too_long",
    422,
    "节日名称不能超过{limit}个字符",
    "The holiday name may not exceed {limit} characters",
)
RULE_OUT_OF_RANGE = define(
    "deadline.rule_out_of_range",
    422,
    "公示期限应为1至{max_days}天，提醒天数应为0至{max_reminder}个工作日",
    "The deadline must be 1–{max_days} days and the reminder 0–{max_reminder} working days",
)
UNKNOWN_DEPARTMENT = define(
    "deadline.unknown_department",
    404,
    "部门{code}不存在",
    "Department {code} does not exist",
)
TASK_NOT_COMPLETED = define(
    "deadline.task_not_completed",
    409,
    "检查任务{task_id}尚未完成检查，没有公示期限",
    "Task {task_id} has not been completed and has no publication deadline",
)
BAD_DATE = define(
    "calendar.bad_date",
    422,
    "日期“{value}”无效，格式应为年-月-日，如2026-10-01",
    "The date {value!r} is not a valid YYYY-MM-DD date",
)
