"""Typed audit verbs: audit_record() takes only members of a registered AuditVerb enum, and every declared verb
has its own label."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from excon.audit.labels import is_registered, register_verbs, verb_choices, verb_label
from excon.audit.models import AuditEntry
from excon.audit.services import audit_record

from .verbs import SampleVerb

pytestmark = pytest.mark.django_db


class UnregisteredVerb(models.TextChoices):
    STRAY = "test.stray", "Never declared"


@pytest.mark.parametrize("verb", ["test.created", "product.created", UnregisteredVerb.STRAY])
def test_a_free_string_or_undeclared_enum_is_refused(verb: object) -> None:
    with pytest.raises(TypeError, match="registered AuditVerb"):
        audit_record(actor=None, verb=verb)  # type: ignore[arg-type]
    assert not AuditEntry.objects.exists()


def test_the_string_value_is_stored() -> None:
    entry = audit_record(actor=None, verb=SampleVerb.CREATED)
    entry.refresh_from_db()
    assert entry.verb == "test.created"
    assert type(entry.verb) is str


def test_every_app_declares_its_verbs_with_labels() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("excon.") or config.label in {"core", "audit", "demo"}:
            continue
        enums = __import__(f"{config.name}.enums", fromlist=["AuditVerb"])
        verbs = enums.AuditVerb
        assert is_registered(next(iter(verbs))), config.label
        for verb in verbs:
            assert verb_label(verb.value) == verb.label != ""


def test_a_verb_declared_twice_with_another_label_is_refused() -> None:
    class Clash(models.TextChoices):
        CREATED = "test.created", "Something else"

    with pytest.raises(ValueError, match="declared twice"):
        register_verbs(Clash)


def test_filter_choices_show_labels_in_order() -> None:
    assert verb_choices(["test.updated", "test.created"]) == [
        ("test.updated", "Changed a test thing"),
        ("test.created", "Created a test thing"),
    ]
