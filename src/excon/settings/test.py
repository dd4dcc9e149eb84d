"""Settings for the test suite: DATABASE_URL picks SQLite (default) or PostgreSQL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STATIC_ROOT

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never outside tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
EXCON_REQUIRE_MFA_FOR_GOVERNMENT = False
EXCON_SHIPPED_LISTS = ("un",)  # the UN snapshot (1,003 entries) keeps demo tests quick; OFAC is tested on its own
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="excon-test-media-"))
EXCON_SCREENING_INDEX_DIR = Path(tempfile.mkdtemp(prefix="excon-test-index-"))
AXES_ENABLED = True
EXCON_VERIFY_RATE_LIMIT = "100000/m"  # the rate-limit test sets its own
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

# WhiteNoise warns when STATIC_ROOT is missing; assets are served from the finders here.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
