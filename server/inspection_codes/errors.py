"""Errors of the inspection-code area."""

from shared.errors import define

CODE_MALFORMED = define(
    "inspection_code.malformed",
    400,
    "检查码格式不正确（应为“年份-辖区-七位字符”，最后一位为校验位）。",
    "The inspection code is malformed "
    "(year-jurisdiction-seven characters, the last a check character).",
)
CODE_UNKNOWN = define(
    "inspection_code.unknown",
    404,
    "查无此检查码：该检查码不是本系统签发的。",
    "No such inspection code: this system did not issue it.",
)
SIGNATURE_INVALID = define(
    "inspection_code.signature_invalid",
    400,
    "检查码签名无效：二维码内容被改动，或不是本系统签发的。",
    "The inspection code's signature is invalid: the QR was altered or not issued by this system.",
)
CODE_EXPIRED = define(
    "inspection_code.expired",
    410,
    "检查码已失效：该检查任务已结束。",
    "The inspection code has expired: its task is closed.",
)
CODE_NOT_YET_VALID = define(
    "inspection_code.not_yet_valid",
    409,
    "检查码尚未生效：检查时段自{valid_from}开始。",
    "The inspection code is not valid yet: the inspection window starts on {valid_from}.",
)
TASK_NOT_FOUND = define(
    "inspection_code.task_not_found",
    404,
    "检查任务不存在。",
    "The task does not exist.",
)
CAP_INVALID = define(
    "annual_cap.invalid",
    422,
    "年度检查次数上限须为1至52之间的整数，辖区须为2至12位行政区划代码。",
    "The annual cap must be an integer from 1 to 52 "
    "and the jurisdiction a 2-12 digit division code.",
)
DIRECTED_INVALID = define(
    "directed_task.invalid",
    422,
    "定向检查任务填写有误：{problem_zh}",
    "The directed task is invalid: {problem_en}",
)
ACCESS_WRONG = define(
    "business_access.wrong_code",
    403,
    "访问码不正确。",
    "The access code is wrong.",
)
ACCESS_THROTTLED = define(
    "business_access.throttled",
    429,
    "访问码错误次数过多，请{retry_after}秒后再试。",
    "Too many wrong access codes: try again in {retry_after} seconds.",
)
ACCESS_SPENT = define(
    "business_access.spent",
    409,
    "本次检查已评价过，访问码只能用于一次评价。",
    "This inspection has been rated: the access code admits one rating.",
)
RATING_INVALID = define(
    "rating.invalid",
    422,
    "评价填写有误：{problem_zh}",
    "The rating is invalid: {problem_en}",
)
RATING_TOO_EARLY = define(
    "rating.too_early",
    409,
    "检查结束后才能评价。",
    "An inspection can be rated once it has ended.",
)
CHECKIN_WRONG_BUSINESS = define(
    "check_in.wrong_business",
    422,
    "扫描的营业执照与本任务的检查对象不符，不能登记到达。",
    "The licence scanned is not the task's business: no check-in.",
)
CHECKIN_INVALID = define(
    "check_in.invalid",
    422,
    "到达登记有误：{problem_zh}",
    "The check-in is invalid: {problem_en}",
)
OBJECTION_INVALID = define(
    "objection.invalid",
    422,
    "异议填写有误：{problem_zh}",
    "The objection is invalid: {problem_en}",
)
OBJECTION_NOT_PUBLISHED = define(
    "objection.not_published",
    409,
    "本次检查的结果尚未公示：结果公示后才能提出异议。",
    "The result of this inspection has not been published: an objection needs a published result.",
)
OBJECTION_ALREADY_FILED = define(
    "objection.already_filed",
    409,
    "已对第{version}版公示结果提出过异议：每一版公示结果只能提出一次异议，更正公示后可对新版本提出。",
    "An objection to published version {version} was already filed: one objection per "
    "published version (a corrected version may be objected to again).",
)
OBJECTION_UNKNOWN = define(
    "objection.unknown",
    404,
    "异议{objection_id}不存在。",
    "Objection {objection_id} does not exist.",
)
OBJECTION_DECIDED = define(
    "objection.already_decided",
    409,
    "异议{objection_id}已处理（{status_zh}），不能再次处理。",
    "Objection {objection_id} has already been decided ({status}).",
)
OBJECTION_DECISION_INVALID = define(
    "objection.decision_invalid",
    422,
    "异议处理意见有误：{problem_zh}",
    "The objection decision is invalid: {problem_en}",
)
