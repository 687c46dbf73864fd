"""Field sync (sync-v1): task packages, item results, photos, submission, conflict review."""
