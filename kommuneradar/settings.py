"""Settings read from the environment through small typed helpers that fail loudly.

SQLite by default so that a fresh clone runs with no server; PostgreSQL when
DATABASE_URL is set; Redis as the shared cache when CACHE_URL is set.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string setting; `<NAME>_FILE` names a file holding the value (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # django-ninja's own static files: the pinned Swagger UI of the API docs (no CDN).
    "ninja",
    # Background tasks (imports, edition computation): Django 6's tasks framework as a
    # backport, and its database backend with the `db_worker` command (TASKS below).
    "django_tasks",
    "django_tasks_db",
    "kommuneradar.core",
    # After core, whose copies of Django's widget templates carry DKFDS's classes.
    "django.forms",
    "kommuneradar.accounts",
    "kommuneradar.places",
    "kommuneradar.catalog",
    "kommuneradar.surveys",
    "kommuneradar.radar",
    "kommuneradar.cases",
    "kommuneradar.benefits",
    "kommuneradar.network",
    "kommuneradar.automation",
    "kommuneradar.outlook",
    "kommuneradar.api",
    "kommuneradar.demo",
]

FORM_RENDERER = "kommuneradar.core.forms.DesignSystemRenderer"

MIDDLEWARE = [
    "kommuneradar.core.middleware.HealthCheckMiddleware",
    "kommuneradar.core.middleware.AccessLogUserMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kommuneradar.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kommuneradar.core.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kommuneradar.core.middleware.PrivateWhenLoggedInMiddleware",
    "kommuneradar.core.middleware.RateLimitMiddleware",
    "kommuneradar.accounts.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kommuneradar.urls"
WSGI_APPLICATION = "kommuneradar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kommuneradar.demo.context_processors.demo_banner",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server-side cursor (QuerySet.iterator) here always reads its whole result: plan for
    # all its rows, not the first tenth (PostgreSQL's default), which picks plans that make
    # a large GROUP BY several times slower. A connection pooler that refuses startup
    # options (PgBouncer) gets DATABASE_STARTUP_OPTIONS="" and the role the same setting
    # (docs/operations.md).
    startup_options = env_str("DATABASE_STARTUP_OPTIONS", "-c cursor_tuple_fraction=1.0")
    if startup_options:
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("options", startup_options)

# Background tasks (docs/architecture.md, "Long jobs run in the background"): "database"
# stores each task in the database for `manage.py db_worker` (another process, on any
# machine sharing the database; `make run` and `make serve` start one) to run; "immediate"
# runs it at once inside the request that starts it, so nothing else need run (the tests).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(sorted(TASK_BACKENDS))}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# A job that has reported no progress for this long is shown as stalled (its worker was
# stopped, or none runs), and may be started again (surveys.jobs.stalled).
JOB_STALLED_AFTER_MINUTES = env_int("JOB_STALLED_AFTER_MINUTES", 30)
if JOB_STALLED_AFTER_MINUTES < 1:
    raise ImproperlyConfigured("JOB_STALLED_AFTER_MINUTES must be at least 1")
# After a round is published or corrected, a task renders its PDF report into the cache
# (radar.tasks.build_report); the test settings turn it off where a test does not ask for it.
BUILD_REPORT_AFTER_PUBLISHING = True
# ... and computes the radars and technology pages' figures (radar.tasks.warm_pages).
WARM_PAGES_AFTER_PUBLISHING = True
# When a round is published or corrected, or a follow-up or enrolment changes, a task fits
# the outlook (outlook.tasks.fit) so that no request has to; off in the test settings.
FIT_OUTLOOK_AFTER_CHANGES = True
# Up to this many places (municipalities, organisations) a page that finds the outlook not
# yet fitted fits it itself (a second or so); with more, it says the outlook is being
# computed and a worker fits it (tens of seconds at 10,000).
OUTLOOK_FIT_IN_REQUEST_MAX = env_int("OUTLOOK_FIT_IN_REQUEST_MAX", 1000)

CACHE_URL = env_str("CACHE_URL")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// address")
    CACHES = {"default": {"BACKEND": "kommuneradar.core.cache.RedisCache", "LOCATION": CACHE_URL}}
elif TASKS_BACKEND == "database":
    # The worker publishes editions in another process, and its bump of the published-data
    # version (core/published.py) must reach the web process: without Redis, the processes
    # of one machine share a cache on disk.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole rendered pages of published data are kept for anonymous visitors (core/published.py).
PUBLISHED_PAGE_CACHE = True

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kommuneradar.accounts.backends.EmailOrUsernameBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "radar:home"
# How long an editor's invitation link works (days); a password reset link: PASSWORD_RESET_DAYS.
ACCOUNT_INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_DAYS", 3) * 24 * 3600

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded files (the automation pipeline's attachments). Never served directly: every
# download goes through a view that asks accounts.access (no MEDIA_URL).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kommuneradar@localhost")
# Personal data (docs/privacy.md): whom to ask about it (shown on /privatliv/), and how long
# a published round keeps its respondents' names and addresses (purge_personal_data).
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# Whom readers of the accessibility statement (/tilgaengelighed/) write to about a barrier.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", PRIVACY_CONTACT_EMAIL)
RESPONDENT_RETENTION_DAYS = env_int("RESPONDENT_RETENTION_DAYS", 365)

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True  # read by the server only; the site needs no script for it
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes /healthz over plain http (core.middleware answers it first anyway).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Hardening (docs/architecture.md, "Hardening").
# The development default is the console; with DEBUG off the check core.E001 refuses to start
# on an e-mail backend that sends nothing, unless ALLOW_NON_SMTP_EMAIL says so explicitly.
ALLOW_NON_SMTP_EMAIL = env_bool("ALLOW_NON_SMTP_EMAIL", default=False)

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account, the
# account is locked for LOGIN_COOLOFF_MINUTES; each further failure starts the wait again.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
# Per account only: a per-address lockout would lock out a whole town hall behind one NAT
# address after a few typos. Guessing from one address is slowed by RATE_LIMITS["login"]
# instead, which is why axes' warning about this choice is silenced.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "kommuneradar.accounts.backends.account_name"
AXES_LOCKOUT_CALLABLE = "kommuneradar.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# No log of every successful login with address and browser: User.last_login is all we show.
AXES_DISABLE_ACCESS_LOG = True

# Requests per client address, counted in the shared cache (CACHES["default"]): "N/s|m|h|d".
RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "30/m"),
    "api": env_str("RATE_LIMIT_API", "300/m"),
    # the questionnaire, invitation and password-reset links, whose URL holds a key
    "token_link": env_str("RATE_LIMIT_TOKEN_LINK", "120/m"),
}
# Behind a reverse proxy the client's address is in a header the proxy sets (for example
# HTTP_X_REAL_IP); REMOTE_ADDR would count every visitor as the proxy.
RATELIMIT_IP_META_KEY = env_str("RATE_LIMIT_IP_HEADER") or None

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = [
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "battery",
    "bluetooth",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# Logs go to stdout; one JSON object per line in production (LOG_FORMAT=json), plain text
# when DEBUG is on. gunicorn's access log is JSON too (kommuneradar/gunicorn_conf.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "kommuneradar.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
