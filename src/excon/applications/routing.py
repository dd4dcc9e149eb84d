"""Routing rules: which departments must advise on a case (pure evaluation over the case's facts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from excon.refdata.codes import entry_under


@dataclass(frozen=True)
class CaseFacts:
    control_entries: frozenset[str]
    destination: str
    destination_groups: frozenset[str]
    total_value: Decimal
    party_kinds: frozenset[str]
    check_outcomes: frozenset[str] = field(default_factory=frozenset)  # "screening:warning", "risk:fail", …


class RuleLike(Protocol):
    name: str
    control_entry_prefixes: Any
    destinations: Any
    destination_groups: Any
    min_total_value: Decimal | None
    party_kinds: Any
    check_outcomes: Any
    departments: Any
    due_working_days: int
    requires_countersignature: bool


def _prefix_match(entries: frozenset[str], prefixes: Iterable[str]) -> bool:
    return any(entry_under(entry, prefix) for entry in entries for prefix in prefixes)


def rule_matches(rule: RuleLike, facts: CaseFacts) -> bool:
    """Every condition the rule states must hold; a condition left empty holds for every case."""
    if rule.control_entry_prefixes and not _prefix_match(facts.control_entries, rule.control_entry_prefixes):
        return False
    if rule.destinations and facts.destination not in {code.upper() for code in rule.destinations}:
        return False
    if rule.destination_groups and not facts.destination_groups & set(rule.destination_groups):
        return False
    if rule.min_total_value is not None and facts.total_value < rule.min_total_value:
        return False
    if rule.party_kinds and not facts.party_kinds & set(rule.party_kinds):
        return False
    return not (rule.check_outcomes and not facts.check_outcomes & set(rule.check_outcomes))


@dataclass
class RoutingDecision:
    department: str
    due_working_days: int
    requires_countersignature: bool
    rules: list[str]


def route(facts: CaseFacts, rules: Iterable[RuleLike]) -> dict[str, RoutingDecision]:
    """Department kind → what is asked of it: the shortest due time and any countersignature demand win."""
    decisions: dict[str, RoutingDecision] = {}
    for rule in rules:
        if not rule_matches(rule, facts):
            continue
        for department in rule.departments:
            current = decisions.get(department)
            if current is None:
                decisions[department] = RoutingDecision(
                    department, rule.due_working_days, rule.requires_countersignature, [rule.name]
                )
            else:
                current.due_working_days = min(current.due_working_days, rule.due_working_days)
                current.requires_countersignature |= rule.requires_countersignature
                current.rules.append(rule.name)
    return decisions
