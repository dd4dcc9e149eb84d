"""The audit verbs and their readable names. Each app declares its verbs as one TextChoices enum (`AuditVerb` in its
enums.py) and registers it in AppConfig.ready(), so the audit app (at the bottom of the dependency graph) never
imports the apps above it, and audit_record() can refuse a verb nobody declared."""

from __future__ import annotations

from django.db import models

_LABELS: dict[str, str] = {}
_ENUMS: set[type[models.TextChoices]] = set()


def register_verbs(verbs: type[models.TextChoices]) -> None:
    """Declare an app's verbs (values like "product.created", labels like "Registered the product")."""
    clashes = {verb.value for verb in verbs if _LABELS.get(verb.value, verb.label) != verb.label}
    if clashes:
        raise ValueError(f"audit verbs declared twice with different labels: {sorted(clashes)}")
    _ENUMS.add(verbs)
    _LABELS.update({verb.value: str(verb.label) for verb in verbs})


def is_registered(verb: object) -> bool:
    return type(verb) in _ENUMS


def verb_label(verb: str) -> str:
    """The label of a declared verb; an entry older than its declaration still reads sensibly."""
    return _LABELS.get(verb) or verb.replace(".", ": ").replace("_", " ").capitalize()


def verb_choices(verbs: list[str]) -> list[tuple[str, str]]:
    """(value, label) pairs for a filter, ordered by label."""
    return sorted(((verb, verb_label(verb)) for verb in verbs), key=lambda pair: pair[1].lower())
