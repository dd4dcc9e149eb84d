"""Verbs only the audit app's own tests write (audit_record refuses any verb that no app declared)."""

from __future__ import annotations

from django.db import models

from excon.audit.labels import register_verbs


class SampleVerb(models.TextChoices):
    CREATED = "test.created", "Created a test thing"
    SYSTEM = "test.system", "A system test step"
    UPDATED = "test.updated", "Changed a test thing"
    TYPES = "test.types", "Recorded typed values"
    DOOMED = "test.doomed", "A step that rolls back"
    THING_DONE = "test.thing_done", "Did a test thing"


register_verbs(SampleVerb)
