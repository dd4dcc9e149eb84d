"""Hooks run when an approving decision becomes final: the extension point through which a higher app takes part
in an approval without applications importing it (the regime counts the approval against its quotas). A hook runs
inside the decision's transaction, after the case's row is locked and before the case moves to decided; a
DomainError it raises refuses the decision and nothing is written. An app registers in its `AppConfig.ready()`:

    from excon.applications.decision_registry import register_approval_hook

    register_approval_hook("quotas", count_approval)   # count_approval(application, decision) -> None
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Application, Decision

ApprovalHook = Callable[["Application", "Decision"], None]

_HOOKS: dict[str, ApprovalHook] = {}


def register_approval_hook(name: str, function: ApprovalHook) -> None:
    """Add a hook under a name (the same name twice is a programming error unless it is the same function)."""
    existing = _HOOKS.get(name)
    if existing is not None and existing is not function:
        raise ValueError(f"an approval hook named {name!r} is already registered ({existing.__module__})")
    _HOOKS[name] = function


def unregister_approval_hook(name: str) -> None:
    _HOOKS.pop(name, None)


def run_approval_hooks(application: Application, decision: Decision) -> None:
    """Every registered hook, in name order."""
    for name in sorted(_HOOKS):
        _HOOKS[name](application, decision)
