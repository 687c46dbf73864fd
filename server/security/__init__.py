"""The security log (安全日志): logins, refusals, token reuse, revocations.

Kept outside the audit hash chain."""
