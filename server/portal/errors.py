"""Refusals of the public portal."""

from shared.errors import define

QUERY_TOO_SHORT = define(
    "portal.query_too_short",
    422,
    "请输入至少{minimum}个字的企业名称，或完整的18位统一社会信用代码",
    "Enter at least {minimum} characters of a business name, or a full 18-character credit code",
)
QUERY_TOO_LONG = define(
    "portal.query_too_long",
    422,
    "查询内容不能超过{maximum}个字",
    "The search may not exceed {maximum} characters",
)
BAD_CREDIT_CODE = define(
    "portal.bad_credit_code",
    422,
    "“{code}”不是18位统一社会信用代码",
    "{code!r} is not an 18-character unified social credit code",
)
RESULT_NOT_FOUND = define(
    "portal.result_not_found",
    404,
    "没有找到检查任务{task_id}的公示结果",
    "No published result for task {task_id}",
)
BAD_DATE_RANGE = define(
    "portal.bad_date_range",
    422,
    "日期范围无效：起始日期{start}晚于截止日期{end}",
    "Invalid date range: {start} is after {end}",
)
