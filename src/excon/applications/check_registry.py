"""The registry of automatic checks run on submission: the extension point through which any app adds a check
without applications importing it. An app registers its checks in its `AppConfig.ready()`:

    from excon.applications.check_registry import CheckReport, register_check

    def check_domestic_supply(application: Application) -> CheckReport: ...

    register_check("domestic_supply", label="Domestic supply first", order=60, function=check_domestic_supply)

Checks run in `order` (ties by name). A check that needs the destination is skipped while it is missing (the
completeness check then reports it). A check's `name` is what a CheckResult row stores, what routing rules name
("domestic_supply:fail") and what the API returns, so it must never change once results carry it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .enums import CheckOutcome

if TYPE_CHECKING:
    from .models import Application


@dataclass
class CheckReport:
    """What a check reports: the outcome, a one-line summary for the case officer, and details with figures and a
    stable `code` for every problem."""

    check: str
    outcome: CheckOutcome
    summary: str
    mandatory: bool = True
    details: dict[str, Any] = field(default_factory=dict)


CheckFunction = Callable[["Application"], CheckReport]


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    label: str
    order: int
    function: CheckFunction
    needs_destination: bool = True


_CHECKS: dict[str, RegisteredCheck] = {}


def register_check(
    name: str, *, label: str, order: int, function: CheckFunction, needs_destination: bool = True
) -> RegisteredCheck:
    """Add a check to every submission from now on. Registering the same name twice is a programming error (two
    apps would write results under one name), unless it is the very same function (ready() run again)."""
    name = str(name)  # a TextChoices member is stored as its plain value
    existing = _CHECKS.get(name)
    if existing is not None and existing.function is not function:
        raise ValueError(f"a check named {name!r} is already registered ({existing.function.__module__})")
    check = RegisteredCheck(name=name, label=label, order=order, function=function, needs_destination=needs_destination)
    _CHECKS[name] = check
    return check


def unregister_check(name: str) -> None:
    """Remove a check (tests that register their own check remove it again in teardown)."""
    _CHECKS.pop(name, None)


def registered_checks() -> list[RegisteredCheck]:
    return sorted(_CHECKS.values(), key=lambda check: (check.order, check.name))


def check_names() -> list[str]:
    return [check.name for check in registered_checks()]


def check_label(name: str) -> str:
    """The label of a check, or its name when the check is no longer registered (old results keep showing)."""
    check = _CHECKS.get(name)
    return check.label if check is not None else name.replace("_", " ").capitalize()


def run_checks(application: Application) -> list[CheckReport]:
    """Every registered check on the application, in order; without a destination, only those that need none."""
    has_destination = application.destination_id is not None
    return [
        check.function(application) for check in registered_checks() if has_destination or not check.needs_destination
    ]
