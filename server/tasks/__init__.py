"""Tasks: one per drawn object, with its team and each department's items."""
