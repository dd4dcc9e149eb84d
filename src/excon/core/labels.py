"""What a code reads as on a page: every app registers the labels of its codes here once (its TextChoices, the
codes of its checks and refusals), and templates show `{{ value|label }}` (`excon.core.templatetags.excon`).
The API and the database keep the codes; only pages show the words.

A code nobody registered still reads as words ("no_capacity" → "No capacity", "application.no_capacity_declared"
→ "No capacity declared"), so a new code never shows raw; registering it gives it its proper label. Labels of
one kind (`kind="department"`) are looked up first when the template names the kind, then the shared table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Choices

_LABELS: dict[str, str] = {}
_KINDS: dict[str, dict[str, str]] = {}


def register_labels(labels: type[Choices] | Mapping[str, str] | Iterable[tuple[str, str]], *, kind: str = "") -> None:
    """Register labels: a Django choices class, a mapping or (code, label) pairs. The first label registered for a
    code in the shared table stays (an app cannot silently rename another's code); a kind has its own table."""
    if isinstance(labels, type) and issubclass(labels, Choices):
        pairs: Iterable[tuple[Any, Any]] = labels.choices
    elif isinstance(labels, Mapping):
        pairs = labels.items()
    else:
        pairs = labels
    table = _KINDS.setdefault(kind, {}) if kind else None
    for code, text in pairs:
        key, words = str(code), str(text)
        if table is not None:
            table[key] = words
        _LABELS.setdefault(key, words)


def humanise(code: str) -> str:
    """Words for a code nobody labelled: the part after the last dot, underscores as spaces, capitalised."""
    last = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return last[:1].upper() + last[1:] if last else code


def label(code: Any, kind: str = "") -> str:
    if code is None or code == "":
        return ""
    key = str(code)
    if kind and key in _KINDS.get(kind, {}):
        return _KINDS[kind][key]
    return _LABELS.get(key) or humanise(key)


def is_labelled(code: Any) -> bool:
    return str(code) in _LABELS


def labels(codes: Iterable[Any], kind: str = "") -> str:
    """Several codes as one line of words: "Ministry of Defence, Ministry of Foreign Affairs"."""
    return ", ".join(label(code, kind) for code in codes or ())


def register_module_labels(module: Any) -> None:
    """Register every choices class of an app's `enums` module, each also under its class name as the kind
    (`{{ party.kind|label:"PartyKind" }}`), so an app's codes get their labels with one line in `ready()`."""
    for name, value in vars(module).items():
        if isinstance(value, type) and issubclass(value, Choices) and value.__module__ == module.__name__:
            register_labels(value, kind=name)
