"""Refusals of the photo pipeline (before anything is stored)."""

from shared.errors import define

PHOTO_UNREADABLE = define(
    "device.photo_unreadable",
    422,
    "无法读取照片“{name}”：文件不是可识别的图片",
    "Cannot read photo {name!r}: the file is not an image this app can read",
)
LONG_EDGE_RANGE = define(
    "device.photo_long_edge",
    422,
    "照片长边应在{low}到{high}像素之间，实际为{value}",
    "The photo's long edge must be between {low} and {high} pixels, got {value}",
)
QUALITY_RANGE = define(
    "device.photo_quality",
    422,
    "照片压缩质量应在{low}到{high}之间，实际为{value}",
    "The JPEG quality must be between {low} and {high}, got {value}",
)
