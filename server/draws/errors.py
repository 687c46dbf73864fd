"""Refusals of the draw ceremony."""

from __future__ import annotations

from shared.errors import define

DRAW_NOT_FOUND = define("draws.not_found", 404, "抽签{draw}不存在", "Draw {draw} not found")
PLAN_NOT_PUBLISHED = define(
    "draws.plan_not_published",
    409,
    "计划状态为{status}：只有已公示的计划才能安排抽签",
    "The plan is {status}: only a published plan can be scheduled for a draw",
)
DRAW_EXISTS = define(
    "draws.already_scheduled",
    409,
    "计划{plan}已安排抽签（{draw}），不能重复抽签",
    "Plan {plan} already has a draw ({draw}); it cannot be drawn twice",
)
EMPTY_SCOPE = define(
    "draws.empty_scope",
    422,
    "检查对象范围内没有可抽取的对象（范围内{in_scope}个，排除{excluded}个）",
    "No eligible object in the plan's scope ({in_scope} in scope, {excluded} excluded)",
)
NO_QUALIFIED_INSPECTOR = define(
    "draws.no_qualified_inspector",
    422,
    "部门{department}没有在岗且具备所需资格（{qualifications}）的检查人员",
    "Department {department} has no active inspector holding the required "
    "qualifications ({qualifications})",
)
NOT_OBSERVER = define(
    "draws.not_observer",
    403,
    "只有纪检监察人员才能见证并签字",
    "Only the discipline observer may witness and sign a draw",
)
WITNESS_EMPTY = define(
    "draws.witness_empty",
    400,
    "见证人输入不能为空",
    "The witness input must not be empty",
)
ALREADY_WITNESSED = define(
    "draws.already_witnessed",
    409,
    "本次抽签已由{witness}见证签字，不能更改",
    "This draw was already witnessed and signed by {witness}; it cannot change",
)
NOT_WITNESSED = define(
    "draws.not_witnessed",
    409,
    "抽签前须由纪检监察人员输入见证码并签字",
    "The observer must enter the witness input and sign before the draw",
)
ALREADY_DRAWN = define(
    "draws.already_drawn",
    409,
    "抽签{draw}已完成并封存，不能重复抽签或更改",
    "Draw {draw} is done and sealed; it cannot be drawn again or changed",
)
NOT_SEALED = define(
    "draws.not_sealed",
    409,
    "抽签尚未完成，不能调整人员",
    "The draw is not done yet; its teams cannot be amended",
)
AMEND_REASON_REQUIRED = define(
    "draws.amend_reason_required",
    400,
    "调整检查人员须说明理由（如回避、生病）",
    "Replacing an inspector needs a reason (e.g. conflict of interest, illness)",
)
WITNESS_OTHER_DEPARTMENT = define(
    "draws.witness_other_department",
    403,
    "{department}的纪检监察人员不能见证本次抽签：只有牵头部门或参与部门的纪检监察人员才能见证",
    "An observer of {department} may not witness this draw: only observers of the lead or a "
    "partner department may",
)
