"""The app's words in Chinese (default) and English.

Every text a screen shows comes from `TEXTS` through `translate`; the kv files
call `app.t("key", app.lang)` so that switching the language redraws them
(passing `app.lang` is what makes kv re-evaluate the expression).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

LANGUAGES: Final = ("zh", "en")

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "app_title": ("随查 现场检查", "Suicha field inspection"),
    "language": ("English", "中文"),
    # sign in
    "sign_in": ("登录", "Sign in"),
    "server": ("服务器地址", "Server address"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "device_id": ("本机编号：{device_id}", "Device id: {device_id}"),
    "signing_in": ("正在登录……", "Signing in…"),
    "signed_in_offline": (
        "离线登录：网络不通，沿用上次在线登录（有效至{until}）",
        "Signed in offline: no network, using the last online sign-in (valid until {until})",
    ),
    "fill_all": (
        "请填写服务器地址、用户名和密码",
        "Enter the server address, user name and password",
    ),
    "sign_out": ("退出登录", "Sign out"),
    # task list
    "tasks": ("检查任务", "Tasks"),
    "tab_today": ("今日", "Today"),
    "tab_upcoming": ("待办", "Upcoming"),
    "tab_done": ("已完成", "Done"),
    "tab_returned": ("退回", "Returned"),
    "search_hint": ("按企业名称或统一社会信用代码搜索", "Search by business name or credit code"),
    "sync_button": ("同步", "Sync"),
    "unsent": ("未发送：{count}项", "Unsent: {count}"),
    "all_sent": ("全部已发送", "Everything sent"),
    "no_tasks": ("此栏没有任务", "No tasks here"),
    "due": ("截止 {date}", "Due {date}"),
    "last_sync": ("上次同步：{when}", "Last sync: {when}"),
    "never_synced": ("尚未同步", "Not synced yet"),
    "badge_sent": ("已同步", "Synced"),
    "badge_unsent": ("{count}项待发送", "{count} to send"),
    "badge_problem": ("需处理", "Needs attention"),
    "badge_submitted": ("已提交", "Submitted"),
    "badge_waiting": ("待提交", "Waiting to submit"),
    "revoked": (
        "本机已被停用：{reason}。未发送的数据仍保存在本机，请联系管理员。",
        "This device was revoked: {reason}. Unsent data stays on the device; contact your admin.",
    ),
    # task detail
    "business": ("检查对象", "Business"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    "address": ("地址", "Address"),
    "licences": ("许可证", "Licences"),
    "credit_class": ("信用风险分类", "Credit risk class"),
    "team": ("检查组", "Team"),
    "my_items": ("本部门事项（可填写）", "My department's items (editable)"),
    "other_items": ("其他部门事项（只读）", "Other departments' items (read-only)"),
    "visit": ("现场检查笔录", "Visit record"),
    "arrival": ("到达时间", "Arrival time"),
    "present": ("在场人员（企业方）", "People present for the business"),
    "person_name": ("姓名", "Name"),
    "person_role": ("职务", "Role"),
    "person_id": ("身份证号（可不填）", "ID number (optional)"),
    "add_person": ("添加人员", "Add person"),
    "method": ("检查方式", "Inspection method"),
    "visit_notes": ("笔录内容", "Notes"),
    "now": ("现在", "Now"),
    "signatures": ("签名", "Signatures"),
    "submit": ("提交", "Submit"),
    "back": ("返回", "Back"),
    "open_item": ("填写", "Fill in"),
    "view_item": ("查看", "View"),
    "item_state_empty": ("未填写", "Not started"),
    "item_state_draft": ("草稿", "Draft"),
    "item_state_done": ("已完成", "Done"),
    "none": ("无", "None"),
    # item form
    "findings": ("检查发现", "Findings"),
    "category": ("检查结果", "Result category"),
    "follow_up": ("后续处置", "Follow-up measure"),
    "follow_up_needed": (
        "检查结果不是“未发现问题”时必须填写后续处置",
        "A follow-up measure is required unless the result is 'no problem found'",
    ),
    "photos": ("照片", "Photos"),
    "item_photos": ("事项照片", "Item photos"),
    "add_photo": ("添加照片", "Add photo"),
    "photo_count": ("{count}张照片", "{count} photo(s)"),
    "choose_photo": ("选择照片", "Choose a photo"),
    "cancel": ("取消", "Cancel"),
    "ok": ("确定", "OK"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "save_item": ("完成此事项", "Finish this item"),
    "item_saved": ("已保存，待同步", "Saved, waiting to sync"),
    "fix_problems": ("有{count}处需要修改", "{count} problem(s) to fix"),
    "returned_note": (
        "审核退回，请修改后重新完成：{reason}",
        "Returned by review; change it and finish it again: {reason}",
    ),
    "read_only": ("只读：此事项属于{department}", "Read-only: this item belongs to {department}"),
    "required_mark": ("（必填）", " (required)"),
    "choose": ("请选择", "Choose"),
    "date_hint": ("年-月-日，如2026-05-01", "YYYY-MM-DD, e.g. 2026-05-01"),
    "number_hint": ("数字", "Number"),
    # signatures
    "sign_representative": ("企业代表签名", "Business representative signs"),
    "sign_inspector": ("检查员签名：{name}", "Inspector signs: {name}"),
    "signer_name": ("签名人姓名", "Signer's name"),
    "clear": ("清除", "Clear"),
    "done_signing": ("签好了", "Done"),
    "signed_at": ("已签 {when}", "Signed {when}"),
    "not_signed": ("未签", "Not signed"),
    "sign_here": ("请在此处签名", "Sign here"),
    "need_name": ("请先填写签名人姓名", "Enter the signer's name first"),
    "need_strokes": ("请先签名", "Please sign first"),
    # submit
    "submit_title": ("提交检查", "Submit the inspection"),
    "submit_ready": (
        "所有事项和签名已齐全，提交后将在联网时发送。",
        "All items and signatures are in; the submission is sent when online.",
    ),
    "submit_missing": ("还不能提交：", "Cannot submit yet:"),
    "submit_now": ("确认提交", "Submit now"),
    "submit_queued": ("已提交，等待同步发送", "Submitted; waiting to be sent"),
    # sync
    "sync_title": ("同步", "Sync"),
    "sync_now": ("立即同步", "Sync now"),
    "syncing": ("正在同步……", "Syncing…"),
    "records_progress": ("记录 {done}/{total}", "Records {done}/{total}"),
    "bytes_progress": ("照片 {done}/{total} 兆字节", "Photos {done}/{total} MB"),
    "sync_ok": ("同步完成，全部已发送", "Sync complete, everything sent"),
    "sync_pending": ("同步结束，仍有{count}项未发送", "Sync ended, {count} still unsent"),
    "sync_stopped": ("同步中止：{reason}", "Sync stopped: {reason}"),
    "record_states": ("各记录状态", "Record states"),
    "no_records": ("本机还没有检查记录", "No records on this device yet"),
    "phase_login": ("登录", "Signing in"),
    "phase_tasks": ("下载任务", "Downloading tasks"),
    "phase_photos": ("上传照片", "Uploading photos"),
    "phase_results": ("发送检查结果", "Sending results"),
    "phase_submissions": ("提交任务", "Submitting tasks"),
    "phase_done": ("完成", "Done"),
    # directed tasks, 亮码 and 扫码入企
    "directed_mark": ("定向检查（非随机）· {reason}", "Directed, not random · {reason}"),
    "reason_complaint": ("投诉举报", "complaint"),
    "reason_referral": ("转办交办", "referral"),
    "reason_data_monitoring": ("大数据监测", "data monitoring"),
    "show_code": ("亮码", "Show code"),
    "check_in": ("扫码入企", "Check in"),
    "close": ("关闭", "Close"),
    "code_missing": (
        "本任务还没有检查码：请联网同步后再亮码。",
        "This task has no inspection code yet: sync, then show it.",
    ),
    "code_heading": ("检查码 · 请企业扫码核验", "Inspection code · for the business to scan"),
    "code_hint": (
        "企业扫码可核对检查任务、检查人员与法律依据；未出示检查码的，企业可以拒绝检查。",
        "Scanning shows the task, the officers and the legal basis; "
        "a business may refuse an inspection without a code.",
    ),
    "checkin_title": ("扫码入企 · 到达登记", "Check-in on arrival"),
    "checkin_expected": (
        "本任务检查对象：{name}（{code}）",
        "This task's business: {name} ({code})",
    ),
    "scan_licence": ("扫描营业执照二维码", "Scan the business licence QR"),
    "scan_licence_hint": (
        "拍摄或选择营业执照照片，自动识别二维码中的统一社会信用代码。",
        "Take or choose a photo of the licence; the credit code is read from its QR.",
    ),
    "type_code": ("或手工输入统一社会信用代码", "Or type the unified social credit code"),
    "check_in_typed": ("登记到达", "Record arrival"),
    "licence_unreadable": (
        "未能识别营业执照二维码中的统一社会信用代码，请重新扫描或手工输入。",
        "No unified social credit code found in the licence QR: scan again or type it.",
    ),
    "already_checked_in": (
        "本任务的到达登记已由服务器确认，不能重复登记。",
        "The server already holds this task's arrival.",
    ),
    "checked_in": (
        "已登记到达：{when}\n{gps}\n{state}",
        "Arrival recorded: {when}\n{gps}\n{state}",
    ),
    "not_checked_in": ("尚未登记到达（扫码入企）", "No arrival recorded yet"),
    "gps_fix": ("定位 {lat}，{lon}", "position {lat}, {lon}"),
    "gps_unavailable": ("定位不可用，未记录位置", "position unavailable, none recorded"),
    "checkin_queued": ("待同步", "waiting to sync"),
    "checkin_sending": ("发送中，未获确认", "sent, not yet confirmed"),
    "checkin_acknowledged": ("已同步", "synced"),
    "checkin_late": (
        "已同步，超过宽限期，服务器已标记为逾期补录",
        "synced past the grace period, flagged late by the server",
    ),
    "checkin_failed_retrying": ("发送失败，下次同步重试", "failed, retried at the next sync"),
    "checkin_refused": ("被服务器拒收：{reason}", "refused by the server: {reason}"),
}


def local_time(iso: str) -> str:
    """An ISO timestamp as the tablet's local `YYYY-MM-DD HH:MM` (the text as is if not one)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def translate(key: str, lang: str = "zh", **params: object) -> str:
    """The text for `key` in `lang` with `{params}` filled; an unknown key is a bug."""
    zh, en = TEXTS[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text
