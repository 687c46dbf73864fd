"""The append-only, hash-chained audit log (全程留痕)."""
