"""Users, roles, devices and tokens."""
