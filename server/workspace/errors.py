"""Refusals of the web workspace."""

from __future__ import annotations

from shared.errors import define

CSRF_REFUSED = define(
    "workspace.csrf_refused",
    403,
    "表单校验码缺失或不正确，请刷新页面后重新提交",
    "The form's CSRF token is missing or wrong; reload the page and submit again",
)
INSPECTOR_REFUSED = define(
    "workspace.inspector_refused",
    403,
    "执法检查人员请使用平板外勤应用，工作台仅供组长、内勤、纪检监察和管理员使用",
    "Inspectors use the field app; the workspace is for team leads, back office, observers "
    "and admins",
)
FIELD_REQUIRED = define("workspace.field_required", 400, "请填写“{label}”", "Fill in {label_en}")
