"""Refusals the device itself makes (before anything is sent)."""

from shared.errors import define

PHOTO_MEDIA_TYPE = define(
    "device.photo_media_type",
    422,
    "照片必须是JPEG或PNG格式",
    "A photo must be a JPEG or PNG image",
)
PHOTO_UNKNOWN = define(
    "device.photo_unknown",
    422,
    "照片{sha256}未在本机登记",
    "Photo {sha256} is not registered on this device",
)
TASK_UNKNOWN = define(
    "device.task_unknown",
    422,
    "本机没有任务{task_id}，请先同步",
    "Task {task_id} is not on this device; sync first",
)
RESULT_TASK_CHANGED = define(
    "device.result_task_changed",
    422,
    "检查结果{result_id}属于另一任务或事项，不能改到此处",
    "Result {result_id} belongs to another task or item and cannot be moved",
)
NOT_LOGGED_IN = define(
    "device.not_logged_in",
    401,
    "本机尚未登录，请先登录（suicha-field login）",
    "This device is not logged in; run suicha-field login first",
)
UPLOAD_BUSY = define(
    "device.upload_busy",
    409,
    "此照片的上一次上传请求在服务器上仍未结束，下次同步时继续上传",
    "An earlier upload request of this photo has not ended on the server yet; "
    "it continues on the next sync",
)
