"""Refusals of field sync. Codes are listed in `docs/sync-protocol.md`."""

from shared.errors import define

NOT_INSPECTOR = define(
    "field.not_inspector",
    403,
    "此账号未绑定检查人员，不能同步检查任务",
    "This account is not bound to an inspector and cannot sync field tasks",
)
UNKNOWN_TASK = define(
    "field.unknown_task", 404, "检查任务{task_id}不存在", "Task {task_id} does not exist"
)
NOT_ON_TASK = define(
    "field.not_on_task",
    403,
    "您不在检查任务{task_id}的检查组中{reason}",
    "You are not on the team of task {task_id}{reason_en}",
)
WRONG_DEPARTMENT = define(
    "field.wrong_department",
    403,
    "检查项{item}属于{owner}，您只能录入本部门（{own}）的检查项",
    "Item {item} belongs to {owner}; you may only record items of your department ({own})",
)
UNKNOWN_ITEM = define(
    "field.unknown_item",
    422,
    "检查任务{task_id}没有检查项{item}",
    "Task {task_id} has no item {item}",
)
RESULT_MISMATCH = define(
    "field.result_mismatch",
    422,
    "结果编号{result_id}已属于另一个任务、检查项或设备，不能再用于此处",
    "Result id {result_id} already belongs to another task, item or device and cannot be used here",
)
BASE_VERSION_UNKNOWN = define(
    "field.base_version_unknown",
    422,
    "结果{result_id}在服务器上没有版本{base_version}",
    "The server holds no version {base_version} of result {result_id}",
)
BAD_CURSOR = define(
    "field.bad_cursor", 400, "同步游标“{cursor}”无效", "The sync cursor {cursor!r} is invalid"
)
BAD_PHOTO_REF = define(
    "field.bad_photo",
    422,
    "照片引用无效：{reason}",
    "A photo reference is invalid: {reason_en}",
)
CONFLICT = define(
    "sync.conflict",
    409,
    "该检查项结果在服务器上已有不同版本：两个版本均已保存，等待复核",
    "The server holds a different version of this item result: both are kept for review",
)
INCOMPLETE = define(
    "submission.incomplete",
    409,
    "提交不完整：还缺{count}项",
    "The submission is incomplete: {count} part(s) missing",
)
NOT_NAIVE_TIME = define(
    "field.time_without_offset",
    400,
    "时间“{field}”必须带时区",
    "The time {field!r} must carry a UTC offset",
)
CONFLICT_UNKNOWN = define(
    "review.unknown_conflict", 404, "冲突{conflict_id}不存在", "Conflict {conflict_id} not found"
)

# Photo uploads (content-addressed, resumable).
BAD_SHA256 = define(
    "attachment.bad_sha256",
    400,
    "照片标识“{sha256}”不是SHA-256十六进制值",
    "The photo id {sha256!r} is not a SHA-256 hex digest",
)
BAD_HEADER = define(
    "attachment.bad_header",
    400,
    "请求头{header}缺失或无效",
    "The header {header} is missing or invalid",
)
CONTENT_TYPE = define(
    "attachment.content_type",
    415,
    "上传内容类型应为断点续传字节流（application/offset+octet-stream）",
    "Upload bodies must have Content-Type application/offset+octet-stream",
)
OFFSET_MISMATCH = define(
    "attachment.offset_mismatch",
    409,
    "上传位置不符：服务器已有{server_offset}字节，请求从{offset}开始",
    "Wrong upload offset: the server holds {server_offset} bytes, the request starts at {offset}",
)
LENGTH_MISMATCH = define(
    "attachment.length_mismatch",
    409,
    "照片总长度{length}与此前声明的{held}不符",
    "The photo length {length} differs from the length declared before ({held})",
)
TOO_LARGE = define(
    "attachment.too_large",
    413,
    "照片过大：{size}字节，上限{limit}字节",
    "The photo is too large: {size} bytes, the limit is {limit}",
)
HASH_MISMATCH = define(
    "attachment.hash_mismatch",
    422,
    "照片内容与SHA-256不符，已丢弃，请重新上传",
    "The photo bytes do not match their SHA-256; they were discarded, upload again",
)
MEDIA_TYPE = define(
    "attachment.media_type",
    415,
    "只接受JPEG或PNG照片：{reason}",
    "Only JPEG or PNG photos are accepted: {reason_en}",
)
IDLE_TIMEOUT = define(
    "attachment.idle_timeout",
    408,
    "上传中断：{seconds}秒内未收到数据，已收到的{offset}字节已保存，请从该位置续传",
    "Upload stalled: no bytes for {seconds} s; the {offset} bytes received are kept, resume there",
)
QUOTA_EXCEEDED = define(
    "attachment.quota_exceeded",
    413,
    "本设备未完成的上传已占用{held}字节，再加上本照片的{length}字节将超过限额{quota}字节，"
    "请先完成其他照片的上传",
    "This device holds {held} bytes in unfinished uploads; this photo's {length} bytes would "
    "exceed its quota of {quota} bytes: finish the other uploads first",
)
STORAGE_BACKEND = define(
    "config.attachment_backend",
    500,
    "未知的照片存储方式“{backend}”，可用本地文件（filesystem）或对象存储（s3）",
    "Unknown attachment backend {backend!r} (use filesystem or s3)",
)
ATTACHMENT_UNKNOWN = define(
    "attachment.unknown", 404, "照片{sha256}不存在", "Photo {sha256} not found"
)
CONFLICT_RESOLVED = define(
    "review.conflict_resolved",
    409,
    "冲突{conflict_id}已处理",
    "Conflict {conflict_id} has already been resolved",
)
TEMPLATE_VERSION_UNKNOWN = define(
    "field.template_version_unknown",
    422,
    "检查项{item}没有检查表模板版本{version}",
    "Item {item} has no checklist template version {version}",
)
VISIT_INVALID = define(
    "field.visit_invalid",
    422,
    "现场检查笔录有误：{reason}",
    "The visit record is invalid: {reason_en}",
)
VISIT_MISMATCH = define(
    "field.visit_mismatch",
    409,
    "笔录编号{record_id}已属于另一个任务、账号或设备，不能再用于此处",
    "Visit record id {record_id} already belongs to another task, account or device",
)
BAD_FOLLOW_UP = define(
    "field.bad_follow_up",
    422,
    "后续处置无效：{reason}",
    "The follow-up measure is invalid: {reason_en}",
)
