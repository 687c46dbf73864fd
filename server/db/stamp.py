"""A change stamp shared by the server processes of one machine: caches that must
forget at once when something changes, in whichever worker the next request lands.

A change calls `bump()` inside its write transaction; once that transaction has
committed (`after_commit`), a byte is appended to `<data folder>/<name>.stamp`.
A cache looks at the stamp's size (one `stat`) before it answers from memory:
when the stamp grew, it forgets everything. Appends are atomic and the size
only grows, so a change is never missed; a stamp that was removed (inode gone)
counts as a change too. Workers on other machines (another data folder) do not
see the stamp: the caches bound every entry's lifetime for them.
"""

from __future__ import annotations

from pathlib import Path

from server.db.transaction import after_commit
from server.settings import data_dir

Seen = tuple[int, int]
"""A stamp's (inode, size); (0, 0) before its first change."""


class Stamp:
    def __init__(self, name: str) -> None:
        self.name = name

    def path(self) -> Path:
        return data_dir() / f"{self.name}.stamp"

    def current(self) -> Seen:
        try:
            info = self.path().stat()
        except FileNotFoundError:
            return (0, 0)
        return (info.st_ino, info.st_size)

    def bump(self) -> None:
        """Something the caches hold changed: every process forgets after the commit."""
        after_commit(self._append)

    def _append(self) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as stamp_file:  # appends are atomic; the size only grows
            stamp_file.write(b".")
