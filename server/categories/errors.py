"""Refusals of the result-categories area."""

from __future__ import annotations

from shared.errors import define

NOT_FOUND = define(
    "categories.not_found", 404, "结果类别“{code}”不存在", "Result category {code} not found"
)
CODE_TAKEN = define(
    "categories.code_taken",
    409,
    "结果类别代码“{code}”已被使用（类别代码一经使用不再变更或复用）",
    "The result category code {code} is already in use (codes are never changed or reused)",
)
INVALID = define(
    "categories.invalid",
    422,
    "结果类别有{count}处问题，未作任何更改。第一处：{first}",
    "The result category has {count} problem(s); nothing was changed. First: {first_en}",
)
"""Every problem of a category write at once, in `errors`: [{field, code, zh, en}]."""
CODE_INVALID = define(
    "categories.code_invalid",
    400,
    "类别代码须为1到16个字母、数字、“-”或“_”",
    "The category code must be 1 to 16 letters, digits, '-' or '_'",
)
WORDING_INVALID = define(
    "categories.wording_invalid",
    400,
    "{which}须为1到{limit}个字符，且不含控制字符",
    "The {which_en} must be 1 to {limit} characters without control characters",
)
SORT_ORDER_INVALID = define(
    "categories.sort_order_invalid",
    400,
    "排序号须为0到100000之间的整数",
    "The sort order must be an integer from 0 to 100000",
)
PARENT_UNKNOWN = define(
    "categories.parent_unknown",
    400,
    "上级类别“{parent}”不存在或已停用",
    "The parent category {parent} does not exist or is retired",
)
HAS_ACTIVE_CHILDREN = define(
    "categories.has_active_children",
    409,
    "结果类别“{code}”下仍有启用的子类别（{children}），请先停用子类别",
    "Result category {code} still has active sub-categories ({children_en}); retire them first",
)
PARENT_RETIRED = define(
    "categories.parent_retired",
    409,
    "上级类别“{parent}”已停用，请先启用上级类别",
    "The parent category {parent} is retired; reactivate it first",
)
REQUIRED = define(
    "categories.required",
    422,
    "请选择检查结果类别",
    "A result category is required",
)
UNKNOWN = define(
    "categories.unknown",
    422,
    "结果类别“{code}”不存在，请从任务包中的类别列表选择",
    "Result category {code} does not exist; choose one from the task package's list",
)
RETIRED = define(
    "categories.retired",
    422,
    "结果类别“{code}”（{wording}）已停用，请选择其他类别",
    "Result category {code} ({wording_en}) is retired; choose another one",
)
GROUPING = define(
    "categories.grouping",
    422,
    "结果类别“{code}”（{wording}）是分组，请选择其下的具体类别：{children}",
    "Result category {code} ({wording_en}) is a group; choose one of its categories: {children_en}",
)
