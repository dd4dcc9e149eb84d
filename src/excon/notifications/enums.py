"""Vocabulary of the notifications app."""

from __future__ import annotations

from django.db import models


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    INBOX_READ = "inbox.read", "Read inbox messages"
