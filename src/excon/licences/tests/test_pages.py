"""The licence pages: who sees what, every write through its service and audited, service refusals shown on the
form with nothing stored, the signed PDF, the public verification page, the customs and compliance pages, the
signing keys, navigation, and bounded queries on the list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from excon.accounts.tests.factories import OrganisationFactory, UserFactory, user_with_role
from excon.applications.tests.factories import licensing_world
from excon.audit.models import AuditEntry
from excon.core.navigation import home_sections_for, navigation_for
from excon.core.roles import Role
from excon.licences import services
from excon.licences.document import verification_url
from excon.licences.models import BulkAction, CustomsDeclaration, Licence, LicenceLine, Shipment, SigningKey
from excon.licences.services import ShipmentLineInput
from excon.licences.services.customs import COLUMNS
from excon.products.tests.factories import control_entry, country

from .factories import approved_application, direct_licence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def licence() -> Licence:
    return direct_licence(quantity=10, value="1000.00")


def holder_of(licence: Licence) -> Any:
    return UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])


def _verbs(target: Any) -> list[str]:
    return list(AuditEntry.objects.filter(target_id=str(target.pk)).order_by("seq").values_list("verb", flat=True))


def _detail(licence: Licence) -> str:
    return reverse("licences:detail", args=[licence.pk])


def _shipment_data(quantity: str = "3", value: str = "300.00", serials: str = "", **extra: str) -> dict[str, str]:
    return {
        "shipped_on": TODAY().isoformat(),
        "declaration_number": "DEC-001",
        "exit_point": "Yahodyn",
        "transport": "road",
        "quantity_1": quantity,
        "value_1": value,
        "serials_1": serials,
        **extra,
    }


# Who sees what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("holder", 200),
        ("other_exporter", 404),
        ("customs", 200),
        ("case_officer", 200),
        ("auditor", 200),
        ("department_member", 404),
        ("technical_expert", 404),
    ],
)
def test_licence_page_permission_matrix(client: Any, licence: Licence, who: str, status: int) -> None:
    users = {
        "holder": lambda: holder_of(licence),
        "other_exporter": lambda: user_with_role(Role.EXPORTER_ADMIN),
        "customs": lambda: user_with_role(Role.CUSTOMS_OFFICER),
        "case_officer": lambda: user_with_role(Role.CASE_OFFICER),
        "auditor": lambda: user_with_role(Role.AUDITOR),
        "department_member": lambda: user_with_role(Role.COMMISSION_MEMBER),
        "technical_expert": lambda: user_with_role(Role.TECHNICAL_EXPERT),
    }
    client.force_login(users[who]())
    assert client.get(_detail(licence)).status_code == status
    assert client.get(reverse("licences:pdf", args=[licence.pk])).status_code == status


def test_anonymous_is_sent_to_sign_in(client: Any, licence: Licence) -> None:
    response = client.get(_detail(licence))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_shows_an_exporter_only_its_licences_and_filters(client: Any, licence: Licence) -> None:
    direct_licence(number="LIC-OTHER-1")  # another holder's
    mine_de = direct_licence(holder=licence.holder, number="LIC-TEST-DE", destination="DE")
    client.force_login(holder_of(licence))
    response = client.get(reverse("licences:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert licence.number in text
    assert mine_de.number in text
    assert "LIC-OTHER-1" not in text
    text = client.get(reverse("licences:list"), {"destination": "DE"}).content.decode()
    assert mine_de.number in text
    assert licence.number not in text
    partial = client.get(reverse("licences:list"), {"q": "TEST-DE"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_the_list_for_authority_filters_by_holder_control_entry_and_source(client: Any, licence: Licence) -> None:
    client.force_login(user_with_role(Role.CASE_OFFICER))
    control_entry("ML4")  # the control-entry filter picks from the entries of the control list
    url = reverse("licences:list")
    assert licence.number in client.get(url, {"holder": licence.holder.registration_number}).content.decode()
    assert licence.number in client.get(url, {"control_entry": "ML6"}).content.decode()
    assert licence.number not in client.get(url, {"control_entry": "ML4"}).content.decode()
    assert licence.number not in client.get(url, {"source": "legacy"}).content.decode()
    assert licence.number in client.get(url, {"status": "active"}).content.decode()


def test_people_without_licences_get_no_list(client: Any) -> None:
    client.force_login(user_with_role(Role.TECHNICAL_EXPERT))
    assert client.get(reverse("licences:list")).status_code == 404


def test_list_query_count_does_not_grow_with_licences(client: Any) -> None:
    officer = user_with_role(Role.CASE_OFFICER)
    client.force_login(officer)
    direct_licence(number="LIC-Q-0")
    client.get(reverse("licences:list"))  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("licences:list")).status_code == 200
    for number in range(1, 12):
        direct_licence(number=f"LIC-Q-{number}", destination="DE" if number % 2 else "PL")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("licences:list"))
    assert response.content.decode().count('href="/licences/') >= 12
    assert len(many) == len(few)
    assert len(many) <= 12


# The licence page -------------------------------------------------------------------------------------------


def test_licence_page_shows_lines_shipments_versions_history_and_verification(client: Any, licence: Licence) -> None:
    holder = holder_of(licence)
    services.shipment_record(
        actor=holder,
        licence=licence,
        shipped_on=TODAY(),
        lines=[ShipmentLineInput(1, 2, "200.00", ["SN-A", "SN-B"])],
        declaration_number="DEC-77",
    )
    client.force_login(holder)
    response = client.get(_detail(licence))
    text = response.content.decode()
    assert "Armoured personnel carrier" in text
    assert "8 items" in text  # remaining
    assert "SN-A, SN-B" in text
    assert "DEC-77" in text
    assert "Recorded a shipment" in text  # the history, with the registered verb label
    assert 'id="verification-url"' in text
    assert f"/verify/{licence.number}/?v=1" in text
    assert "data:image/svg+xml" in text
    assert "Record a shipment" in text
    assert "Suspend" not in text  # an exporter does not suspend
    assert response.context["actions"] == [{"action": "surrender", "label": "Surrender"}]


def test_pdf_download_is_a_signed_pdf_attachment(client: Any, licence: Licence) -> None:
    client.force_login(holder_of(licence))
    response = client.get(reverse("licences:pdf", args=[licence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert licence.number in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


# Shipments --------------------------------------------------------------------------------------------------


def test_holder_records_a_shipment_through_the_page(client: Any, licence: Licence) -> None:
    client.force_login(holder_of(licence))
    url = reverse("licences:ship", args=[licence.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _shipment_data("3", "300.00", "SN-1\nSN-2\n\nSN-3"))
    assert response.status_code == 302
    assert response["Location"] == _detail(licence)
    line = LicenceLine.objects.get(licence=licence)
    assert (line.shipped_quantity, line.shipped_value) == (3, Decimal("300.00"))
    shipment = Shipment.objects.get(licence=licence)
    assert (shipment.source, shipment.exit_point, shipment.transport) == ("exporter", "Yahodyn", "road")
    assert shipment.lines.get().serial_numbers == ["SN-1", "SN-2", "SN-3"]
    assert _verbs(licence)[-1] == "shipment.recorded"
    assert "7 items" in client.get(_detail(licence)).content.decode()


def test_customs_records_a_shipment_as_customs(client: Any, licence: Licence) -> None:
    client.force_login(user_with_role(Role.CUSTOMS_OFFICER))
    response = client.post(reverse("licences:ship", args=[licence.pk]), _shipment_data("1", "100"))
    assert response.status_code == 302
    assert Shipment.objects.get(licence=licence).source == "customs"


def test_overdraw_shows_the_service_message_and_stores_nothing(client: Any, licence: Licence) -> None:
    client.force_login(holder_of(licence))
    before = AuditEntry.objects.count()
    response = client.post(reverse("licences:ship", args=[licence.pk]), _shipment_data("11", "100.00"))
    assert response.status_code == 200
    assert "line 1: 11 would exceed the 10 remaining" in response.content.decode()
    assert not Shipment.objects.exists()
    assert LicenceLine.objects.get(licence=licence).shipped_quantity == 0
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quantity_1": "", "value_1": ""}, "a shipment has at least one line"),
        ({"quantity_1": "2", "serials_1": "A1"}, "1 serial numbers for 2 items"),
        ({"shipped_on": (TODAY() + dt.timedelta(days=2)).isoformat()}, "cannot be in the future"),
    ],
)
def test_bad_shipments_show_the_service_message(
    client: Any, licence: Licence, data: dict[str, str], message: str
) -> None:
    client.force_login(holder_of(licence))
    response = client.post(reverse("licences:ship", args=[licence.pk]), _shipment_data(**data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Shipment.objects.exists()


def test_shipment_on_a_suspended_licence_is_refused_on_the_form(client: Any, licence: Licence) -> None:
    services.licence_transition(
        actor=user_with_role(Role.CASE_OFFICER), licence=licence, action="suspend", reason="inquiry"
    )
    client.force_login(holder_of(licence))
    assert "Record a shipment" not in client.get(_detail(licence)).content.decode()
    response = client.post(reverse("licences:ship", args=[licence.pk]), _shipment_data("1", "1"))
    assert response.status_code == 200
    assert f"licence {licence.number} is suspended" in response.content.decode()
    assert not Shipment.objects.exists()


def test_other_exporter_cannot_record_on_someone_elses_licence(client: Any, licence: Licence) -> None:
    client.force_login(user_with_role(Role.EXPORTER_USER))
    assert client.post(reverse("licences:ship", args=[licence.pk]), _shipment_data()).status_code == 404
    client.force_login(user_with_role(Role.CASE_OFFICER))
    assert client.post(reverse("licences:ship", args=[licence.pk]), _shipment_data()).status_code == 403
    assert not Shipment.objects.exists()


def test_reverse_a_shipment_through_the_page(client: Any, licence: Licence) -> None:
    holder = holder_of(licence)
    shipment = services.shipment_record(
        actor=holder, licence=licence, shipped_on=TODAY(), lines=[ShipmentLineInput(1, 4, "400")]
    )
    client.force_login(holder)
    url = reverse("licences:shipment_reverse", args=[licence.pk, shipment.pk])
    assert url in client.get(_detail(licence)).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "give the reason for the correction" in response.content.decode()
    assert Shipment.objects.count() == 1
    response = client.post(url, {"reason": "declaration cancelled"})
    assert response.status_code == 302
    assert LicenceLine.objects.get(licence=licence).shipped_quantity == 0
    assert _verbs(licence)[-1] == "shipment.reversed"
    text = client.get(_detail(licence)).content.decode()
    assert "Reversed" in text
    assert f"Reversal of {shipment.reference}" in text
    assert url not in text  # no second reversal offered


# Status changes and amendments ------------------------------------------------------------------------------


def test_suspend_reinstate_and_revoke_through_the_pages(client: Any, licence: Licence) -> None:
    officer = user_with_role(Role.CASE_OFFICER)
    client.force_login(officer)
    suspend = reverse("licences:transition", args=[licence.pk, "suspend"])
    assert client.post(suspend, {"reason": "under investigation"}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "suspended"
    assert _verbs(licence)[-1] == "licence.suspend"
    assert client.post(reverse("licences:transition", args=[licence.pk, "revoke"]), {"reason": "x"}).status_code == 403
    reinstate = reverse("licences:transition", args=[licence.pk, "reinstate"])
    assert client.post(reinstate, {"reason": "cleared"}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "active"
    assert _verbs(licence)[-1] == "licence.reinstate"
    assert client.get(reverse("licences:transition", args=[licence.pk, "expire"])).status_code == 404


def test_revoke_without_reason_shows_the_message_and_changes_nothing(client: Any, licence: Licence) -> None:
    client.force_login(user_with_role(Role.SENIOR_OFFICER))
    url = reverse("licences:transition", args=[licence.pk, "revoke"])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "give the reason" in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == "active"
    assert "licence.revoke" not in _verbs(licence)
    assert client.post(url, {"reason": "end user sanctioned"}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "revoked"
    assert _verbs(licence)[-1] == "licence.revoke"
    # A revoked licence cannot be revoked again: the workflow's message, on the form.
    response = client.post(url, {"reason": "again"})
    assert response.status_code == 200
    assert "cannot be moved" in response.content.decode()


def test_holder_surrenders(client: Any, licence: Licence) -> None:
    client.force_login(holder_of(licence))
    url = reverse("licences:transition", args=[licence.pk, "surrender"])
    assert client.post(url, {"reason": "contract ended"}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "surrendered"
    assert client.post(reverse("licences:transition", args=[licence.pk, "suspend"]), {"reason": "x"}).status_code == 403


def test_amend_through_the_page(client: Any, licence: Licence) -> None:
    services.shipment_record(
        actor=holder_of(licence), licence=licence, shipped_on=TODAY(), lines=[ShipmentLineInput(1, 4, "400")]
    )
    client.force_login(user_with_role(Role.CASE_OFFICER))
    url = reverse("licences:amend", args=[licence.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"quantity_1": "3", "reason": "order reduced"})
    assert response.status_code == 200
    assert "line 1: 4 already shipped" in response.content.decode()
    response = client.post(url, {"consignees": "no country here", "reason": "x"})
    assert response.status_code == 200
    assert "name, ISO country code" in response.content.decode()
    response = client.post(
        url,
        {
            "valid_until": (TODAY() + dt.timedelta(days=500)).isoformat(),
            "end_user": "Land Forces",
            "consignees": "Logistics Base 3, pl",
            "quantity_1": "8",
            "reason": "order reduced; new consignee",
        },
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.version == 2
    assert licence.consignees == [{"name": "Logistics Base 3", "country": "PL", "role": "consignee"}]
    assert LicenceLine.objects.get(licence=licence).quantity == 8
    assert _verbs(licence)[-1] == "licence.amended"
    text = client.get(_detail(licence)).content.decode()
    assert "order reduced; new consignee" in text
    assert "line 1: 10 → 8" in text


def test_amend_without_reason_or_change_stores_nothing(client: Any, licence: Licence) -> None:
    client.force_login(user_with_role(Role.CASE_OFFICER))
    url = reverse("licences:amend", args=[licence.pk])
    response = client.post(url, {"end_user": "Someone else", "reason": ""})
    assert response.status_code == 200
    assert "give the reason" in response.content.decode()
    response = client.post(url, {"end_user": "Land Forces", "reason": "nothing really"})
    assert response.status_code == 200
    assert "nothing to change" in response.content.decode()
    licence.refresh_from_db()
    assert licence.version == 1
    client.force_login(holder_of(licence))
    assert client.get(url).status_code == 403


# Issuing ----------------------------------------------------------------------------------------------------


def test_issue_a_licence_from_an_approved_application(client: Any) -> None:
    world = licensing_world()
    application = approved_application(world)
    url = reverse("licences:issue", args=[application.pk])
    client.force_login(world.exporter)
    assert client.get(url).status_code == 403  # the applicant sees the application but does not issue
    client.force_login(world.officer)
    page = client.get(url)
    assert page.status_code == 200
    assert "Approve with conditions" in page.content.decode() or "approve" in page.content.decode().lower()
    response = client.post(url, {"valid_until": (TODAY() - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200
    assert "the validity must end in the future" in response.content.decode()
    assert not Licence.objects.exists()
    response = client.post(url, {"valid_until": ""})
    licence = Licence.objects.get(application=application)
    assert response.status_code == 302
    assert response["Location"] == _detail(licence)
    assert _verbs(licence)[0] == "licence.issued"
    assert client.get(url).status_code == 302  # already issued: to the licence
    response = client.post(url, {"valid_until": ""})
    assert response.status_code == 200
    assert "already issued" in response.content.decode()


def test_issue_page_for_an_application_out_of_scope_is_404(client: Any) -> None:
    world = licensing_world()
    application = approved_application(world)
    client.force_login(user_with_role(Role.EXPORTER_USER))
    assert client.get(reverse("licences:issue", args=[application.pk])).status_code == 404


# Bulk actions -----------------------------------------------------------------------------------------------


def test_bulk_suspension_confirms_then_lists_every_licence(client: Any) -> None:
    pl_1 = direct_licence(number="LIC-B-1")
    pl_2 = direct_licence(number="LIC-B-2")
    de = direct_licence(number="LIC-B-3", destination="DE")
    client.force_login(user_with_role(Role.CASE_OFFICER))
    assert client.get(reverse("licences:bulk")).status_code == 404
    client.force_login(user_with_role(Role.SENIOR_OFFICER))
    url = reverse("licences:bulk")
    data = {"kind": "suspend", "destination": "PL", "reason": "new arms embargo"}
    response = client.post(url, {**data, "reason": ""})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    response = client.post(url, {"kind": "suspend", "reason": "x"})
    assert "choose by destination" in response.content.decode()
    confirm = client.post(url, data)
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "2 licences would be suspended" in text
    assert "LIC-B-1" in text
    assert "LIC-B-2" in text
    assert "LIC-B-3" not in text
    assert not BulkAction.objects.exists()  # nothing changed yet
    response = client.post(url, {**data, "confirm": "yes"})
    bulk = BulkAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("licences:bulk_result", args=[bulk.pk])
    result = client.get(response["Location"]).content.decode()
    assert "LIC-B-1" in result
    assert "LIC-B-2" in result
    assert "LIC-B-3" not in result
    for item, status in ((pl_1, "suspended"), (pl_2, "suspended"), (de, "active")):
        item.refresh_from_db()
        assert item.status == status
    assert _verbs(bulk) == ["licences.bulk_suspend"]


# Customs and compliance -------------------------------------------------------------------------------------


def _csv(*rows: dict[str, str]) -> SimpleUploadedFile:
    lines = [",".join(COLUMNS), *(",".join(row.get(column, "") for column in COLUMNS) for row in rows)]
    return SimpleUploadedFile("declarations.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def _row(licence: Licence, number: str, **overrides: str) -> dict[str, str]:
    return {
        "declaration_number": number,
        "date": TODAY().isoformat(),
        "exporter_registration_number": licence.holder.registration_number,
        "hs_code": "871000",
        "goods_description": "APC",
        "quantity": "1",
        "value": "100.00",
        "currency": "EUR",
        "destination_country": "PL",
        "licence_number": licence.number,
        **overrides,
    }


def test_declarations_import_shows_row_errors_and_outcomes(client: Any, licence: Licence) -> None:
    country("DE")
    client.force_login(user_with_role(Role.CUSTOMS_OFFICER))
    url = reverse("licences:declarations_import")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"file": _csv(_row(licence, "D-1"), _row(licence, "D-2", date="yesterday"))})
    assert bad.status_code == 200
    assert "dates are YYYY-MM-DD" in bad.content.decode()
    assert not CustomsDeclaration.objects.exists()
    good = client.post(url, {"file": _csv(_row(licence, "D-1"), _row(licence, "D-2", destination_country="DE"))})
    assert good.status_code == 200
    text = good.content.decode()
    assert 'data-outcome="matched">1<' in text
    assert 'data-outcome="destination_mismatch">1<' in text
    assert CustomsDeclaration.objects.count() == 2
    assert AuditEntry.objects.filter(verb="customs.declarations_imported").count() == 1
    client.force_login(holder_of(licence))
    assert client.get(url).status_code == 404


def test_discrepancy_queue_and_resolve(client: Any, licence: Licence) -> None:
    country("DE")
    services.declarations_import(
        actor=None,
        text="\n".join(
            [",".join(COLUMNS), ",".join(_row(licence, "D-9", destination_country="DE")[c] for c in COLUMNS)]
        ),
    )
    declaration = CustomsDeclaration.objects.get()
    compliance = user_with_role(Role.COMPLIANCE_OFFICER)
    client.force_login(compliance)
    text = client.get(reverse("licences:discrepancies")).content.decode()
    assert "D-9" in text
    assert "Destination mismatch" in text
    filtered = client.get(reverse("licences:discrepancies"), {"status": "open", "outcome": "goods_mismatch"})
    assert 'data-declaration="D-9"' not in filtered.content.decode()
    url = reverse("licences:discrepancy_resolve", args=[declaration.pk])
    response = client.post(url, {"resolution": ""})
    assert response.status_code == 200
    assert "say how it was resolved" in response.content.decode()
    assert client.post(url, {"resolution": "re-export to DE authorised separately"}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == "resolved"
    assert _verbs(declaration) == ["customs.discrepancy_resolved"]
    assert 'data-declaration="D-9"' not in client.get(reverse("licences:discrepancies")).content.decode()
    client.force_login(user_with_role(Role.CUSTOMS_OFFICER))  # sees the queue, does not resolve
    assert client.get(reverse("licences:discrepancies")).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(holder_of(licence))
    assert client.get(reverse("licences:discrepancies")).status_code == 404
    assert client.get(url).status_code == 404


def test_serial_trace_page(client: Any, licence: Licence) -> None:
    services.shipment_record(
        actor=holder_of(licence),
        licence=licence,
        shipped_on=TODAY(),
        lines=[ShipmentLineInput(1, 2, "10", ["SN-1", "SN-2"])],
    )
    client.force_login(user_with_role(Role.COMPLIANCE_OFFICER))
    text = client.get(reverse("licences:serial_trace"), {"serial": "SN-2"}).content.decode()
    assert licence.number in text
    assert "Land Forces" in text
    client.force_login(user_with_role(Role.EXPORTER_USER))
    text = client.get(reverse("licences:serial_trace"), {"serial": "SN-2"}).content.decode()
    assert licence.number not in text
    assert "No shipment you may see" in text


# Signing keys -----------------------------------------------------------------------------------------------


def test_system_admin_rotates_the_signing_key(client: Any, licence: Licence) -> None:
    old = licence.signing_key
    assert old is not None
    client.force_login(user_with_role(Role.SENIOR_OFFICER))
    assert client.get(reverse("licences:keys")).status_code == 404
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    assert old.key_id in client.get(reverse("licences:keys")).content.decode()
    assert client.post(reverse("licences:keys")).status_code == 302
    new = SigningKey.objects.get(active=True)
    assert new != old
    assert _verbs(new) == ["signing_key.rotated"]
    text = client.get(reverse("licences:keys")).content.decode()
    assert "Retired" in text
    assert new.key_id in text


# Public verification ----------------------------------------------------------------------------------------


def test_verify_page_authentic_without_login(client: Any, licence: Licence) -> None:
    parts = urlsplit(verification_url(licence))
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="verification-result"' in text
    assert "Authentic" in text
    assert 'id="licence-status"' in text


def test_verify_page_not_authentic_for_a_tampered_signature(client: Any, licence: Licence) -> None:
    parts = urlsplit(verification_url(licence))
    signature = licence.signature
    tampered = parts.query.replace(signature[-6:], "AAAAAA" if not signature.endswith("AAAAAA") else "BBBBBB")
    response = client.get(f"{parts.path}?{tampered}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not authentic" in text
    assert licence.holder.name not in text


# Navigation and home ----------------------------------------------------------------------------------------


def test_navigation_and_home_sections() -> None:
    def labels(user: Any) -> list[str]:
        return [item["label"] for item in navigation_for(user, "/")]

    exporter = user_with_role(Role.EXPORTER_USER)
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    compliance = user_with_role(Role.COMPLIANCE_OFFICER)
    assert "Licences" in labels(exporter)
    assert "Licences" in labels(customs)
    assert "Licences" in labels(user_with_role(Role.ANALYST))
    assert "Discrepancies" in labels(compliance)
    assert "Discrepancies" not in labels(exporter)
    assert "Licences" not in labels(UserFactory(organisation=OrganisationFactory(), roles=[]))
    customs_home = [section["description"] for section in home_sections_for(customs)]
    assert "Check goods against licences, record exports, report usage." in customs_home
    assert "Your licences" in [section["title"] for section in home_sections_for(exporter)]


def test_an_approved_case_leads_to_issuing_its_licence(client) -> None:  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import licensing_world

    from .factories import approved_application

    world = licensing_world()
    application = approved_application(world)
    client.force_login(world.officer)
    case_page = client.get(f"/applications/{application.pk}/").content.decode()
    assert f'href="/licences/issue/{application.pk}/"' in case_page
    client.force_login(world.exporter)
    assert "issued by the authority" in client.get(f"/applications/{application.pk}/").content.decode()
    client.force_login(world.officer)
    response = client.post(f"/licences/issue/{application.pk}/", {})
    assert response.status_code == 302
    client.force_login(world.exporter)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'id="application-licence"' in page
