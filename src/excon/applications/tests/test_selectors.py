"""The application selectors: who sees which commission meeting (a department's member only the meetings they sit
on, the authority's readers all), the case clocks of a page in one query, and the reads the pages and the API use
instead of the models (risk profiles, documents, decisions, the officers and members to choose from)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from excon.accounts import services as account_services
from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.applications import selectors, services
from excon.applications.enums import ReferralStatus
from excon.applications.models import AgendaItem, Application, CommissionMeeting, InformationRequest, Referral
from excon.core.errors import NotFound
from excon.core.roles import Role

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


def submitted(world: World, **kwargs: Any) -> Application:
    return services.application_submit(actor=world.exporter, application=complete_draft(world, **kwargs))


def ready(world: World) -> Application:
    application = submitted(world)
    for referral in application.referrals.select_related("department"):
        member = world.members[referral.department.department_kind]
        services.advice_give(actor=member, referral=referral, advice_type="approve", rationale="fine")
    return services.application_mark_ready(actor=world.officer, application=application)


def meeting_with(world: World, members: list[Any], application: Application | None = None) -> CommissionMeeting:
    meeting = services.meeting_create(
        actor=world.officer, scheduled_for=timezone.now(), quorum_minimum=1, quorum_departments=[]
    )
    services.meeting_set_members(
        actor=world.officer, meeting=meeting, member_ids=[m.pk for m in members], present_ids=[m.pk for m in members]
    )
    if application is not None:
        services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    return meeting


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any) -> dict[str, str]:
    _, full = account_services.api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}


# Meeting visibility ----------------------------------------------------------------------------------------------


@pytest.fixture
def two_meetings(world: World) -> tuple[CommissionMeeting, CommissionMeeting, AgendaItem]:
    """Defence sits on the first meeting (with a case on its agenda); economy sits on the second only."""
    first = meeting_with(world, [world.members["defence"]], ready(world))
    second = meeting_with(world, [world.members["economy"]])
    return first, second, first.agenda.get()


def test_a_department_member_sees_only_the_meetings_they_sit_on(world: World, two_meetings: Any) -> None:
    first, second, item = two_meetings
    defence, economy = world.members["defence"], world.members["economy"]
    assert list(selectors.meeting_list(actor=defence)) == [first]
    assert list(selectors.meeting_list(actor=economy)) == [second]
    assert selectors.meeting_get(actor=defence, meeting_id=first.pk) == first
    assert selectors.agenda_item_get(actor=defence, item_id=item.pk) == item
    with pytest.raises(NotFound) as missing:
        selectors.meeting_get(actor=economy, meeting_id=first.pk)
    with pytest.raises(NotFound) as not_theirs:
        selectors.meeting_get(actor=economy, meeting_id="00000000-0000-0000-0000-000000000000")
    assert missing.value.code == not_theirs.value.code == "not_found"
    with pytest.raises(NotFound):
        selectors.agenda_item_get(actor=economy, item_id=item.pk)


def test_authority_readers_see_every_meeting(world: World, two_meetings: Any) -> None:
    first, second, item = two_meetings
    analyst = UserFactory(organisation=world.authority, roles=[Role.ANALYST])
    authority_member = UserFactory(organisation=world.authority, roles=[Role.COMMISSION_MEMBER])
    for reader in (world.officer, world.senior, analyst, authority_member):
        assert set(selectors.meeting_list(actor=reader)) == {first, second}
        assert selectors.agenda_item_get(actor=reader, item_id=item.pk) == item
    for outsider in (world.exporter, world.department_seniors["defence"], user_with_role(Role.CUSTOMS_OFFICER)):
        assert not selectors.meeting_list(actor=outsider).exists()
        with pytest.raises(NotFound):
            selectors.meeting_get(actor=outsider, meeting_id=first.pk)


def test_meeting_pages_are_404_for_a_department_member_not_sitting(world: World, two_meetings: Any) -> None:
    first, _, item = two_meetings
    defence, economy = client_for(world.members["defence"]), client_for(world.members["economy"])
    for url in (
        reverse("applications:meeting", args=[first.pk]),
        reverse("applications:minutes", args=[first.pk]),
        reverse("applications:agenda_item", args=[item.pk]),
    ):
        assert defence.get(url).status_code == 200, url
        assert economy.get(url).status_code == 404, url
    assert economy.post(reverse("applications:vote", args=[item.pk]), {"vote": "approve"}).status_code == 404
    listing = economy.get(reverse("applications:meetings")).content.decode()
    assert first.reference not in listing
    assert first.reference in defence.get(reverse("applications:meetings")).content.decode()
    assert first.reference in client_for(world.officer).get(reverse("applications:meetings")).content.decode()


def test_meeting_api_is_404_for_a_department_member_not_sitting(
    client: Client, world: World, two_meetings: Any
) -> None:
    first, second, item = two_meetings
    economy = bearer(world.members["economy"])
    assert [m["id"] for m in client.get("/api/v1/meetings", **economy).json()] == [str(second.pk)]
    response = client.get(f"/api/v1/meetings/{first.pk}", **economy)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    vote = client.post(
        f"/api/v1/agenda-items/{item.pk}/votes", {"vote": "approve"}, content_type="application/json", **economy
    )
    assert vote.status_code == 404
    assert client.get(f"/api/v1/meetings/{first.pk}", **bearer(world.members["defence"])).status_code == 200
    assert len(client.get("/api/v1/meetings", **bearer(world.officer)).json()) == 2


# The case clocks of a page ---------------------------------------------------------------------------------------


def test_case_clocks_count_the_overdue_referrals_of_a_page_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    late, on_time = submitted(world), submitted(world)
    past = timezone.localdate() - dt.timedelta(days=3)
    Referral.objects.filter(application=late, department__department_kind__in=["defence", "security"]).update(
        due_date=past
    )
    Referral.objects.filter(application=late, department__department_kind="economy").update(
        due_date=past, status=ReferralStatus.COMPLETE
    )
    applications = list(
        selectors.application_list(actor=world.officer).prefetch_related(
            Prefetch("information_requests", queryset=InformationRequest.objects.order_by("asked_at"))
        )
    )
    with django_assert_num_queries(1):
        clocks = selectors.case_clocks(applications)
    assert clocks == [selectors.case_clock(application) for application in applications]
    overdue = {application.pk: clock.overdue_referrals for application, clock in zip(applications, clocks, strict=True)}
    assert overdue == {late.pk: 2, on_time.pk: 0}
    with CaptureQueriesContext(connection) as none:
        assert selectors.case_clocks([]) == []
    assert len(none) == 0


# Reads the pages and the API use ----------------------------------------------------------------------------------


def test_risk_profiles_are_for_government_eyes(world: World) -> None:
    services.risk_profile_set(
        actor=world.senior, country="PL", criterion_levels={"7": 3}, att_article_6_prohibition=False
    )
    for reader in (world.officer, world.members["defence"]):
        assert [p.country.iso2 for p in selectors.risk_profile_list(actor=reader)] == ["PL"]
        assert selectors.risk_profile_get(actor=reader, iso2="pl").level(7) == 3
    assert not selectors.risk_profile_list(actor=world.exporter).exists()
    with pytest.raises(NotFound):
        selectors.risk_profile_get(actor=world.exporter, iso2="PL")
    with pytest.raises(NotFound):
        selectors.risk_profile_get(actor=world.officer, iso2="DE")


def test_documents_and_decisions_follow_their_application(world: World) -> None:
    application = ready(world)
    document = application.end_user_certificate.document
    assert document is not None
    assert selectors.application_document_get(actor=world.exporter, document_id=document.pk) == document
    assert selectors.application_document_get(actor=world.members["defence"], document_id=document.pk) == document
    for outsider in (user_with_role(Role.EXPORTER_ADMIN), user_with_role(Role.CUSTOMS_OFFICER)):
        with pytest.raises(NotFound):
            selectors.application_document_get(actor=outsider, document_id=document.pk)
    with pytest.raises(NotFound):
        selectors.application_document_get(actor=world.exporter, document_id="not-a-uuid")
    meeting = meeting_with(world, list(world.members.values()), application)
    services.meeting_open(actor=world.officer, meeting=meeting)
    decision = services.decision_record(actor=world.officer, item=meeting.agenda.get(), outcome="approve")
    assert selectors.decision_get(actor=world.senior, decision_id=decision.pk) == decision
    with pytest.raises(NotFound):  # the exporter reads its decision on the application, not by its id
        selectors.decision_get(actor=world.exporter, decision_id=decision.pk)


def test_the_people_to_choose_from(world: World) -> None:
    inactive = UserFactory(organisation=world.authority, roles=[Role.CASE_OFFICER], is_active=False)
    officers = set(selectors.case_officers())
    assert {world.officer, world.senior, world.senior_2} <= officers
    assert not officers & {inactive, world.compliance, world.members["defence"], world.exporter}
    members = set(selectors.commission_members())
    assert members == set(world.members.values())
    assert selectors.user_get(actor=world.officer, user_id=world.senior.pk) == world.senior
    with pytest.raises(NotFound):
        selectors.user_get(actor=world.exporter, user_id=world.senior.pk)
