from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "excon.screening"
    label = "screening"
    verbose_name = "Sanctions and denied-party screening"
    default_auto_field = "django.db.models.BigAutoField"
