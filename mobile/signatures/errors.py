"""Refusals of the signature service (device side)."""

from shared.errors import define

STROKE_INVALID = define(
    "device.stroke_invalid",
    422,
    "笔画无效：{reason}",
    "Invalid stroke: {reason_en}",
)
TOO_MANY_STROKES = define(
    "device.too_many_strokes",
    422,
    "签名最多{limit}笔，请清除后重签",
    "A signature takes at most {limit} strokes; clear it and sign again",
)
SIGNER_UNKNOWN = define(
    "device.signer_unknown",
    404,
    "此任务没有签名人“{signer}”",
    "This task has no signer {signer!r}",
)
SIGNER_NAME_NEEDED = define(
    "device.signer_name_needed",
    422,
    "请先填写签名人姓名",
    "Enter the signer's name first",
)
SIGNER_NAME_TOO_LONG = define(
    "device.signer_name_too_long",
    422,
    "签名人姓名最多{limit}个字",
    "The signer's name takes at most {limit} characters",
)
SIGNATURE_EMPTY = define(
    "device.signature_empty",
    422,
    "还没有签名：请在签名区书写",
    "Nothing is signed yet: write on the signature pad",
)
PAD_SIZE = define(
    "device.signature_pad_size",
    422,
    "签名图片尺寸应在{low}到{high}像素之间，实际为{width}×{height}",
    "The signature image must be between {low} and {high} pixels a side, got {width}×{height}",
)
