"""Refusals of the demo dataset."""

from shared.errors import define

DEMO_NOT_EMPTY = define(
    "demo.not_empty",
    409,
    "数据库已有数据（{what}），未创建演示数据；请使用空数据库",
    "The database already holds data ({what_en}); the demo dataset was not created. "
    "Use an empty database",
)
DEMO_OBJECT_COUNT = define(
    "demo.object_count",
    422,
    "演示对象数量应在{minimum}到{maximum}之间，实际为{count}",
    "The number of demo objects must be between {minimum} and {maximum}, got {count}",
)
