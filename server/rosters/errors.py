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
    "The import file cannot be read: {reason}",
)
IMPORT_KIND = define(
    "rosters.import_kind",
    404,
    "未知名录类型“{kind}”（可用：objects、inspectors、items）",
    "Unknown roster kind {kind!r} (use objects, inspectors or items)",
)
FIELD_INVALID = define(
    "rosters.field_invalid",
    422,
    "字段“{field}”不合法：{reason}",
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
