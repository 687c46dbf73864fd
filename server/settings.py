"""Settings, read from the environment once.

Each concern has its own frozen dataclass; `get_settings()` builds them on first
use and caches the result. Tests that change the environment call
`get_settings.cache_clear()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir

from shared.credit_feedback import CreditWeights

DATA_DIR_ENV = "SUICHA_DATA_DIR"
DATABASE_URL_ENV = "SUICHA_DATABASE_URL"


def data_dir() -> Path:
    """The folder for the default SQLite file and stored photos."""
    return Path(os.environ.get(DATA_DIR_ENV) or user_data_dir("suicha", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'suicha.db'}"


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = field(default_factory=default_database_url)
    """`sqlite:///path/file.db` or `postgresql://user@host:5432/db`."""
    sqlite_busy_timeout: float = 30.0
    """Seconds a SQLite connection waits for a lock before failing."""


@dataclass(frozen=True)
class AuthSettings:
    access_token_minutes: int = 60
    """Lifetime of an access token. Short: refresh tokens carry the session."""
    refresh_token_days: int = 30
    """Lifetime of a refresh token; a tablet offline for longer logs in again."""
    login_concurrency: int = 4
    """Password checks running at once in one process: Argon2id takes 64 MiB each."""
    login_wait_seconds: float = 2.0
    """How long a login waits for a free password check before it is answered 429."""
    account_free_failures: int = 5
    """Wrong passwords for one user name before its backoff starts."""
    address_free_failures: int = 30
    """Failed logins from one client address before its backoff starts."""
    backoff_base_seconds: float = 1.0
    """The first backoff; each further failure doubles it."""
    backoff_cap_seconds: float = 300.0
    """The longest backoff."""


@dataclass(frozen=True)
class AttachmentSettings:
    max_photo_bytes: int = 20 * 1024 * 1024
    """Largest photo accepted (bytes)."""
    backend: str = "filesystem"
    """`filesystem` or `s3`."""
    directory: Path = field(default_factory=lambda: data_dir() / "attachments")
    """Where the filesystem backend keeps photos."""
    s3_endpoint: str | None = None
    """Endpoint URL of an S3-compatible server (the s3 backend)."""
    s3_bucket: str = "suicha-attachments"
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str = "us-east-1"
    body_idle_seconds: float = 30.0
    """A PATCH whose body sends nothing for this long is ended; the bytes that
    arrived are kept and the upload is free for the device's next request."""
    body_max_seconds: float = 900.0
    """The longest one PATCH may take, however slowly its bytes trickle in."""
    partial_expiry_seconds: float = 7 * 24 * 3600.0
    """A partial upload not written for this long is removed (a week: a tablet may
    stay offline for days)."""
    sweep_interval_seconds: float = 600.0
    """How often expired partial uploads are looked for (at an upload and in the background)."""
    device_partial_bytes: int = 100 * 1024 * 1024
    """Bytes one device may hold in partial uploads (its quota), counted by declared length."""


@dataclass(frozen=True)
class RosterSettings:
    import_max_rows: int = 2_000_000
    """Rows of an import file after its header (a million objects, with room)."""
    import_max_columns: int = 100
    """Columns of an import file's header; cells beyond the header's width are never read."""
    import_max_line_chars: int = 1 << 20
    """Characters of one line of an imported CSV."""
    xlsx_max_unpacked_bytes: int = 4 << 30
    """What an imported XLSX may unpack to, all parts together (a zip bomb is refused unread)."""
    xlsx_max_shared_strings_bytes: int = 512 << 20
    """The shared-strings part of an imported XLSX, which openpyxl holds in memory."""
    registration_departments: tuple[str, ...] = ("SCJG",)
    """Codes of the registration (market regulation) departments: with admins, only their
    staff change a business's registration status (存续/注销/吊销)."""


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings
    auth: AuthSettings
    attachments: AttachmentSettings
    rosters: RosterSettings = field(default_factory=RosterSettings)


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


@lru_cache
def get_settings() -> Settings:
    database = DatabaseSettings(url=_env(DATABASE_URL_ENV) or default_database_url())
    auth = AuthSettings(
        access_token_minutes=int(_env("SUICHA_ACCESS_TOKEN_MINUTES") or 60),
        refresh_token_days=int(_env("SUICHA_REFRESH_TOKEN_DAYS") or 30),
        login_concurrency=int(_env("SUICHA_LOGIN_CONCURRENCY") or 4),
        login_wait_seconds=float(_env("SUICHA_LOGIN_WAIT_SECONDS") or 2.0),
        account_free_failures=int(_env("SUICHA_LOGIN_ACCOUNT_FREE_FAILURES") or 5),
        address_free_failures=int(_env("SUICHA_LOGIN_ADDRESS_FREE_FAILURES") or 30),
        backoff_base_seconds=float(_env("SUICHA_LOGIN_BACKOFF_BASE_SECONDS") or 1.0),
        backoff_cap_seconds=float(_env("SUICHA_LOGIN_BACKOFF_CAP_SECONDS") or 300.0),
    )
    attachments = AttachmentSettings(
        max_photo_bytes=int(_env("SUICHA_MAX_PHOTO_BYTES") or 20 * 1024 * 1024),
        backend=_env("SUICHA_ATTACHMENT_BACKEND") or "filesystem",
        directory=Path(_env("SUICHA_ATTACHMENT_DIR") or data_dir() / "attachments"),
        s3_endpoint=_env("SUICHA_S3_ENDPOINT"),
        s3_bucket=_env("SUICHA_S3_BUCKET") or "suicha-attachments",
        s3_access_key=_env("SUICHA_S3_ACCESS_KEY"),
        s3_secret_key=_env("SUICHA_S3_SECRET_KEY"),
        s3_region=_env("SUICHA_S3_REGION") or "us-east-1",
        body_idle_seconds=float(_env("SUICHA_UPLOAD_IDLE_SECONDS") or 30.0),
        body_max_seconds=float(_env("SUICHA_UPLOAD_MAX_SECONDS") or 900.0),
        partial_expiry_seconds=float(_env("SUICHA_PARTIAL_UPLOAD_EXPIRY_SECONDS") or 604800.0),
        sweep_interval_seconds=float(_env("SUICHA_PARTIAL_UPLOAD_SWEEP_SECONDS") or 600.0),
        device_partial_bytes=int(_env("SUICHA_DEVICE_UPLOAD_QUOTA_BYTES") or 100 * 1024 * 1024),
    )
    rosters = RosterSettings(
        import_max_rows=int(_env("SUICHA_IMPORT_MAX_ROWS") or 2_000_000),
        import_max_columns=int(_env("SUICHA_IMPORT_MAX_COLUMNS") or 100),
        import_max_line_chars=int(_env("SUICHA_IMPORT_MAX_LINE_CHARS") or 1 << 20),
        xlsx_max_unpacked_bytes=int(_env("SUICHA_XLSX_MAX_UNPACKED_BYTES") or 4 << 30),
        xlsx_max_shared_strings_bytes=int(
            _env("SUICHA_XLSX_MAX_SHARED_STRINGS_BYTES") or 512 << 20
        ),
        registration_departments=tuple(
            code.strip()
            for code in (_env("SUICHA_REGISTRATION_DEPARTMENTS") or "SCJG").split(",")
            if code.strip()
        ),
    )
    return Settings(database=database, auth=auth, attachments=attachments, rosters=rosters)


@lru_cache
def credit_weights() -> CreditWeights:
    """The credit feedback rule's weights (`shared.credit_feedback`), from `SUICHA_CREDIT_*`.

    `SUICHA_CREDIT_PROBLEM_POINTS`, `…_CORRECTED_POINTS`, `…_REFUSAL_POINTS`,
    `…_UNREACHABLE_POINTS`, `…_POINTS_PER_STEP`, `…_CLEAN_PER_STEP` (integers ≥ 0)
    and `…_BEST_CLASS` (a class code); unset ones keep the rule's defaults.
    """
    defaults = CreditWeights()

    def number(name: str, default: int) -> int:
        value = _env(f"SUICHA_CREDIT_{name}")
        return max(0, int(value)) if value else default

    return CreditWeights(
        problem_points=number("PROBLEM_POINTS", defaults.problem_points),
        corrected_points=number("CORRECTED_POINTS", defaults.corrected_points),
        refusal_points=number("REFUSAL_POINTS", defaults.refusal_points),
        unreachable_points=number("UNREACHABLE_POINTS", defaults.unreachable_points),
        points_per_step=max(1, number("POINTS_PER_STEP", defaults.points_per_step)),
        clean_inspections_per_step=number("CLEAN_PER_STEP", defaults.clean_inspections_per_step),
        best_class_by_inspections=_env("SUICHA_CREDIT_BEST_CLASS")
        or defaults.best_class_by_inspections,
    )
