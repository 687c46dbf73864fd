"""Refusals of authentication and authorisation."""

from shared.errors import define

BAD_CREDENTIALS = define(
    "auth.bad_credentials", 401, "用户名或密码错误", "Wrong user name or password"
)
ACCOUNT_DISABLED = define("auth.account_disabled", 403, "账号已停用", "This account is disabled")
TOKEN_MISSING = define(
    "auth.token_missing", 401, "需要登录：缺少访问令牌", "Login required: no access token"
)
TOKEN_INVALID = define(
    "auth.token_invalid", 401, "访问令牌无效或已过期", "The access token is invalid or has expired"
)
REFRESH_INVALID = define(
    "auth.refresh_invalid",
    401,
    "刷新令牌无效、已过期或不属于此设备",
    "The refresh token is invalid, expired or belongs to another device",
)
DEVICE_REVOKED = define(
    "auth.device_revoked",
    401,
    "此设备已被吊销，请联系管理员",
    "This device has been revoked; contact the administrator",
)
ROLE_FORBIDDEN = define(
    "auth.forbidden_role",
    403,
    "角色“{role}”无权执行此操作",
    "The role {role!r} may not do this",
)
DEPARTMENT_FORBIDDEN = define(
    "auth.forbidden_department",
    403,
    "只能管理本部门（{own}）的数据，不能管理部门“{other}”的数据",
    "You may only manage your own department ({own}), not {other}",
)
USERNAME_TAKEN = define(
    "accounts.username_taken",
    409,
    "用户名“{username}”已存在",
    "The user name {username!r} is taken",
)
PASSWORD_TOO_SHORT = define(
    "accounts.password_too_short",
    422,
    "密码至少{minimum}位",
    "The password needs at least {minimum} characters",
)
ROLE_UNKNOWN = define("accounts.role_unknown", 422, "未知角色“{role}”", "Unknown role {role!r}")
ROLE_NEEDS_DEPARTMENT = define(
    "accounts.role_needs_department",
    422,
    "角色“{role}”必须绑定部门",
    "The role {role!r} must be bound to a department",
)
LOGIN_THROTTLED = define(
    "auth.login_throttled",
    429,
    "登录失败次数过多，请{retry_after}秒后再试",
    "Too many failed logins; try again in {retry_after} seconds",
)
LOGIN_BUSY = define(
    "auth.login_busy",
    429,
    "同时进行的密码校验过多，服务器正忙，请稍后再试",
    "Too many password checks at once; the server is busy, try again shortly",
)
REFRESH_REUSED = define(
    "auth.refresh_reused",
    401,
    "刷新令牌已被使用过，此设备的登录已全部结束，请重新登录",
    "This refresh token was already used; every session of this device has ended, log in again",
)
SESSION_ENDED = define(
    "auth.session_ended",
    401,
    "此次登录已结束，请重新登录",
    "This login has ended; log in again",
)
CANNOT_DISABLE_SELF = define(
    "accounts.cannot_disable_self",
    409,
    "不能停用自己的账号",
    "You cannot disable your own account",
)
