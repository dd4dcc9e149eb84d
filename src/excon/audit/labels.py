"""Readable names of audit verbs for history pages. Each app registers its own in AppConfig.ready(), so the
audit app (at the bottom of the dependency graph) never imports the apps above it."""

from __future__ import annotations

_LABELS: dict[str, str] = {}


def register_verb_labels(labels: dict[str, str]) -> None:
    _LABELS.update(labels)


def verb_label(verb: str) -> str:
    return _LABELS.get(verb) or verb.replace(".", ": ").replace("_", " ").capitalize()
