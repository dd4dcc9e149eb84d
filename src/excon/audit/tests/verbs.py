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
    LATER = "test.later", "A later test step"
    COMMITTED = "test.committed", "A committed test step"
    ONE = "test.one", "First test step"
    TWO = "test.two", "Second test step"
    THREE = "test.three", "Third test step"
    AFTER_MIGRATION = "test.after_the_migration", "A step after the migration"
    CONCURRENT = "test.concurrent", "A concurrent test step"
    PROTECTED = "test.protected", "A protected test step"


register_verbs(SampleVerb)
