"""Concurrent advice and votes on PostgreSQL: real threads, real row locks, no lost updates and no double votes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from excon.applications import services
from excon.applications.enums import ReferralStatus
from excon.applications.models import MemberVote
from excon.core.errors import DomainError

from .factories import complete_draft, licensing_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at the same moment in its own thread (own connection); return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL (SQLite serialises every writer)")


def test_departments_advising_at_once_lose_nothing() -> None:
    world = licensing_world()
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    referrals = list(application.referrals.select_related("department"))
    calls = [
        (
            lambda referral=referral: services.advice_give(
                actor=world.members[referral.department.department_kind],
                referral=referral,
                advice_type="approve",
                rationale="concurrent",
            )
        )
        for referral in referrals
    ]
    results = run_together(calls)
    assert not [result for result in results if isinstance(result, Exception)], results
    statuses = set(application.referrals.values_list("status", flat=True))
    assert statuses == {ReferralStatus.COMPLETE}
    assert sum(referral.advice.count() for referral in application.referrals.all()) == len(referrals)


def test_one_member_voting_twice_at_once_counts_once_and_others_all_count() -> None:
    world = licensing_world()
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    for referral in application.referrals.select_related("department"):
        services.advice_give(
            actor=world.members[referral.department.department_kind],
            referral=referral,
            advice_type="approve",
            rationale="ok",
        )
    services.application_mark_ready(actor=world.officer, application=application)
    meeting = services.meeting_create(actor=world.officer, scheduled_for=timezone.now(), quorum_minimum=1)
    members = list(world.members.values())
    services.meeting_set_members(
        actor=world.officer, meeting=meeting, member_ids=[m.pk for m in members], present_ids=[m.pk for m in members]
    )
    item = services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    services.meeting_open(actor=world.officer, meeting=meeting)
    defence = world.members["defence"]
    calls = [lambda: services.vote_cast(actor=defence, item=item, vote="approve") for _ in range(4)]
    calls += [
        lambda member=member: services.vote_cast(actor=member, item=item, vote="approve") for member in members[1:]
    ]
    results = run_together(calls)
    duplicates = [result for result in results if isinstance(result, DomainError)]
    assert [error.code for error in duplicates] == ["vote.duplicate"] * 3
    assert MemberVote.objects.filter(item=item, member=defence).count() == 1
    assert MemberVote.objects.filter(item=item).count() == len(members)
