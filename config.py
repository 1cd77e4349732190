"""Settings, read from the environment (DEVELOPERS.md: secrets never live in the code).

With no settings at all the app runs in development on an embedded default: a SQLite
file under instance/ and an in-process queue. DATABASE_URL (PostgreSQL through psycopg 3)
and REDIS_URL switch to real servers.
"""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))

# A key that ships in the code signs nothing: the app refuses it anywhere
# (app/__init__.py: check_production_settings).
DEV_SECRET_KEY = "dev-only-not-secret"
MIN_SECRET_KEY_LENGTH = 32


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _check_password(password: str) -> None:
    from app.passwords import check_password

    check_password(password)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'theodoi.db'}"
    # Accept the usual postgres:// spellings and route them through psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    ENV_NAME = os.environ.get("APP_ENV", "development")  # development | production | testing
    # Unset: development only, a random key generated for this instance under instance/.
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "")  # empty: in-process fakeredis

    APP_NAME = "Theo dõi nhiệm vụ UBND tỉnh Khánh Hòa"
    APP_THEME = ""
    APP_ICON = ""
    TIMEZONE = "Asia/Ho_Chi_Minh"
    DATE_FORMAT = "%d/%m/%Y"
    DATETIME_FORMAT = "%d/%m/%Y %H:%M"

    # Vietnamese first (DEVELOPERS.md), English available.
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "vi": {"flag": "vn", "name": "Tiếng Việt"},
        "en": {"flag": "gb", "name": "English"},
    }

    # Sign-in: FAB's database auth, password hashing and rate limiting.
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_USER_REGISTRATION = False
    # FAB's own limiter counted successes, per process and per IP: replaced by
    # app/login_limits.py (failures only, per account and per address, shared storage).
    AUTH_RATE_LIMITED = False
    LOGIN_LIMITS_ENABLED = _bool("LOGIN_LIMITS_ENABLED", True)
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 100))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", 15))
    # Password policy (app/passwords.py): FAB's user forms and API, and `flask users create`.
    PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", 8))
    PASSWORD_REQUIRE_CLASSES = int(os.environ.get("PASSWORD_REQUIRE_CLASSES", 3))
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    FAB_PASSWORD_COMPLEXITY_VALIDATOR = staticmethod(lambda password: _check_password(password))
    # Password hashing (app/passwords.py, issue 10): scrypt with OWASP's lowest-memory
    # equivalent, N=2^13, r=8, p=10 — 8 MiB and ~0.3 s of one core per sign-in. Werkzeug's
    # default (N=2^15, r=8, p=1) held 32 MiB per sign-in in each worker and is below OWASP's
    # table. Every path that sets a password goes through FAB_PASSWORD_HASH_METHOD; an older
    # hash still verifies and is rehashed at the next successful sign-in.
    # FAB_PASSWORD_HASH_METHOD and FAB's dummy hash follow it (app.passwords.init_password_hashing).
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt:8192:8:10")
    FAB_PASSWORD_HASH_SALT_LENGTH = 16
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    FAB_API_SWAGGER_UI = True
    # The OpenAPI document and Swagger UI are app/api/openapi.py's (complete, offline, Vietnamese).
    FAB_ADD_OPENAPI_VIEWS = False
    FAB_ADD_SECURITY_API = True
    FAB_UPDATE_PERMS = False  # roles are data, synced by `flask roles sync`
    FAB_ROLES_MAPPING = {}
    # FAB's raw permission lists (English identifiers) are not in the menu; the
    # Admin reads the role matrix in Vietnamese (Security → Quyền của các vai trò).
    FAB_ADD_SECURITY_PERMISSION_VIEW = False
    FAB_ADD_SECURITY_VIEW_MENU_VIEW = False
    FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW = False
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    JWT_ACCESS_TOKEN_EXPIRES = 3600
    JWT_REFRESH_TOKEN_EXPIRES = int(
        os.environ.get("SESSION_LIFETIME_HOURS", 9)) * 3600

    # Sessions end after a working day, or after SESSION_IDLE_MINUTES without a request.
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_HOURS", 9)) * 3600
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 120))
    REMEMBER_COOKIE_DURATION = PERMANENT_SESSION_LIFETIME

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # officials keep a form open for a long time
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Attachments (Art. 4.8): stored outside the static folder, served through a
    # view that applies the row-level rule.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_ATTACHMENT_BYTES = int(os.environ.get("MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 60 * 1024 * 1024))
    # The Office's download of every answer to an ad-hoc report request (one ZIP): refused above
    # this many bytes of files in all (app/services/report_requests.py answers_zip).
    REPORT_ZIP_MAX_BYTES = int(os.environ.get("REPORT_ZIP_MAX_BYTES", 500 * 1024 * 1024))
    ATTACHMENT_EXTENSIONS = {"pdf", "docx", "doc", "xlsx", "xls", "png", "jpg", "jpeg"}

    # Reminders (app/domain/reminders.py): working days before the deadline,
    # on the day, then every N working days while overdue.
    REMINDER_DAYS_BEFORE = os.environ.get("REMINDER_DAYS_BEFORE", "3")
    REMINDER_ON_THE_DAY = _bool("REMINDER_ON_THE_DAY", True)
    REMINDER_OVERDUE_EVERY = int(os.environ.get("REMINDER_OVERDUE_EVERY", 2))
    # Daily sweep time, Vietnam time (the cron schedule is converted to UTC).
    SWEEP_AT = os.environ.get("SWEEP_AT", "07:00")
    JOB_TIMEOUT = int(os.environ.get("JOB_TIMEOUT", 1800))

    # Mail: SMTP when MAIL_SERVER is set; otherwise every mail is written to the
    # outbox folder as a .eml file (development).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "theodoinhiemvu@khanhhoa.gov.vn")
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", str(INSTANCE_DIR / "outbox"))
    # Urging letters (Decree 30/2020/NĐ-CP): the number's suffix and the default signature.
    LETTER_NUMBER_SUFFIX = os.environ.get("LETTER_NUMBER_SUFFIX", "/VP-TH")
    LETTER_SIGNER_AUTHORITY = os.environ.get("LETTER_SIGNER_AUTHORITY", "KT. CHÁNH VĂN PHÒNG")
    LETTER_SIGNER_POSITION = os.environ.get("LETTER_SIGNER_POSITION", "PHÓ CHÁNH VĂN PHÒNG")
    LETTER_SIGNER_NAME = os.environ.get("LETTER_SIGNER_NAME", "")
    # Links in mails point here.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    # The task list's Excel export (issue 10): at most this many rows in one file (a last line
    # says when the list holds more), read this many at a time so a worker stays small.
    EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", 20000))
    EXPORT_CHUNK_ROWS = int(os.environ.get("EXPORT_CHUNK_ROWS", 1000))
    # A periodic report's PDF/DOCX prints at most this many lines of Phụ lục II (and of
    # Section III), with a note that the full list is in its XLSX (issue 10: the PDF
    # renderer's memory grows with the document); the figures are always complete.
    REPORT_PRINT_MAX_ROWS = int(os.environ.get("REPORT_PRINT_MAX_ROWS", 500))
    # … and of Section III's lines (one per late or overdue task, with its reason): they are
    # in the report's body, laid out in one piece (only Phụ lục II is laid out in parts).
    REPORT_PRINT_MAX_REASONS = int(os.environ.get("REPORT_PRINT_MAX_REASONS", 100))
    # Section III's late or overdue tasks per page of the report's web page.
    REPORT_PAGE_ROWS = int(os.environ.get("REPORT_PAGE_ROWS", 100))

    # Working days before the deadline when a task counts as due soon (SPEC §4.5).
    DUE_SOON_WORKING_DAYS = int(os.environ.get("DUE_SOON_WORKING_DAYS", 3))

    # Asking for direction (issue 13). Art. 6.3: fewer working days than this between a higher
    # authority's receipt and its deadline is "short" (the entry screen warns). The ladder on an
    # overdue task: an urging letter after N working days overdue, a proposal to the Chairman after M.
    SHORT_TIME_WORKING_DAYS = int(os.environ.get("SHORT_TIME_WORKING_DAYS", 5))
    LADDER_LETTER_AFTER = int(os.environ.get("LADDER_LETTER_AFTER", 3))
    LADDER_PROPOSAL_AFTER = int(os.environ.get("LADDER_PROPOSAL_AFTER", 10))

    # Intake (issue 12): the organisation codes (mã định danh) that are the Province's own
    # Committee in edXML messages (Art. 6.1; any other sender is a higher authority, Art. 6.3),
    # comma-separated. H32 is Khánh Hòa in QĐ 20/2020/QĐ-TTg's list as we read it: confirm
    # it with the province's document system; the Admin may also give the Office its code.
    EDXML_PROVINCE_CODES = tuple(c.strip() for c in os.environ.get(
        "EDXML_PROVINCE_CODES", "000.00.00.H32").split(",") if c.strip())
    EDXML_PROVINCE_NAME = os.environ.get("EDXML_PROVINCE_NAME", "UBND tỉnh Khánh Hòa")



    FAB_CREATE_DB = False  # the schema is Alembic's (flask db upgrade)
