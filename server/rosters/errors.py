"""Refusals of the rosters area (一单两库)."""

from shared.errors import define

IMPORT_INVALID = define(
    "rosters.import_invalid",
    422,
    "导入文件有{count}处错误，未导入任何数据",
    "The import file has {count} error(s); nothing was imported",
)
IMPORT_FORMAT = define(
    "rosters.import_format",
    400,
    "无法读取导入文件：{reason}",
    "The import file cannot be read: {reason_en}",
)
IMPORT_KIND = define(
    "rosters.import_kind",
    404,
    "未知名录类型“{kind}”，可用：检查对象（objects）、检查人员（inspectors）、抽查事项（items）",
    "Unknown roster kind {kind!r} (use objects, inspectors or items)",
)
FIELD_INVALID = define(
    "rosters.field_invalid",
    422,
    "“{field_zh}”不合法：{reason}",
    "Field {field!r} is invalid: {reason_en}",
)
ALREADY_EXISTS = define(
    "rosters.already_exists",
    409,
    "{what}已存在",
    "{what_en} already exists",
)
RISK_CLASS_IN_USE = define(
    "rosters.risk_class_in_use",
    409,
    "风险分类“{code}”仍被{count}个检查对象使用",
    "Risk class {code!r} is still used by {count} object(s)",
)
IMPORT_TOO_LARGE = define(
    "rosters.import_too_large",
    413,
    "导入文件超出限制，未导入任何数据：{reason}",
    "The import file exceeds a limit; nothing was imported: {reason_en}",
)
STATUS_FORBIDDEN = define(
    "rosters.status_forbidden",
    403,
    "只有管理员和登记机关（{departments}）的人员可以变更经营主体的登记状态（存续、注销、吊销）",
    "Only admins and staff of the registration department ({departments}) may change a "
    "business's registration status (active, deregistered, revoked)",
)
