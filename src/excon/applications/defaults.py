"""The routing rules a new installation starts with. The authority edits them afterwards (pages and API); they
are created only when no rule exists, so `excon setup` never overwrites the authority's rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from .models import RoutingRule
from .services import routing_rule_create

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "name": "Every case: defence and foreign affairs",
        "priority": 10,
        "departments": ["defence", "foreign_affairs"],
        "due_working_days": 10,
    },
    {
        "name": "Screening, embargo or risk warnings: security service",
        "priority": 20,
        "check_outcomes": ["screening:warning", "embargo:warning", "risk:warning"],
        "departments": ["security"],
        "due_working_days": 10,
    },
    {
        "name": "Commercial or private end users: security service",
        "priority": 30,
        "party_kinds": ["commercial", "individual"],
        "departments": ["security"],
        "due_working_days": 10,
    },
    {
        "name": "Contracts of 1,000,000 or more: economy",
        "priority": 40,
        "min_total_value": Decimal("1000000"),
        "departments": ["economy"],
        "due_working_days": 15,
    },
    {
        "name": "Missiles, warships and military aircraft: countersigned advice",
        "priority": 50,
        "control_entry_prefixes": ["ML4", "ML9", "ML10"],
        "departments": ["defence", "foreign_affairs"],
        "due_working_days": 15,
        "requires_countersignature": True,
    },
]


@transaction.atomic
def ensure_default_routing_rules() -> int:
    if RoutingRule.objects.exists():
        return 0
    for rule in DEFAULT_RULES:
        routing_rule_create(actor=None, **rule)
    return len(DEFAULT_RULES)
