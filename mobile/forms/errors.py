"""Refusals and form problems of the item form service (device side)."""

from shared.errors import define

ITEM_UNKNOWN = define(
    "device.item_unknown",
    422,
    "任务{task_id}没有检查事项“{item}”",
    "Task {task_id} has no inspection item {item!r}",
)
ITEM_NOT_MINE = define(
    "device.item_not_mine",
    403,
    "检查事项“{item}”由{department}填写，本机只能查看",
    "Item {item!r} is recorded by {department}; this device may only read it",
)
ITEM_CLOSED = define(
    "device.item_closed",
    409,
    "本部门已提交此任务，检查事项“{item}”不能再修改（除非被退回）",
    "Your department submitted this task; item {item!r} can no longer be changed "
    "unless review returns it",
)
QUESTION_UNKNOWN = define(
    "device.question_unknown",
    422,
    "检查表中没有问题“{question}”",
    "The checklist has no question {question!r}",
)
ANSWER_UNSTORABLE = define(
    "device.answer_unstorable",
    422,
    "问题“{question}”的答案无法保存：{reason}",
    "The answer to {question!r} cannot be saved: {reason_en}",
)
TEXT_TOO_LONG = define(
    "device.text_too_long",
    422,
    "{field_zh}最多{limit}个字，实际{length}个字",
    "{field_en} takes at most {limit} characters, got {length}",
)
PHOTO_NOT_ON_ITEM = define(
    "device.photo_not_on_item",
    404,
    "检查事项“{item}”没有照片{sha256}",
    "Item {item!r} has no photo {sha256}",
)
CATEGORY_UNKNOWN = define(
    "device.category_unknown",
    422,
    "结果类别“{category}”不在可选类别中",
    "Result category {category!r} is not one of the categories to choose from",
)

# Form problems: listed next to their fields by `validate`, not raised.
CATEGORY_REQUIRED = define(
    "device.category_required",
    422,
    "请选择检查结果类别",
    "Choose the result category",
)
FOLLOW_UP_REQUIRED = define(
    "device.follow_up_required",
    422,
    "检查结果不是“未发现问题”时，必须填写后续处置",
    "A follow-up measure is required whenever the result is not 'no problem found'",
)
