"""The screening pages: who sees and does what, review through the services (audited), refusals shown on the form
with nothing changed, the search with its explanations, the lists, the national denial list, bounded queries."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from excon.accounts.tests.factories import OrganisationFactory, user_with_role
from excon.audit.models import AuditEntry
from excon.core.navigation import home_sections_for, navigation_for
from excon.core.roles import Role
from excon.products.tests.factories import country
from excon.screening import services
from excon.screening.enums import HitStatus, SourceCode
from excon.screening.index import forget_index
from excon.screening.models import ListEntry, ScreeningHit
from excon.screening.services import Party

from .factories import list_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    forget_index()
    yield
    forget_index()


@pytest.fixture
def compliance():  # type: ignore[no-untyped-def]
    return user_with_role(Role.COMPLIANCE_OFFICER)


@pytest.fixture
def officer():  # type: ignore[no-untyped-def]
    return user_with_role(Role.CASE_OFFICER)


def _hit(name: str = "Zala Aero Group", listed: str = "ZALA AERO GROUP LLC", **entry: Any) -> ScreeningHit:
    if not ListEntry.objects.filter(primary_name=listed).exists():
        list_entry(
            listed,
            kind="organisation",
            aliases=("ZALA AERO",),
            countries=("RU",),
            identifiers=(("registration", "1234567890"),),
            programme="RUSSIA-EO14024",
            remarks="Manufacturer of unmanned aerial vehicles.",
            source_url="https://sanctionssearch.ofac.treas.gov/",
            **entry,
        )
    forget_index()
    reference = f"applications.party:{uuid.uuid4()}"
    services.rescreen_parties([Party(reference=reference, name=name, kind="organisation", country="RU")])
    return ScreeningHit.objects.get(target_id=reference.partition(":")[2])


def _verbs(hit: ScreeningHit) -> list[str]:
    return list(AuditEntry.objects.filter(target_id=str(hit.pk)).order_by("seq").values_list("verb", flat=True))


# Who sees what ------------------------------------------------------------------------------------------------


def test_page_permission_matrix(client, compliance, officer) -> None:  # type: ignore[no-untyped-def]
    hit = _hit()
    national = services.national_entry_create(
        actor=compliance, data=services.NationalEntryInput(name="Acme Arms Brokers", kind="organisation")
    )
    users = {
        "compliance": compliance,
        "case": officer,
        "senior": user_with_role(Role.SENIOR_OFFICER),
        "auditor": user_with_role(Role.AUDITOR),
        "exporter": user_with_role(Role.EXPORTER_ADMIN),
        "customs": user_with_role(Role.CUSTOMS_OFFICER),
    }
    pages = {
        "queue": reverse("screening:queue"),
        "hit": reverse("screening:hit", args=[hit.pk]),
        "search": reverse("screening:search"),
        "lists": reverse("screening:lists"),
        "national": reverse("screening:national"),
        "national_create": reverse("screening:national_create"),
        "national_edit": reverse("screening:national_edit", args=[national.pk]),
    }
    expected = {
        #            queue hit  search lists national create edit
        "compliance": (200, 200, 200, 200, 200, 200, 200),
        "case": (200, 200, 200, 200, 200, 403, 403),
        "senior": (200, 200, 200, 200, 200, 200, 200),
        "auditor": (200, 200, 404, 200, 200, 403, 403),
        "exporter": (404, 404, 404, 404, 404, 404, 404),
        "customs": (404, 404, 404, 404, 404, 404, 404),
    }
    for who, user in users.items():
        client.force_login(user)
        got = tuple(client.get(url).status_code for url in pages.values())
        assert got == expected[who], who
    # Only compliance officers may act on a hit: others see it but the forms are neither shown nor accepted.
    for who in ("case", "senior", "auditor"):
        client.force_login(users[who])
        assert "Dismiss the hit" not in client.get(pages["hit"]).content.decode()
        assert client.post(reverse("screening:dismiss", args=[hit.pk]), {"reason": "x"}).status_code == 403
        assert client.post(reverse("screening:confirm", args=[hit.pk]), {"reason": ""}).status_code == 403
    client.force_login(users["exporter"])
    assert client.post(reverse("screening:dismiss", args=[hit.pk]), {"reason": "x"}).status_code == 404
    hit.refresh_from_db()
    assert hit.status == HitStatus.OPEN
    client.logout()
    response = client.get(pages["queue"])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(reverse("screening:hit", args=[uuid.uuid4()])).status_code == 302
    client.force_login(compliance)
    assert client.get(reverse("screening:hit", args=[uuid.uuid4()])).status_code == 404


def test_navigation_and_home_section(compliance, officer) -> None:  # type: ignore[no-untyped-def]
    labels = [item["label"] for item in navigation_for(compliance, "/")]
    assert "Screening" in labels
    assert "Screening search" not in labels
    officer_labels = [item["label"] for item in navigation_for(officer, "/")]
    assert "Screening search" in officer_labels
    assert "Screening" not in officer_labels
    assert "Screening" in [section["title"] for section in home_sections_for(compliance)]
    assert "Screening" not in [section["title"] for section in home_sections_for(officer)]
    exporter = user_with_role(Role.EXPORTER_USER)
    assert not {"Screening", "Screening search"} & {item["label"] for item in navigation_for(exporter, "/")}


# The queue ------------------------------------------------------------------------------------------------------


def test_queue_lists_open_hits_first_with_filters(client, compliance) -> None:  # type: ignore[no-untyped-def]
    first = _hit("Zala Aero Group")
    services.hit_dismiss(actor=compliance, hit_id=first.pk, reason="different company")
    second = _hit("Zala Aero", listed="ZALA AERO GROUP LLC")
    third = _hit("Aerocaribbean Airlines", listed="AEROCARIBBEAN AIRLINES", source=SourceCode.OFAC)
    client.force_login(compliance)
    page = client.get(reverse("screening:queue")).content.decode()
    assert page.index(str(third.pk)) < page.index(str(first.pk))
    assert page.index(str(second.pk)) < page.index(str(first.pk))
    page = client.get(reverse("screening:queue"), {"status": "open"}).content.decode()
    assert str(first.pk) not in page
    assert str(second.pk) in page
    page = client.get(reverse("screening:queue"), {"source": "ofac"}).content.decode()
    assert str(third.pk) in page
    assert str(second.pk) not in page
    page = client.get(reverse("screening:queue"), {"q": "caribb"}).content.decode()
    assert str(third.pk) in page
    assert str(second.pk) not in page
    page = client.get(reverse("screening:queue"), {"score_min": "1.01"}).content.decode()
    assert "No hits match" not in page  # an invalid filter is ignored, not an error
    page = client.get(reverse("screening:queue"), {"score_min": "0.99", "score_max": "1"}).content.decode()
    scores = {hit.pk: hit.score for hit in ScreeningHit.objects.all()}
    for pk, score in scores.items():
        assert (str(pk) in page) == (score >= 0.99)
    partial = client.get(reverse("screening:queue"), {"q": "zala"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_queue_has_bounded_queries(client, compliance, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _hit("Zala Aero Group")
    client.force_login(compliance)
    client.get(reverse("screening:queue"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("screening:queue"))
    for number in range(12):
        _hit(f"Zala Aero Group {number}")
    assert ScreeningHit.objects.count() >= 13
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("screening:queue"))
    assert response.status_code == 200


# The hit page and its review ------------------------------------------------------------------------------------


def test_hit_page_explains_the_score_and_shows_the_entry(client, compliance) -> None:  # type: ignore[no-untyped-def]
    hit = _hit()
    client.force_login(compliance)
    page = client.get(reverse("screening:hit", args=[hit.pk])).content.decode()
    for text in (
        "Zala Aero Group",
        "ZALA AERO GROUP LLC",
        "ZALA AERO",
        "RUSSIA-EO14024",
        "Manufacturer of unmanned aerial vehicles.",
        "Company registration number: 1234567890",
        "https://sanctionssearch.ofac.treas.gov/",
        "Word by word",
        "In any order",
        "Without spaces",
        "RU is a listed country",
        "name similarity",
        "Dismiss the hit",
        "Confirm as a true match",
        "Screening raised a possible match",
    ):
        assert text in page, text


def test_hit_page_links_an_application_party_to_its_application(client, compliance) -> None:  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import complete_draft, licensing_world

    world = licensing_world()
    application = complete_draft(world)
    party = application.parties.get()
    list_entry("MINISTRY OF NATIONAL DEFENCE", kind="organisation")
    forget_index()
    services.rescreen_parties(
        [Party(reference=f"applications.party:{party.pk}", name=party.name, kind="organisation", country="PL")]
    )
    hit = ScreeningHit.objects.get(target_id=str(party.pk))
    client.force_login(compliance)
    page = client.get(reverse("screening:hit", args=[hit.pk])).content.decode()
    assert f'href="/applications/{application.pk}/"' in page
    assert f"Application {application.reference}" in page
    assert "End user" in page


def test_hit_page_names_a_licence_by_its_number(client, compliance) -> None:  # type: ignore[no-untyped-def]
    from excon.licences.tests.factories import direct_licence

    licence = direct_licence(OrganisationFactory(), number="LIC-2026-000777")
    list_entry("ZALA AERO GROUP LLC", kind="organisation", countries=("RU",))
    forget_index()
    services.rescreen_parties(
        [Party(reference=f"licences.licence:{licence.pk}", name="Zala Aero Group", kind="organisation")]
    )
    hit = ScreeningHit.objects.get(target_type="licences.licence", target_id=str(licence.pk))
    client.force_login(compliance)
    page = client.get(reverse("screening:hit", args=[hit.pk])).content.decode()
    assert "Licence LIC-2026-000777" in page
    assert f'href="/licences/{licence.pk}/"' in page
    assert f"Licence {licence.pk}" not in page  # the licence's number, not its id


def test_dismiss_through_the_page_changes_the_hit_and_is_audited(client, compliance) -> None:  # type: ignore[no-untyped-def]
    hit = _hit()
    client.force_login(compliance)
    response = client.post(
        reverse("screening:dismiss", args=[hit.pk]), {"reason": "Registered in Poland, not the Russian maker"}
    )
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == HitStatus.DISMISSED
    assert hit.reviewer == compliance
    assert hit.reason == "Registered in Poland, not the Russian maker"
    assert _verbs(hit)[-1] == "screening.hit_dismissed"
    page = client.get(response["Location"]).content.decode()
    assert "is dismissed" in page
    assert str(hit.pk) not in page
    # Reviewed already: a second review is refused on the form, not with an error page.
    again = client.post(reverse("screening:confirm", args=[hit.pk]), {"reason": ""})
    assert again.status_code == 200
    assert "already dismissed" in again.content.decode()


def test_confirm_through_the_page_is_audited(client, compliance) -> None:  # type: ignore[no-untyped-def]
    hit = _hit()
    client.force_login(compliance)
    response = client.post(reverse("screening:confirm", args=[hit.pk]), {"reason": "Same registration number"})
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == HitStatus.CONFIRMED
    assert _verbs(hit)[-1] == "screening.hit_confirmed"


def test_dismiss_without_a_reason_shows_the_message_and_changes_nothing(client, compliance) -> None:  # type: ignore[no-untyped-def]
    hit = _hit()
    before = _verbs(hit)
    client.force_login(compliance)
    response = client.post(reverse("screening:dismiss", args=[hit.pk]), {"reason": "   "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "a reason is required to dismiss a hit" in page
    hit.refresh_from_db()
    assert hit.status == HitStatus.OPEN
    assert _verbs(hit) == before


# Search ---------------------------------------------------------------------------------------------------------


def test_search_page_ranks_hits_with_explanations(client, officer) -> None:  # type: ignore[no-untyped-def]
    list_entry("Ayman AL-ZAWAHIRI", aliases=("Ayman AL-ZAWAHRI",), birth_dates=("1951-06-19",), countries=("EG",))
    list_entry("ZALA AERO GROUP LLC", kind="organisation")
    forget_index()
    country("EG", "Egypt")  # the search's country is picked from the known countries
    client.force_login(officer)
    page = client.get(reverse("screening:search")).content.decode()
    assert "possible match" not in page
    response = client.get(
        reverse("screening:search"), {"name": "Aiman al Zawahiri", "birth_date": "1951-06-19", "country": "EG"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 possible match " in page
    assert "Ayman AL-ZAWAHIRI" in page
    assert "Word by word" in page
    assert "listed birth date 1951-6-19 agrees" in page
    assert "ZALA" not in page
    partial = client.get(reverse("screening:search"), {"name": "Zala Aero Group"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="results">')
    assert "ZALA AERO GROUP LLC" in partial.content.decode()


def test_search_refusals_are_form_errors(client, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    for params, message in (
        ({"name": ""}, "the name is required"),
        ({"name": "Zala", "threshold": "1.5"}, "threshold must be in (0, 1]"),
        ({"name": "Zala", "country": "Atlantis"}, "valid choice"),  # not one of the picker's countries
    ):
        response = client.get(reverse("screening:search"), params)
        assert response.status_code == 200
        assert message in response.content.decode(), params


# The lists and the national denial list -----------------------------------------------------------------------


def test_list_status_page(client, compliance) -> None:  # type: ignore[no-untyped-def]
    from excon.screening.enums import VersionStatus
    from excon.screening.models import ListVersion

    source = services.source_for(SourceCode.UN)
    ListVersion.objects.create(source=source, sha256="a" * 64, total=3, added=3, file_names="un.xml")
    ListVersion.objects.create(
        source=source, sha256="b" * 64, status=VersionStatus.FAILED, failure_reason="truncated XML", file_names="x.xml"
    )
    client.force_login(compliance)
    page = client.get(reverse("screening:lists")).content.decode()
    assert "UN Security Council consolidated list" in page
    assert "+3 added" in page
    assert "truncated XML" in page


def test_national_list_add_edit_remove(client, compliance) -> None:  # type: ignore[no-untyped-def]
    client.force_login(compliance)
    response = client.post(
        reverse("screening:national_create"),
        {
            "name": "Orion Defence Trading FZE",
            "kind": "organisation",
            "basis": "partner",
            "notifying_state": "de",
            "notification_reference": "DN-2026-17",
            "aliases": "Orion Trading\nOrion FZE",
            "countries": "AE",
            "identifiers": "registration: FZE-99812",
            "remarks": "Diversion of small arms to a third country.",
        },
    )
    assert response.status_code == 302
    entry = ListEntry.objects.get(primary_name="Orion Defence Trading FZE")
    assert entry.programme == "Denial notification from DE, ref. DN-2026-17"
    assert sorted(entry.names.values_list("name", flat=True)) == [
        "Orion Defence Trading FZE",
        "Orion FZE",
        "Orion Trading",
    ]
    page = client.get(reverse("screening:national")).content.decode()
    assert "Orion Defence Trading FZE" in page
    form = client.get(reverse("screening:national_edit", args=[entry.pk])).content.decode()
    assert "DN-2026-17" in form
    assert "registration: FZE-99812" in form
    refused = client.post(
        reverse("screening:national_edit", args=[entry.pk]), {"name": "", "kind": "organisation", "basis": "authority"}
    )
    assert refused.status_code == 200
    assert "the name is required" in refused.content.decode()
    bad_country = client.post(
        reverse("screening:national_edit", args=[entry.pk]),
        {"name": "Orion", "kind": "organisation", "basis": "authority", "countries": "Atlantis"},
    )
    assert bad_country.status_code == 200
    assert "unknown country" in bad_country.content.decode()
    entry.refresh_from_db()
    assert entry.primary_name == "Orion Defence Trading FZE"
    response = client.post(
        reverse("screening:national_edit", args=[entry.pk]),
        {
            "name": "Orion Defence Trading FZE",
            "kind": "organisation",
            "basis": "authority",
            "programme": "Denied 2026/3",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.programme == "Denied 2026/3"
    no_reason = client.post(reverse("screening:national_remove", args=[entry.pk]), {"reason": ""})
    assert no_reason.status_code == 200
    assert "a reason is required" in no_reason.content.decode()
    assert ListEntry.objects.get(pk=entry.pk).active
    response = client.post(reverse("screening:national_remove", args=[entry.pk]), {"reason": "Notification withdrawn"})
    assert response.status_code == 302
    assert not ListEntry.objects.get(pk=entry.pk).active
    verbs = list(AuditEntry.objects.filter(target_id=str(entry.pk)).order_by("seq").values_list("verb", flat=True))
    assert verbs == [
        "screening.national_entry_created",
        "screening.national_entry_updated",
        "screening.national_entry_removed",
    ]
    assert f'href="/screening/entries/{entry.pk}/"' not in client.get(reverse("screening:national")).content.decode()
    assert (
        "Removed from the national denial list"
        in client.get(reverse("screening:entry", args=[entry.pk])).content.decode()
    )
    # An imported list's entry is not the national list's to change.
    foreign = list_entry("ZALA AERO GROUP LLC", source=SourceCode.OFAC)
    assert client.get(reverse("screening:national_edit", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("screening:entry", args=[foreign.pk])).status_code == 200
