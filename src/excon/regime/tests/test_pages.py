"""The regime's pages: they call the services and show their refusals, and read as missing outside a role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from excon.accounts.tests.factories import CustomsFactory, UserFactory
from excon.applications.tests.factories import World
from excon.core.roles import Role
from excon.licences.tests.factories import direct_licence
from excon.products.tests.factories import pdf_bytes
from excon.regime.enums import AuthorisationStatus, PolicyTier
from excon.regime.models import ExportAuthorisation, PolicyVersion

from .factories import advise_and_vote, draft_authorisation, granted_authorisation, other_exporter, publish_policy

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_an_exporter_applies_and_adds_evidence_through_the_pages(world: World) -> None:
    client = signed_in(world.exporter)
    assert client.get(reverse("regime:authorisation_create")).status_code == 200
    refused = client.post(
        reverse("regime:authorisation_create"), {"categories": "ML99", "destination_groups": ["nato"]}
    )
    assert refused.status_code == 200
    assert "ML99 is not a control-list category" in refused.content.decode()
    until = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    created = client.post(
        reverse("regime:authorisation_create"),
        {"categories": "ml6, ML4.A", "destination_groups": ["nato"], "requested_until": until},
    )
    authorisation = ExportAuthorisation.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("regime:authorisation_detail", args=[authorisation.pk])
    assert authorisation.categories == ["ML6", "ML4.a"]  # as the control list spells them
    upload = SimpleUploadedFile("own.pdf", pdf_bytes("ownership"), content_type="application/pdf")
    response = client.post(
        reverse("regime:authorisation_evidence", args=[authorisation.pk]), {"kind": "ownership", "file": upload}
    )
    assert response.status_code == 302
    assert authorisation.documents.get().kind == "ownership"
    page = client.get(reverse("regime:authorisation_detail", args=[authorisation.pk])).content.decode()
    assert "Still needed: production (manufacturing) licence" in page
    download = client.get(reverse("regime:document_download", args=[authorisation.documents.get().pk]))
    assert download.status_code == 200
    assert (
        signed_in(other_exporter()).get(reverse("regime:authorisation_detail", args=[authorisation.pk])).status_code
        == 404
    )
    assert (
        signed_in(world.officer).get(reverse("regime:authorisation_detail", args=[authorisation.pk])).status_code == 404
    )


def test_a_move_that_needs_a_reason_shows_the_refusal_on_the_form(world: World) -> None:
    authorisation = granted_authorisation(world)
    client = signed_in(world.senior)
    url = reverse("regime:authorisation_move", args=[authorisation.pk, "suspend"])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "give the reason" in refused.content.decode()
    assert client.post(url, {"reason": "Inspection"}).status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.SUSPENDED
    assert signed_in(world.officer).get(url).status_code == 403


def test_the_register_for_the_authority_and_customs_and_published_for_everyone(world: World) -> None:
    granted_authorisation(world)
    customs = UserFactory(organisation=CustomsFactory(), roles=[Role.CUSTOMS_OFFICER])
    assert world.exporter_org.name in signed_in(customs).get(reverse("regime:register")).content.decode()
    assert signed_in(world.exporter).get(reverse("regime:register")).status_code == 404
    assert "has not been published" in Client().get("/authorised-exporters/").content.decode()
    assert signed_in(world.senior).post(reverse("regime:register_publish")).status_code == 302
    public = Client().get("/authorised-exporters/").content.decode()
    assert world.exporter_org.name in public
    assert "ML6" in public


def test_a_policy_change_page_publishes_a_version_whose_page_offers_the_affected_licences(world: World) -> None:
    publish_policy(world, destinations={"PL": PolicyTier.PRIORITY_PARTNER}, requires_authorisation=False)
    licence = direct_licence(world.exporter_org, number="LIC-TEST-000501", destination="PL")
    client = signed_in(world.senior)
    response = client.post(
        reverse("regime:policy_change"),
        {
            "in_force_from": timezone.localdate().isoformat(),
            "reason": "New decree",
            "destination": "PL",
            "tier": "prohibited",
        },
    )
    assert response.status_code == 302
    version = PolicyVersion.objects.get(number=2)
    page = client.get(reverse("regime:policy_version", args=[2])).content.decode()
    assert licence.number in page
    assert "Suspend these licences" in page
    assert client.post(reverse("regime:policy_suspend_licences", args=[2])).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "suspended"
    assert version.destinations.get(country__iso2="PL").tier == PolicyTier.PROHIBITED
    assert signed_in(world.officer).get(reverse("regime:policy_change")).status_code == 403
    assert signed_in(world.exporter).get(reverse("regime:policy")).status_code == 404


def test_an_officer_refers_and_decides_from_the_pages(world: World) -> None:
    authorisation = draft_authorisation(world.exporter)
    signed_in(world.exporter).post(reverse("regime:authorisation_submit", args=[authorisation.pk]))
    officer = signed_in(world.officer)
    assert officer.post(reverse("regime:authorisation_move", args=[authorisation.pk, "refer"]), {}).status_code == 302
    authorisation.refresh_from_db()
    advise_and_vote(world, authorisation)
    decided = officer.post(
        reverse("regime:authorisation_decide", args=[authorisation.pk]), {"outcome": "grant", "reasons": "Carried"}
    )
    assert decided.status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.GRANTED


def test_the_commission_sees_the_destination_policy_on_the_case_page(world: World) -> None:
    from excon.applications import services as application_services
    from excon.applications.tests.factories import complete_draft

    publish_policy(world, destinations={"PL": PolicyTier.ALLOWED_WITH_REVIEW}, requires_authorisation=False)
    application = application_services.application_submit(actor=world.exporter, application=complete_draft(world))
    page = signed_in(world.officer).get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Destination policy" in page
    assert "policy v1 (in force from" in page
    assert "Allowed with review (its own entry)" in page
