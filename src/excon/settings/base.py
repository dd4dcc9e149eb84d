"""Settings shared by every environment. Every value that differs between machines comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from excon.core.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# All state (the embedded database, uploaded files, signing keys) lives under one folder so one variable moves it.
DATA_DIR = Path(os.environ.get("EXCON_DATA_DIR", "./var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
# Key rotation: the previous keys, still accepted for signatures made before the change (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves static files in every mode, also under `runserver` (the demo runs with DEBUG off)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "axes",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from our own static files (no CDN, no inline script)
    "django_prometheus",
    "excon.core",
    "excon.audit",
    "excon.accounts",
    "excon.refdata",
    "excon.products",
    "excon.screening",
    "excon.notifications",
    "excon.applications",
    "excon.licences",
    "excon.supply",
    "excon.regime",
    "excon.reports",
    "excon.demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "excon.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "excon.core.addresses.BaseUrlMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "excon.accounts.middleware.SessionLifetimeMiddleware",
    "excon.accounts.middleware.RequireMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "excon.urls"
WSGI_APPLICATION = "excon.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "excon.core.context_processors.navigation",
            ],
            "builtins": ["excon.core.templatetags.excon"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'excon.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A persistent connection is checked before reuse, so a PostgreSQL restart costs no request after it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent writers on the embedded database: WAL lets readers go on while one writes, the busy timeout makes
    # a writer wait for the lock instead of failing, and IMMEDIATE transactions take the write lock at BEGIN, so
    # no transaction that has read can later fail to upgrade its lock ("database is locked", which the busy
    # timeout cannot help with).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Content-Security-Policy (django-csp): scripts, styles, fonts and connections from our own origin only, no inline
# script or style anywhere (templates load static files), no framing, forms post only to us. Images may also be
# data: URIs (govuk-frontend's and Swagger UI's icons, the licence QR code preview).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after EXCON_SESSION_IDLE_MINUTES without a request, and in any case EXCON_SESSION_MAX_HOURS after
# sign-in. The idle clock is refreshed by excon.accounts.middleware.SessionLifetimeMiddleware at most once a
# minute, so a page view does not write the session row every time (SESSION_SAVE_EVERY_REQUEST stays off).
SESSION_COOKIE_AGE = int(os.environ.get("EXCON_SESSION_IDLE_MINUTES", "60")) * 60
EXCON_SESSION_MAX_AGE = int(float(os.environ.get("EXCON_SESSION_MAX_HOURS", "12")) * 60 * 60)
EXCON_SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-axes: after EXCON_LOGIN_FAILURE_LIMIT failed logins, lock the account whatever address the attempts come
# from (password spraying from many addresses), and lock the address whatever accounts it tries (one address
# guessing many accounts), each for EXCON_LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("EXCON_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("EXCON_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Two-factor authentication: government users must verify a TOTP device before they reach any page.
EXCON_REQUIRE_MFA_FOR_GOVERNMENT = env_bool("EXCON_REQUIRE_MFA_FOR_GOVERNMENT", True)
OTP_TOTP_ISSUER = "ExCon"

# Personal API tokens.
EXCON_API_TOKEN_DEFAULT_DAYS = int(os.environ.get("EXCON_API_TOKEN_DEFAULT_DAYS", "90"))
EXCON_API_TOKEN_MAX_DAYS = int(os.environ.get("EXCON_API_TOKEN_MAX_DAYS", "365"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("EXCON_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "files"  # never served directly: files go out only through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads (technical documents, certificates): checked by content, hashed, stored privately under MEDIA_ROOT.
EXCON_UPLOAD_MAX_BYTES = int(os.environ.get("EXCON_UPLOAD_MAX_MB", "50")) * 1024 * 1024
EXCON_UPLOAD_ALLOWED_TYPES = env_list(
    "EXCON_UPLOAD_ALLOWED_TYPES",
    ",".join(
        [
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/tiff",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/zip",
        ]
    ),
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "excon@localhost")

# Celery: eager in the embedded default (no broker needed); Redis in production.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ.get("REDIS_URL", "memory://"))
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Horizontal by design: a task is acknowledged only once it has run, and given back to the queue when its worker
# dies, so a killed worker loses nothing (every task is idempotent); each worker takes one message at a time so
# busy workers do not hoard work. Redis redelivers a message unacknowledged for the visibility timeout (longer than
# the longest task, the nightly re-screening).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("EXCON_TASK_VISIBILITY_SECONDS", "7200"))}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A worker writes its heartbeat to Redis this often; /readyz wants one younger than the TTL.
EXCON_WORKER_HEARTBEAT_TTL = int(os.environ.get("EXCON_WORKER_HEARTBEAT_TTL", "30"))
# The scheduled jobs (run by `celery -A excon.celery beat` in production). Each runs once per slot however many
# beats send it (excon.core.scheduling), so a second beat is harmless.
CELERY_BEAT_SCHEDULE = {
    "expire-licences": {"task": "excon.licences.expire_due_licences", "schedule": 6 * 60 * 60},
    "rescreen-parties": {
        "task": "excon.screening.tasks.rescreen_all",
        "schedule": crontab(hour=2, minute=0),
        "kwargs": {"slot_seconds": 24 * 60 * 60},
    },
    # Open licences' returns (reminders before due, overdue alerts) and temporary exports not back by their date.
    "licence-follow-ups": {
        "task": "excon.licences.licence_follow_ups",
        "schedule": crontab(hour=6, minute=0),
        "kwargs": {"period_seconds": 24 * 60 * 60},
    },
    # Export authorisations past their validity are recorded as expired (docs/regime.md).
    "expire-authorisations": {
        "task": "excon.regime.expire_due_authorisations",
        "schedule": crontab(hour=1, minute=30),
        "kwargs": {"period_seconds": 24 * 60 * 60},
    },
    # A safety net: every audited write already queues a sequencing run on commit.
    "sequence-audit-log": {"task": "excon.audit.sequence", "schedule": 60},
}
# Audit log: seconds a sequencing run waits after the first commit, so writers in that moment share one batch and
# one checkpoint; where the signed checkpoints are appended outside the database; the name the checkpoints carry.
EXCON_AUDIT_SEQUENCING_DELAY = float(os.environ.get("EXCON_AUDIT_SEQUENCING_DELAY", "1"))
EXCON_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("EXCON_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit" / "checkpoints.jsonl"))
)
EXCON_AUDIT_LOG_ORIGIN = os.environ.get("EXCON_AUDIT_LOG_ORIGIN", "excon audit log")
# Where the screening index of each list generation is shared between processes (a folder every web and worker
# process of the installation can read and write; on several hosts, a shared data folder).
EXCON_SCREENING_INDEX_DIR = Path(os.environ.get("EXCON_SCREENING_INDEX_DIR", str(DATA_DIR / "screening-index")))
# /readyz fails when the oldest entry waiting for sequencing has waited longer than this (the sequencer is down).
EXCON_AUDIT_SEQUENCING_MAX_LAG = int(os.environ.get("EXCON_AUDIT_SEQUENCING_MAX_LAG", "300"))
# The public licence verification (page and API together): requests per client address, django-ratelimit syntax.
EXCON_VERIFY_RATE_LIMIT = os.environ.get("EXCON_VERIFY_RATE_LIMIT", "30/m")

# Licensing: how long an exporter may appeal a refusal, in calendar days from the decision.
EXCON_APPEAL_WINDOW_DAYS = int(os.environ.get("EXCON_APPEAL_WINDOW_DAYS", "30"))
# Licences: the default validity of a new licence, in days.
EXCON_LICENCE_VALIDITY_DAYS = int(os.environ.get("EXCON_LICENCE_VALIDITY_DAYS", "730"))
# The longest validity of an open individual licence until the authority sets its own (the licence-type rules page).
EXCON_OPEN_LICENCE_MAX_VALIDITY_DAYS = int(os.environ.get("EXCON_OPEN_LICENCE_MAX_VALIDITY_DAYS", "1095"))
# The public address in e-mails and licence QR codes; unset, the address a request was served at
# (excon.core.addresses).
EXCON_BASE_URL = os.environ.get("EXCON_BASE_URL", "")

EXCON_AUTHORITY_NAME = os.environ.get("EXCON_AUTHORITY_NAME", "National Export Control Authority")
EXCON_DEMO_MODE = env_bool("EXCON_DEMO_MODE", False)
# Shipped snapshots of public lists (screening/data/) that `excon setup` loads while a source has no version in
# force: "un,ofac" by default, "" for none.
EXCON_SHIPPED_LISTS = tuple(
    code.strip() for code in os.environ.get("EXCON_SHIPPED_LISTS", "un,ofac").split(",") if code.strip()
)

# Structured logs (excon.core.logs): JSON lines in production (EXCON_LOG_FORMAT=json), key=value otherwise.
LOGGING_CONFIG = "logging.config.dictConfig"
LOGGING = logging_config(
    json=os.environ.get("EXCON_LOG_FORMAT", "console") == "json", level=os.environ.get("EXCON_LOG_LEVEL", "INFO")
)

# Prometheus metrics at /metrics (excon.core.metrics): only for a bearer token (EXCON_METRICS_TOKEN) or a client
# address inside EXCON_METRICS_ALLOWED_NETWORKS (CIDR list; loopback by default). Neither set: loopback only.
EXCON_METRICS_TOKEN = os.environ.get("EXCON_METRICS_TOKEN", "")
EXCON_METRICS_ALLOWED_NETWORKS = env_list("EXCON_METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
PROMETHEUS_EXPORT_MIGRATIONS = False
