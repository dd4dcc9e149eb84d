"""Celery application: Redis-backed in production, eager (in-process) in the embedded default."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "excon.settings.dev")

app = Celery("excon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
