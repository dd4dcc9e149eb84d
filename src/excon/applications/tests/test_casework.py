"""The case officer's case page and casework (issue 12): what a member absent from the commission is told when
they try to vote; the next step and who must act; referrals by hand; internal case notes."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from excon.applications import services
from excon.applications.models import MemberVote
from excon.core.errors import PermissionDenied

from .factories import World, licensing_world
from .test_api import bearer, code_of
from .test_pages import client_for
from .test_services import _meeting, _ready

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
