"""Errors of the tasks area (a directed task's team assigned by hand)."""

from shared.errors import define

TASK_NOT_FOUND = define(
    "task.not_found",
    404,
    "检查任务不存在。",
    "The task does not exist.",
)
TEAM_NOT_DIRECTED = define(
    "task_team.not_directed",
    409,
    "随机抽查任务的检查组由抽签产生，只能通过抽签调整（回避、因故替换）变更。",
    "A drawn task's team comes from the draw: change it with a draw amendment.",
)
TEAM_TASK_DONE = define(
    "task_team.task_done",
    409,
    "任务已提交或已办结，不能再调整检查组。",
    "The task is submitted or closed: its team can no longer change.",
)
TEAM_INVALID = define(
    "task_team.invalid",
    422,
    "检查组不符合要求：{problem_zh}",
    "The team is not acceptable: {problem_en}",
)
