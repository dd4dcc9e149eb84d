"""The case officer's case page and casework (issue 12): what a member absent from the commission is told when
they try to vote; the next step and who must act; referrals by hand; internal case notes."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from excon.applications import selectors, services
from excon.applications.models import MemberVote
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from excon.core.roles import DepartmentKind, Role
from excon.notifications.models import InboxMessage

from .factories import World, licensing_world
from .test_api import bearer, code_of
from .test_pages import client_for
from .test_services import _advise_all, _meeting, _ready, _submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


# An absent commission member ------------------------------------------------------------------------------------


def _absent_member(world: World):  # type: ignore[no-untyped-def]
    application = _ready(world)
    meeting, item = _meeting(world, application)
    absent = world.members["economy"]
    meeting.members.filter(user=absent).update(present=False)
    return item, absent


def test_an_absent_member_is_refused_with_the_reason(world: World) -> None:
    item, absent = _absent_member(world)
    with pytest.raises(PermissionDenied) as excinfo:
        services.vote_cast(actor=absent, item=item, vote="approve")
    assert excinfo.value.code == "vote.member_absent"
    assert "absent" in str(excinfo.value)
    assert not MemberVote.objects.filter(member=absent).exists()


def test_the_agenda_item_page_tells_an_absent_member_why_they_cannot_vote(world: World) -> None:
    item, absent = _absent_member(world)
    client = client_for(absent)
    page = client.get(reverse("applications:agenda_item", args=[item.pk])).content.decode()
    assert 'id="vote-refused"' in page
    assert "recorded as absent from this meeting" in page
    assert "Cast the vote" not in page
    response = client.post(reverse("applications:vote", args=[item.pk]), {"vote": "approve"}, follow=True)
    assert "recorded as absent from this meeting" in response.content.decode()
    assert not MemberVote.objects.filter(member=absent).exists()
    present = client_for(world.members["defence"]).get(reverse("applications:agenda_item", args=[item.pk]))
    assert 'id="vote-refused"' not in present.content.decode()
    assert "Cast the vote" in present.content.decode()


def test_the_api_answers_an_absent_member_with_the_code(client: Client, world: World) -> None:
    item, absent = _absent_member(world)
    response = client.post(
        f"/api/v1/agenda-items/{item.pk}/votes",
        json.dumps({"vote": "approve"}),
        content_type="application/json",
        **bearer(absent),
    )
    assert (response.status_code, code_of(response)) == (403, "vote.member_absent")


# What is missing, who must act, and the primary action -------------------------------------------------------------


def _primary(page: str) -> list[str]:
    """The labels of the page's primary (green) actions in the case's action group."""
    group = page.split('id="case-actions"', 1)[1].split("</div>", 1)[0]
    return re.findall(r"data-primary>([^<]+)<", group)


def test_readiness_names_the_department_and_the_role_that_must_act(world: World) -> None:
    application = _submit(world)
    problems = services.readiness_problems(application)
    outstanding = [p for p in problems if p["code"] == "application.advice_outstanding"]
    assert {p["department"] for p in outstanding} == {d.name for d in world.departments.values()}
    assert {p["role"] for p in outstanding} == {Role.COMMISSION_MEMBER}
    defence = world.departments[DepartmentKind.DEFENCE]
    assert any(p["who"] == f"{defence.name}: commission member" and not p["nobody"] for p in outstanding)
    # A department whose only senior officer is gone: the countersignature would wait for no one.
    referral = application.referrals.get(department=defence)
    referral.requires_countersignature = True
    referral.save()
    services.advice_give(actor=world.members["defence"], referral=referral, advice_type="approve", rationale="fine")
    world.department_seniors["defence"].is_active = False
    world.department_seniors["defence"].save()
    waiting = [p for p in services.readiness_problems(application) if p["department"] == defence.name]
    assert waiting[0]["role"] == Role.SENIOR_OFFICER
    assert waiting[0]["nobody"] == "yes"


def test_next_action_is_send_only_when_nothing_is_missing(world: World) -> None:
    application = _submit(world)
    problems = services.readiness_problems(application)
    assert selectors.case_next_action(actor=world.officer, application=application, problems=problems) == ""
    assert selectors.case_next_action(actor=world.exporter, application=application, problems=problems) == ""
    _advise_all(world, application)
    assert services.readiness_problems(application) == []
    assert selectors.case_next_action(actor=world.officer, application=application, problems=[]) == "mark_ready"
    application.referrals.all().delete()
    problems = services.readiness_problems(application)
    assert [p["code"] for p in problems] == ["application.not_referred"]
    assert selectors.case_next_action(actor=world.officer, application=application, problems=problems) == "refer"


def test_the_case_page_shows_checks_first_and_no_green_send_on_a_case_not_ready(world: World) -> None:
    application = _submit(world)
    page = client_for(world.officer).get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert page.index('id="checks"') < page.index('id="referrals"')
    assert "Not ready for the commission yet" in page
    defence = world.departments[DepartmentKind.DEFENCE]
    assert f"{defence.name}: commission member" in page
    assert "Send to the commission" not in page
    assert _primary(page) == []
    _advise_all(world, application)
    page = client_for(world.officer).get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Ready for the commission:" in page
    assert _primary(page) == ["Send to the commission"]


def test_the_api_case_gives_who_must_act_and_the_next_action(client: Client, world: World) -> None:
    application = _submit(world)
    body = client.get(f"/api/v1/applications/{application.pk}/case", **bearer(world.officer)).json()
    assert body["next_action"] == ""
    assert {p["role"] for p in body["readiness_problems"]} == {Role.COMMISSION_MEMBER}


# Referral by hand -------------------------------------------------------------------------------------------------


def _without_defence(world: World):  # type: ignore[no-untyped-def]
    application = _submit(world)
    defence = world.departments[DepartmentKind.DEFENCE]
    application.referrals.filter(department=defence).delete()
    return application, defence


def test_a_case_officer_refers_a_case_by_hand_and_the_department_must_advise(world: World) -> None:
    application, defence = _without_defence(world)
    _advise_all(world, application)
    assert services.readiness_problems(application) == []
    with pytest.raises(ValidationError) as excinfo:
        services.referral_by_hand(actor=world.officer, application=application, department_id=defence.pk, reason=" ")
    assert excinfo.value.code == "referral.reason_required"
    with pytest.raises(PermissionDenied):
        services.referral_by_hand(
            actor=world.members["defence"], application=application, department_id=defence.pk, reason="x"
        )
    with pytest.raises(ValidationError) as excinfo:
        services.referral_by_hand(
            actor=world.officer, application=application, department_id=world.exporter_org.pk, reason="x"
        )
    assert excinfo.value.code == "referral.invalid_department"
    referral = services.referral_by_hand(
        actor=world.officer, application=application, department_id=defence.pk, reason="Night-vision sights"
    )
    assert (referral.referred_by, referral.reason, referral.rules) == (world.officer, "Night-vision sights", [])
    entry = AuditEntry.objects.filter(verb="application.referred_by_hand").get()
    assert entry.payload["department"] == defence.name
    assert entry.payload["reason"] == "Night-vision sights"
    assert InboxMessage.objects.filter(recipient=world.members["defence"], event="application.referred").exists()
    problems = services.readiness_problems(application)
    assert [(p["code"], p["department"]) for p in problems] == [("application.advice_outstanding", defence.name)]
    with pytest.raises(Conflict) as excinfo:
        services.application_mark_ready(actor=world.officer, application=application)
    assert excinfo.value.code == "application.advice_outstanding"
    with pytest.raises(Conflict) as excinfo:
        services.referral_by_hand(actor=world.officer, application=application, department_id=defence.pk, reason="y")
    assert excinfo.value.code == "referral.duplicate"
    services.advice_give(actor=world.members["defence"], referral=referral, advice_type="approve", rationale="ok")
    assert services.application_mark_ready(actor=world.officer, application=application).status == (
        "ready_for_commission"
    )


def test_the_referral_page_and_the_api(client: Client, world: World) -> None:
    application, defence = _without_defence(world)
    officer = client_for(world.officer)
    page = officer.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert reverse("applications:refer", args=[application.pk]) in page
    refused = officer.post(reverse("applications:refer", args=[application.pk]), {"department": str(defence.pk)})
    assert refused.status_code == 200
    assert not application.referrals.filter(department=defence).exists()
    response = officer.post(
        reverse("applications:refer", args=[application.pk]),
        {"department": str(defence.pk), "reason": "Thermal imagers", "due_working_days": "5"},
    )
    assert response.status_code == 302
    page = officer.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Reason: Thermal imagers" in page
    assert "referred by hand by" in page
    exporter_page = client_for(world.exporter).get(reverse("applications:detail", args=[application.pk]))
    assert "Thermal imagers" not in exporter_page.content.decode()
    application.referrals.filter(department=defence).delete()
    created = client.post(
        f"/api/v1/applications/{application.pk}/referrals",
        json.dumps({"department_id": str(defence.pk), "reason": "By API"}),
        content_type="application/json",
        **bearer(world.officer),
    )
    assert created.status_code == 201, created.content
    assert created.json()["reason"] == "By API"
    refused_api = client.post(
        f"/api/v1/applications/{application.pk}/referrals",
        json.dumps({"department_id": str(defence.pk), "reason": "again"}),
        content_type="application/json",
        **bearer(world.officer),
    )
    assert (refused_api.status_code, code_of(refused_api)) == (409, "referral.duplicate")


# Internal case notes --------------------------------------------------------------------------------------------


def test_case_notes_are_kept_by_officers_and_never_seen_by_the_exporter(client: Client, world: World) -> None:
    application = _submit(world)
    secret = "The agent was evasive on the phone"
    with pytest.raises(ValidationError) as excinfo:
        services.case_note_add(actor=world.officer, application=application, text="  ")
    assert excinfo.value.code == "case_note.text_required"
    with pytest.raises(PermissionDenied):
        services.case_note_add(actor=world.exporter, application=application, text=secret)
    note = services.case_note_add(actor=world.officer, application=application, text=secret)
    assert [n.pk for n in selectors.case_notes(actor=world.officer, application=application)] == [note.pk]
    assert list(selectors.case_notes(actor=world.senior, application=application)) == [note]
    for outsider in (world.exporter, world.members["defence"]):
        with pytest.raises(NotFound):
            selectors.case_notes(actor=outsider, application=application)
    # Pages: the officer sees it; the exporter's page and a department's do not carry it.
    officer_page = client_for(world.officer).get(reverse("applications:detail", args=[application.pk]))
    assert secret in officer_page.content.decode()
    for outsider in (world.exporter, world.members["defence"]):
        page = client_for(outsider).get(reverse("applications:detail", args=[application.pk])).content.decode()
        assert secret not in page
        assert 'id="notes"' not in page
    response = client_for(world.exporter).post(reverse("applications:note_add", args=[application.pk]), {"text": "x"})
    assert response.status_code in (403, 404)
    # API: the notes, the timeline and the case carry nothing of it for the exporter.
    exporter = bearer(world.exporter)
    assert client.get(f"/api/v1/applications/{application.pk}/notes", **exporter).status_code == 404
    timeline = client.get(f"/api/v1/applications/{application.pk}/timeline", **exporter)
    assert timeline.status_code == 200
    assert secret not in timeline.content.decode()
    assert "case_note" not in timeline.content.decode()
    assert secret not in client.get(f"/api/v1/applications/{application.pk}", **exporter).content.decode()
    posted = client.post(
        f"/api/v1/applications/{application.pk}/notes",
        json.dumps({"text": "planted"}),
        content_type="application/json",
        **exporter,
    )
    assert posted.status_code == 404
    officer = bearer(world.officer)
    notes = client.get(f"/api/v1/applications/{application.pk}/notes", **officer).json()
    assert [n["text"] for n in notes] == [secret]
    added = client.post(
        f"/api/v1/applications/{application.pk}/notes",
        json.dumps({"text": "second"}),
        content_type="application/json",
        **officer,
    )
    assert added.status_code == 201
    assert AuditEntry.objects.filter(verb="case_note.added").count() == 2
