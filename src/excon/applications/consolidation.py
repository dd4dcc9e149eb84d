"""How departments' advice is consolidated (pure rules, no database).

- nothing yet, or some departments still to answer → pending
- every department approves or has no objection → approve
- approvals with at least one proviso, and no refusal → approve with provisos
- every department refuses → refuse
- refusal beside approval → conflicting: the case officer must resolve it, and the case shows it as such
"""

from __future__ import annotations

from collections.abc import Iterable

from .enums import AdviceType, ConsolidatedAdvice


def consolidate(advice_types: Iterable[str], *, outstanding: int = 0) -> ConsolidatedAdvice:
    kinds = list(advice_types)
    if outstanding or not kinds:
        return ConsolidatedAdvice.PENDING
    refusals = sum(1 for kind in kinds if kind == AdviceType.REFUSE)
    if refusals == len(kinds):
        return ConsolidatedAdvice.REFUSE
    if refusals:
        return ConsolidatedAdvice.CONFLICTING
    if any(kind == AdviceType.APPROVE_WITH_PROVISOS for kind in kinds):
        return ConsolidatedAdvice.APPROVE_WITH_PROVISOS
    return ConsolidatedAdvice.APPROVE
