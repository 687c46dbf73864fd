"""Refusals of the plans area."""

from __future__ import annotations

from shared.errors import define

PLAN_INVALID = define(
    "plans.invalid",
    422,
    "计划有{count}处问题，未作任何更改。第一处：{first}",
    "The plan has {count} problem(s); nothing was changed. First: {first_en}",
)
"""Every problem of a plan at once, in `errors`: [{field, code, zh, en}]."""
PLAN_NOT_FOUND = define("plans.not_found", 404, "计划“{plan}”不存在", "Plan {plan} not found")
CODE_TAKEN = define(
    "plans.code_taken", 409, "计划编号“{plan}”已被使用", "Plan code {plan} is already in use"
)
RATIO_INVALID = define(
    "plans.ratio_invalid",
    400,
    "{stratum_zh}的抽查比例“{ratio}”无效：须为0到1之间、最多{places}位小数的数",
    "The ratio {ratio!r} of class {stratum} is invalid: it must be a decimal between 0 and 1 "
    "with at most {places} decimal places",
)
STRATA_INVALID = define(
    "plans.strata_invalid",
    400,
    "抽查比例的分类无效：{reason}",
    "The ratio classes are invalid: {reason_en}",
)
RATIO_MISSING = define(
    "plans.ratio_missing",
    400,
    "未设定以下信用风险分类的抽查比例：{classes}。每个分类都须明确设定比例（可为0）",
    "No ratio is set for the credit-risk classes {classes_en}: every class needs an explicit "
    "ratio (0 allowed)",
)
RATIO_OVER_CAP = define(
    "plans.ratio_over_cap",
    400,
    "{stratum_zh}的抽查比例{ratio}超过一般检查事项“{item}”的比例上限{cap}",
    "The ratio {ratio} of class {stratum} exceeds the cap {cap} of general item {item}",
)
CAP_INVALID = define(
    "plans.cap_invalid",
    400,
    "一般事项的抽取上限须为1到{limit}之间的整数",
    "The cap for general items must be an integer from 1 to {limit}",
)
YEAR_INVALID = define(
    "plans.year_invalid",
    400,
    "计划年度须为{low}到{high}之间的年份",
    "The plan year must be from {low} to {high}",
)
WINDOW_INVALID = define(
    "plans.window_invalid",
    400,
    "检查时间窗口无效：开始日期晚于结束日期",
    "The schedule window is invalid: it starts after it ends",
)
KIND_INVALID = define(
    "plans.kind_invalid",
    400,
    "计划类型须为“annual”（部门年度计划）或“joint”（联合抽查计划）",
    "The plan kind must be annual (department plan) or joint (joint plan)",
)
DEPARTMENT_UNKNOWN = define(
    "plans.department_unknown", 400, "部门“{department}”不存在", "Department {department} not found"
)
ANNUAL_ONE_DEPARTMENT = define(
    "plans.annual_one_department",
    400,
    "部门年度计划只能有牵头部门一个部门",
    "An annual department plan has only its lead department",
)
JOINT_NEEDS_PARTNER = define(
    "plans.joint_needs_partner",
    400,
    "联合抽查计划至少需要一个配合部门",
    "A joint plan needs at least one participating department besides the lead",
)
ITEM_UNKNOWN = define(
    "plans.item_unknown", 400, "抽查事项“{item}”不存在或已停用", "Item {item} not found or inactive"
)
ITEM_DEPARTMENT = define(
    "plans.item_department",
    400,
    "抽查事项“{item}”属于部门“{department}”，该部门未参加本计划",
    "Item {item} belongs to {department}, which does not take part in this plan",
)
NO_ITEMS = define(
    "plans.no_items", 400, "计划至少需要一个抽查事项", "A plan needs at least one item"
)
DEPARTMENT_WITHOUT_ITEMS = define(
    "plans.department_without_items",
    400,
    "参加部门“{department}”在本计划中没有抽查事项",
    "Participating department {department} has no item in this plan",
)
PER_TASK_INVALID = define(
    "plans.per_task_invalid",
    400,
    "部门“{department}”每个任务的检查人员数须为1到10",
    "Inspectors per task for {department} must be between 1 and 10",
)
SCOPE_INVALID = define(
    "plans.scope_invalid",
    400,
    "检查对象范围无效：{reason}",
    "The object scope is invalid: {reason_en}",
)
METHOD_INVALID = define(
    "plans.method_invalid",
    400,
    "检查方式须为现场（“on_site”）、书面（“written”）或网络（“online”）",
    "The method must be on_site, written or online",
)
REPEAT_WINDOW_INVALID = define(
    "plans.repeat_window_invalid",
    400,
    "防止重复检查的天数须为0到3650",
    "The repeat-inspection window must be 0 to 3650 days",
)
AMENDMENT_REQUIRED = define(
    "plans.amendment_required",
    409,
    "计划{status_zh}，只能通过记录理由的调整程序修改",
    "The plan is {status}: after approval it changes only through a recorded amendment",
)
NOT_AMENDABLE = define(
    "plans.not_amendable",
    409,
    "计划状态为“{status_zh}”，不能调整",
    "The plan is {status} and can no longer be amended",
)
DRAW_SCHEDULED = define(
    "plans.draw_scheduled",
    409,
    "计划已安排抽签（{draw}），抽签输入与承诺值已固定公示，不能再调整计划",
    "The plan's draw {draw} is scheduled: its inputs and commitment are fixed and published, "
    "so the plan can no longer be amended",
)
REASON_REQUIRED = define(
    "plans.reason_required", 400, "调整计划须说明理由", "An amendment needs a reason"
)
NOTHING_TO_AMEND = define(
    "plans.nothing_to_amend", 400, "调整内容为空", "The amendment changes nothing"
)
BAD_TRANSITION = define(
    "plans.bad_transition",
    409,
    "计划状态为“{status_zh}”，不能{action_zh}",
    "The plan is {status}; it cannot be {action}",
)
