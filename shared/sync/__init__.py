"""The field sync protocol shared by the server and the field app (sync-v1)."""
