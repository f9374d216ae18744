"""Configuration read from the environment, one class per way of running."""
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

HTMX_VERSION = "2.0.11"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


def _instance_secret_key() -> str:
    """A key kept under instance/ so development sessions survive restarts."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    INSTANCE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'dieuhanh.db'}"


# Deadlines are dates and "today" is the district's, whatever the server's zone (app/clock.py).
DISTRICT_TIMEZONE = "Asia/Ho_Chi_Minh"

class Config:
    """Settings shared by every environment; the environment overrides them."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = None  # resolved in create_app so importing config has no side effects
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = DISTRICT_TIMEZONE
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("vi", "en")
    # Off by default: the vendored copy works offline. Set HTMX_USE_CDN=1 to load the pinned CDN file with SRI.
    HTMX_USE_CDN = os.environ.get("HTMX_USE_CDN") == "1"
    # The Redis every app server shares (redis://host:6379/0): the rate limits count there unless
    # RATELIMIT_STORAGE_URI names another store. Nothing else the app keeps lives outside PostgreSQL.
    REDIS_URL = os.environ.get("REDIS_URL")
    # A shared store (redis://...) counts across every worker and server. Without one, each worker process counts
    # for itself, so app/auth/rate_limit.py gives each worker its share of LOGIN_RATE_LIMIT.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    # Keys in the shared store start with this: several portals (or a check run) can share one Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "dieuhanh")
    # While that store is unreachable each worker counts for itself, rather than sign-ins failing with 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Reverse proxies in front of the app servers (HAProxy: 1). Their X-Forwarded-For/-Proto headers are believed
    # for that many hops, so the rate limit and the audit log see the client's address, not the proxy's.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Flask-Compress: text responses compressed by the app, identically behind any proxy or none (README).
    COMPRESS_ALGORITHM = ["zstd", "br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["zstd", "br"]
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")  # per client address, on POST /login
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")  # per API token (per address without one)
    # Per client address, on the public page (/cong-khai): a person paging and searching stays well below it.
    PUBLIC_RATE_LIMIT = os.environ.get("PUBLIC_RATE_LIMIT", "60 per minute")
    LOGIN_MAX_FAILURES = 5  # failed sign-ins in a row that lock the account ...
    LOGIN_LOCKOUT_MINUTES = 15  # ... for this long
    IDLE_TIMEOUT_MINUTES = int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30"))  # unused sessions end
    SESSION_LIFETIME_HOURS = int(os.environ.get("SESSION_LIFETIME_HOURS", "12"))  # and every session ends after this
    # Request bodies: no form of the portal comes near these; larger requests get 413 before they are parsed.
    # A route that accepts uploads raises its own limit (app/request_limits.py), never the site-wide one.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = int(os.environ.get("MAX_FORM_MEMORY_SIZE", str(512 * 1024)))
    PAGE_SIZE = 25
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))  # an uploaded .xlsx, at most
    # Evidence files (app/evidence): each at most this large, at most this many in one form; the upload routes
    # alone accept a body of their total (app/request_limits.py), every other route keeps MAX_CONTENT_LENGTH.
    ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
    ATTACHMENT_MAX_FILES = 5
    TEAM_MIN_MEMBERS = 3  # active members, the leader among them, before a team counts toward coverage
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so a long form is not lost
    STRICT_TRANSPORT_SECURITY = None  # the HSTS header, sent only where the site is served over HTTPS
    PG_BIN_DIR = os.environ.get("PG_BIN_DIR")  # where pg_dump/pg_restore are, when not on PATH
    # Email (app/mail.py): without SMTP_HOST, notifications stay in the portal (the bell) only.
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "1") == "1"
    SMTP_TIMEOUT = 30
    MAIL_FROM = os.environ.get("MAIL_FROM", "")
    # The address of the portal that emails link to, e.g. https://dieuhanh.phuninh.gov.vn
    PORTAL_URL = os.environ.get("PORTAL_URL", "")
    DIGEST_TIME = os.environ.get("DIGEST_TIME", "07:00")  # the daily digest, Asia/Ho_Chi_Minh
    EMAIL_MAX_ATTEMPTS = 5  # then the message is shown to administrators as failed
    EMAIL_RETRY_MINUTES = 5  # the first retry; each next one waits twice as long


class DevelopmentConfig(Config):
    """Local demo: SQLite under instance/, key kept under instance/."""

    DEBUG = False


class ProductionConfig(Config):
    """Behind TLS: cookies only over HTTPS; SECRET_KEY and DATABASE_URL must be set."""

    SESSION_COOKIE_SECURE = True
    # __Host-: the browser accepts the cookie only over HTTPS, for Path=/ and without a Domain, so no sibling
    # subdomain can plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"


class TestConfig(Config):
    """The test suite: CSRF off except in the tests that switch it on, a fixed key."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def resolve(config_class: type[Config]) -> dict:
    """The settings of a class with the environment-dependent values filled in."""
    settings = {k: getattr(config_class, k) for k in dir(config_class) if k.isupper()}
    if not settings.get("SECRET_KEY"):
        if config_class is ProductionConfig:
            raise RuntimeError("SECRET_KEY must be set in production")
        settings["SECRET_KEY"] = _instance_secret_key()
    if not settings.get("SQLALCHEMY_DATABASE_URI"):
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url()
    return settings
