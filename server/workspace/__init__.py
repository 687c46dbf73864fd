"""The web workspace (工作台) at /workspace/: server-rendered Chinese pages for team leads,
back-office staff, observers and admins, signed in with a session cookie."""
