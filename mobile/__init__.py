"""The field app: local store and sync engine (no window needed) and the Kivy UI."""
