"""Refusals of review (审核) and publication (公示)."""

from shared.errors import define

TASK_UNKNOWN = define(
    "review.unknown_task", 404, "检查任务{task_id}不存在", "Task {task_id} does not exist"
)
NOT_SUBMITTED = define(
    "review.not_submitted",
    409,
    "检查任务{task_id}尚未全部提交，不能审核或公示",
    "Task {task_id} has not been submitted by every department; it cannot be reviewed or published",
)
ITEM_UNKNOWN = define(
    "review.unknown_item",
    404,
    "检查任务{task_id}没有检查项{item}的结果",
    "Task {task_id} has no result for item {item}",
)
STALE_VERSION = define(
    "review.stale_version",
    409,
    "检查项{item}的结果已更新为第{current}版，您审核的是第{version}版，请重新查看",
    "The result of item {item} is now version {current}; you reviewed version {version}: reload it",
)
IN_CONFLICT = define(
    "review.in_conflict",
    409,
    "检查项{item}有待复核的冲突{conflict_id}，请先处理冲突",
    "Item {item} has an open conflict {conflict_id}: resolve it first",
)
ALREADY_DECIDED = define(
    "review.already_decided",
    409,
    "检查项{item}第{version}版已是“{decision_zh}”状态",
    "Version {version} of item {item} is already {decision}",
)
UNKNOWN_DECISION = define(
    "review.unknown_decision",
    422,
    "审核意见应为“通过”（approve）或“退回修改”（return）",
    "The decision must be approve or return",
)
REASON_REQUIRED = define(
    "review.reason_required",
    422,
    "{what}必须填写原因（1至{limit}个字）",
    "{what_en} needs a reason (1–{limit} characters)",
)
NOT_READY = define(
    "publication.not_ready",
    409,
    "检查任务{task_id}还有{count}个检查项未审核通过（退回、冲突或待审核），不能公示",
    "Task {task_id} has {count} item(s) not approved (returned, in conflict or pending); "
    "it cannot be published",
)
NOTHING_TO_CORRECT = define(
    "publication.nothing_to_correct",
    409,
    "检查任务{task_id}的结果与已公示的第{version}版相同，无需更正",
    "The result of task {task_id} is the same as published version {version}: nothing to correct",
)
NOT_PUBLISHED = define(
    "publication.not_found",
    404,
    "没有找到公示记录{publication}",
    "Publication {publication} was not found",
)
FORBIDDEN_DEPARTMENT = define(
    "review.forbidden_department",
    403,
    "检查项{item}属于{department}，您只能审核本部门的检查项",
    "Item {item} belongs to {department}; you may only review your own department's items",
)
