"""The commission's minutes as a PDF: the structure, the facts written in it, and deterministic output."""

from __future__ import annotations

import pytest
from django.utils import timezone

from excon.applications import services
from excon.applications.minutes import meeting_minutes_pdf
from excon.applications.models import Application, CommissionMeeting

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db


def _decided_meeting(world: World) -> tuple[CommissionMeeting, Application]:
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    for referral in application.referrals.select_related("department"):
        kind = referral.department.department_kind
        services.advice_give(actor=world.members[kind], referral=referral, advice_type="approve", rationale="ok")
    services.application_mark_ready(actor=world.officer, application=application)
    meeting = services.meeting_create(actor=world.officer, scheduled_for=timezone.now(), quorum_minimum=2)
    present = [world.members["defence"], world.members["foreign_affairs"]]
    services.meeting_set_members(
        actor=world.officer,
        meeting=meeting,
        member_ids=[m.pk for m in [*present, world.members["economy"]]],
        present_ids=[m.pk for m in present],
    )
    item = services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    services.meeting_open(actor=world.officer, meeting=meeting)
    services.vote_cast(actor=world.members["defence"], item=item, vote="refuse")
    decision = services.decision_record(
        actor=world.senior, item=item, outcome="refuse", refusal_criteria=[7], reasons="Diversion risk"
    )
    services.decision_countersign(actor=world.senior_2, decision=decision)
    services.meeting_close(actor=world.officer, meeting=meeting)
    return meeting, application


def test_minutes_pdf_holds_the_meeting() -> None:
    world = licensing_world()
    meeting, application = _decided_meeting(world)
    pdf = meeting_minutes_pdf(meeting, invariant=True, compress=False)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in pdf
    for text in (
        meeting.reference,
        application.reference,
        "Quorum: met",
        "Consolidated advice of the departments: Approve",
        "Decision: Refuse",  # parentheses are escaped in PDF strings
        "Criterion 7: Risk of diversion",
        "Countersigned by",
        "Absent:",
    ):
        assert text.encode() in pdf, text
    # Invariant mode: the same meeting gives the same bytes; the compressed default is smaller.
    assert meeting_minutes_pdf(meeting, invariant=True, compress=False) == pdf
    assert len(meeting_minutes_pdf(meeting)) < len(pdf)
