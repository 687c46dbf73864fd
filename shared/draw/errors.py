"""Refusals of the draw algorithm (`suicha-draw/1`).

Every one is raised before anything is drawn or recorded, so a refused draw
changes nothing.
"""

from __future__ import annotations

from shared.errors import define

RATIO_NOT_DECIMAL = define(
    "draw.ratio_not_decimal",
    422,
    "抽查比例“{ratio}”不是十进制小数（例如“0.05”）",
    "The ratio {ratio!r} is not a decimal string such as '0.05'",
)
RATIO_OUT_OF_RANGE = define(
    "draw.ratio_out_of_range",
    422,
    "抽查比例{ratio}超出0到1的范围",
    "The ratio {ratio} is outside 0..1",
)
CAP_INVALID = define(
    "draw.cap_invalid",
    422,
    "抽查上限“{cap}”应为不小于0的整数或留空",
    "The cap {cap!r} must be a whole number of at least 0, or none",
)
WITNESS_EMPTY = define(
    "draw.witness_empty",
    422,
    "见证人输入不能为空",
    "The witness input must not be empty",
)
FIELD_EMPTY = define(
    "draw.field_empty",
    422,
    "抽签记录字段“{field}”不能为空",
    "The draw field {field!r} must not be empty",
)
EMPTY_POPULATION = define(
    "draw.empty_population",
    422,
    "抽查范围内没有可抽取的检查对象",
    "There is no eligible object to draw from",
)
INVALID_ID = define(
    "draw.invalid_id",
    422,
    "编号“{id}”无效：不能为空，也不能含换行等控制字符",
    "The ID {id!r} is invalid: it must be non-empty and hold no line break or control character",
)
DUPLICATE_ID = define(
    "draw.duplicate_id",
    422,
    "编号“{id}”在{where}中重复出现",
    "The ID {id!r} appears more than once in {where}",
)
SECRET_INVALID = define(
    "draw.secret_invalid",
    422,
    "服务器密钥应为32字节",
    "The server secret must be 32 bytes",
)
NO_DEPARTMENTS = define(
    "draw.no_departments",
    422,
    "抽签至少需要一个参与部门",
    "A draw needs at least one participating department",
)
PER_TASK_INVALID = define(
    "draw.per_task_invalid",
    422,
    "部门{department}每项任务所需人数“{per_task}”应为不小于1的整数",
    "Department {department}: inspectors per task, {per_task!r}, must be a whole number >= 1",
)
EXCLUSION_INVALID = define(
    "draw.exclusion_invalid",
    422,
    "排除名单的每一条都需要编号（id）和原因代码（reason）：{entry}",
    "Every exclusion needs an id and a reason code: {entry}",
)
AMEND_UNKNOWN_TASK = define(
    "draw.amend_unknown_task",
    422,
    "检查对象{object_id}不在本次抽签结果中",
    "Object {object_id} was not drawn in this draw",
)
AMEND_UNKNOWN_DEPARTMENT = define(
    "draw.amend_unknown_department",
    422,
    "部门{department}未参加本次抽签",
    "Department {department} does not take part in this draw",
)
AMEND_NOT_ASSIGNED = define(
    "draw.amend_not_assigned",
    422,
    "检查人员{removed}不是对象{object_id}的{department}检查人员，无法替换",
    "Inspector {removed} is not on the {department} team of object {object_id}",
)
