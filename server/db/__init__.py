"""Engine construction and transactions: the one place that knows SQLite from PostgreSQL."""
