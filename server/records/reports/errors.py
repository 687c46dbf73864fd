"""Refusals of reports (报表) and the accountability view (问责)."""

from shared.errors import define

UNKNOWN_KIND = define(
    "reports.unknown_kind",
    422,
    "报表类型“{kind}”不存在，可选：月报表、季度推进表、半年总结、年度总结",
    "Report kind {kind!r} does not exist: monthly, quarterly, half_year or year",
)
BAD_PERIOD = define(
    "reports.bad_period",
    422,
    "报表期间“{period}”格式不正确，应为{expected_zh}",
    "Report period {period!r} is malformed: expected {expected_en}",
)
PERIOD_OUT_OF_RANGE = define(
    "reports.period_out_of_range",
    422,
    "报表期间“{period}”超出可生成的年份范围（{first}年至{last}年）",
    "Report period {period!r} is outside the years reports can cover ({first}–{last})",
)
UNKNOWN_DEPARTMENT = define(
    "reports.unknown_department",
    404,
    "部门“{department}”不存在",
    "Department {department!r} does not exist",
)
COMBINED_FORBIDDEN = define(
    "reports.combined_forbidden",
    403,
    "您只能生成和查看本部门的报表，汇总报表由管理员或内勤生成",
    "You may only generate and read your own department's reports; combined reports are for "
    "admins and back-office staff",
)
UNKNOWN_REPORT = define(
    "reports.unknown_report",
    404,
    "报表{report_id}不存在",
    "Report {report_id} does not exist",
)
UNKNOWN_ACCOUNTABILITY_KIND = define(
    "accountability.unknown_kind",
    422,
    "问责事项类型“{kind}”不存在，可选：未按期检查、逾期公示、任务延误",
    "Accountability kind {kind!r} does not exist: not_inspected, published_late or delayed",
)
TOO_MANY = define(
    "reports.too_many",
    429,
    "您在一分钟内已生成{limit}份报表，请稍后再试",
    "You have generated {limit} reports within a minute: try again shortly",
)
