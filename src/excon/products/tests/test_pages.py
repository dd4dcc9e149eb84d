"""The product registry's pages: who sees what, every action through its service and audited, service refusals
shown on the form with nothing stored, downloads, the CSV import, and bounded queries on the lists."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from excon.accounts.tests.factories import user_with_role
from excon.audit.models import AuditEntry
from excon.core.markings import ProtectiveMarking
from excon.core.navigation import home_sections_for, navigation_for
from excon.core.roles import Role
from excon.products import services
from excon.products.enums import DocumentReviewStatus, LifecycleStage, ProductAction, ProductStatus
from excon.products.models import Classification, DocumentVersion, EligibilityDecision, Product, StageWaiver
from excon.refdata.models import HsCode

from .factories import ProductFactory, control_entry, country, destination_group, pdf_bytes

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def hs_codes() -> None:
    HsCode.objects.create(code="87", description="Vehicles", level=2)
    HsCode.objects.create(code="8710", description="Tanks and armoured fighting vehicles", level=4, parent_code="87")
    HsCode.objects.create(
        code="871000", description="Tanks and armoured fighting vehicles", level=6, parent_code="8710"
    )


@pytest.fixture
def exporter():  # type: ignore[no-untyped-def]
    return user_with_role(Role.EXPORTER_USER)


@pytest.fixture
def expert():  # type: ignore[no-untyped-def]
    return user_with_role(Role.TECHNICAL_EXPERT, clearance=ProtectiveMarking.SECRET)


def _verbs(product: Product) -> list[str]:
    return list(AuditEntry.objects.filter(target_id=str(product.pk)).order_by("seq").values_list("verb", flat=True))


def _upload(actor, product, stage: str = LifecycleStage.DESIGN, title: str = "Design file") -> DocumentVersion:  # type: ignore[no-untyped-def]
    return services.document_upload(
        actor=actor, product=product, stage=stage, title=title, file=io.BytesIO(pdf_bytes(title)), filename="d.pdf"
    )


def _submitted(exporter, **kwargs: Any) -> Product:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation, **kwargs)
    services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    product.refresh_from_db()
    return product


def _under_review(exporter, expert, **kwargs: Any) -> Product:  # type: ignore[no-untyped-def]
    product = _submitted(exporter, **kwargs)
    services.product_transition(actor=expert, product=product, action=ProductAction.START_REVIEW)
    product.refresh_from_db()
    return product


def _ready_to_decide(exporter, expert) -> Product:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    for stage in (LifecycleStage.DESIGN, LifecycleStage.PRODUCTION, LifecycleStage.OPERATION):
        version = _upload(exporter, product, stage=stage, title=f"{stage} file")
        services.document_review(actor=expert, version=version, accept=True)
    services.stage_waive(actor=expert, product=product, stage=LifecycleStage.DISPOSAL, reason="new design")
    control_entry("ML6.a")
    services.product_classify(actor=expert, product=product, control_codes=["ML6.a"], rationale="wheeled APC")
    return product


def _decided(exporter, expert) -> Product:  # type: ignore[no-untyped-def]
    product = _ready_to_decide(exporter, expert)
    destination_group("nato", ["PL", "DE"])
    services.eligibility_decide(actor=expert, product=product, outcome="eligible", allowed_group_codes=["nato"])
    product.refresh_from_db()
    return product


def _form(**overrides: str) -> dict[str, str]:
    return {
        "designation": "BTR-4E",
        "name": "Armoured personnel carrier",
        "description": "Eight-wheeled",
        "development_basis": "own_initiative",
        "development_reference": "",
        "condition": "new",
        "origin": "",
        "hs_code": "8710.00",
        "domestic_unit_price": "1250000.00",
        "domestic_price_currency": "uah",
        "marking": "unclassified",
        "aliases": "Bucephalus, BTR-4E Bucephalus",
        "former_designations": "BTR-4",
        "characteristics": "calibre = 30 mm\nmass = 24.5 t\narmour = STANAG 4569 level 3\n",
        **overrides,
    }


# Who sees what ------------------------------------------------------------------------------------------------


def test_product_page_permission_matrix(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    draft = ProductFactory(manufacturer=exporter.organisation)
    submitted = _submitted(exporter)
    secret = _submitted(exporter, marking=ProtectiveMarking.SECRET)
    stranger = user_with_role(Role.EXPORTER_ADMIN)
    officer = user_with_role(Role.CASE_OFFICER)  # cleared for unclassified only
    admin = user_with_role(Role.SYSTEM_ADMIN)

    def status(user: Any, product: Product) -> int:
        client.force_login(user)
        return int(client.get(reverse("products:detail", args=[product.pk])).status_code)

    assert [status(exporter, p) for p in (draft, submitted, secret)] == [200, 200, 200]
    assert [status(stranger, p) for p in (draft, submitted, secret)] == [404, 404, 404]
    assert [status(officer, p) for p in (draft, submitted, secret)] == [404, 200, 404]
    assert [status(expert, p) for p in (draft, submitted, secret)] == [404, 200, 200]
    assert [status(admin, p) for p in (draft, submitted, secret)] == [404, 404, 404]
    client.logout()
    response = client.get(reverse("products:detail", args=[submitted.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_exporter_list_shows_only_its_own_products_with_search_and_status(client, exporter) -> None:  # type: ignore[no-untyped-def]
    ProductFactory(manufacturer=exporter.organisation, designation="BTR-4E", name="Carrier")
    _submitted(exporter, designation="KrAZ-6322", name="Truck")
    ProductFactory(designation="FOREIGN-1")
    client.force_login(exporter)
    page = client.get(reverse("products:list")).content.decode()
    assert "My products" in page
    assert "BTR-4E" in page
    assert "KrAZ-6322" in page
    assert "FOREIGN-1" not in page
    assert "Register a product" in page
    page = client.get(reverse("products:list"), {"q": "truck"}).content.decode()
    assert "KrAZ-6322" in page
    assert "BTR-4E" not in page
    page = client.get(reverse("products:list"), {"status": "draft"}).content.decode()
    assert "BTR-4E" in page
    assert "KrAZ-6322" not in page
    partial = client.get(reverse("products:list"), {"q": "carrier"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_government_search_sees_submitted_products_of_every_manufacturer(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    ProductFactory(manufacturer=exporter.organisation, designation="DRAFT-1")
    _submitted(exporter, designation="BTR-4E", name="Armoured personnel carrier")
    other = user_with_role(Role.EXPORTER_USER)
    _submitted(other, designation="SKIF", name="Anti-tank missile system")
    reader = user_with_role(Role.ANALYST)
    client.force_login(reader)
    page = client.get(reverse("products:list")).content.decode()
    assert "BTR-4E" in page
    assert "SKIF" in page
    assert "DRAFT-1" not in page
    assert "Register a product" not in page
    page = client.get(reverse("products:list"), {"q": "system"}).content.decode()
    assert "SKIF" in page
    assert "BTR-4E" not in page
    page = client.get(reverse("products:list"), {"manufacturer": str(other.organisation.pk)}).content.decode()
    assert "SKIF" in page
    assert "BTR-4E" not in page
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    assert client.get(reverse("products:list")).status_code == 404


def test_search_finds_whole_words(client, exporter) -> None:  # type: ignore[no-untyped-def]
    _submitted(exporter, designation="SKIF", name="Anti-tank missile system")
    client.force_login(user_with_role(Role.ANALYST))
    page = client.get(reverse("products:list"), {"q": "missile"}).content.decode()
    assert "SKIF" in page


def test_list_pages_have_bounded_queries(client, exporter, expert, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        _submitted(exporter)
    client.force_login(exporter)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("products:list"))
    assert response.status_code == 200
    client.force_login(expert)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("products:list"), {"q": "carrier", "status": "submitted"})
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(reverse("products:queue"))
    assert response.status_code == 200
    assert response.content.decode().count("products/") >= 25


def test_review_queue_filters_and_waiting_days(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    old = _submitted(exporter, designation="OLD-1")
    Product.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=10))
    _under_review(exporter, expert, designation="NEW-1")
    ProductFactory(manufacturer=exporter.organisation, designation="DRAFT-1")
    client.force_login(expert)
    page = client.get(reverse("products:queue")).content.decode()
    assert "OLD-1" in page
    assert "NEW-1" in page
    assert "DRAFT-1" not in page
    assert "10 days" in page
    assert page.index("OLD-1") < page.index("NEW-1")  # the longest waiting first
    page = client.get(reverse("products:queue"), {"waiting_days": "5"}).content.decode()
    assert "OLD-1" in page
    assert "NEW-1" not in page
    page = client.get(reverse("products:queue"), {"status": "under_review"}).content.decode()
    assert "NEW-1" in page
    assert "OLD-1" not in page
    client.force_login(exporter)
    assert client.get(reverse("products:queue")).status_code == 404


def test_review_queue_filters_by_control_entry(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert, designation="APC-1")
    _under_review(exporter, expert, designation="OTHER-1")
    control_entry("ML6.a")
    services.product_classify(actor=expert, product=product, control_codes=["ML6.a"], rationale="wheeled")
    client.force_login(expert)
    page = client.get(reverse("products:queue"), {"control_entry": "ML6"}).content.decode()
    assert "APC-1" in page
    assert "OTHER-1" not in page


# Registration -------------------------------------------------------------------------------------------------


def test_register_a_product(client, exporter) -> None:  # type: ignore[no-untyped-def]
    client.force_login(exporter)
    assert client.get(reverse("products:create")).status_code == 200
    response = client.post(reverse("products:create"), _form())
    product = Product.objects.get(designation="BTR-4E")
    assert response.status_code == 302
    assert response["Location"] == reverse("products:detail", args=[product.pk])
    assert product.manufacturer == exporter.organisation
    assert product.hs_code == "871000"
    assert product.domestic_price_currency == "UAH"
    assert [str(c) for c in product.characteristics.all()] == [
        "calibre: 30 mm",
        "mass: 24.5 t",
        "armour: STANAG 4569 level 3",
    ]
    assert sorted(product.aliases.values_list("name", "kind")) == [
        ("BTR-4", "former"),
        ("BTR-4E Bucephalus", "alias"),
        ("Bucephalus", "alias"),
    ]
    assert _verbs(product) == ["product.created"]
    page = client.get(response["Location"]).content.decode()
    assert "STANAG 4569 level 3" in page
    assert "Bucephalus" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hs_code": "123456"}, "is not in the reference data"),
        ({"hs_code": "87AB"}, "is not an HS code"),
        ({"domestic_unit_price": "1.234"}, "at most two decimals"),
        ({"development_basis": "state_order"}, "give the state contract"),
        ({"characteristics": "calibre = 30 mm\ncalibre = 40 mm"}, "is given twice"),
        ({"characteristics": "just words"}, "is not in the form name = value unit"),
    ],
)
def test_registration_errors_are_shown_and_nothing_is_stored(client, exporter, overrides, message) -> None:  # type: ignore[no-untyped-def]
    client.force_login(exporter)
    response = client.post(reverse("products:create"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Product.objects.exists()
    assert not AuditEntry.objects.exists()


def test_duplicate_designation_is_refused(client, exporter) -> None:  # type: ignore[no-untyped-def]
    ProductFactory(manufacturer=exporter.organisation, designation="BTR-4E")
    client.force_login(exporter)
    response = client.post(reverse("products:create"), _form(designation="btr-4e"))
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Product.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_only_exporters_register(client, expert) -> None:  # type: ignore[no-untyped-def]
    client.force_login(expert)
    assert client.get(reverse("products:create")).status_code == 403
    assert client.post(reverse("products:create"), _form()).status_code == 403
    assert not Product.objects.exists()


def test_edit_a_draft_but_not_once_submitted(client, exporter) -> None:  # type: ignore[no-untyped-def]
    product = services.product_create(
        actor=exporter,
        manufacturer=exporter.organisation,
        fields={"designation": "BTR-4E", "name": "Carrier", "development_basis": "own_initiative"},
        characteristics=[services.CharacteristicInput("mass", "24", "t")],
    )
    client.force_login(exporter)
    page = client.get(reverse("products:edit", args=[product.pk])).content.decode()
    assert "mass = 24 t" in page
    response = client.post(
        reverse("products:edit", args=[product.pk]),
        _form(designation="BTR-4EU", characteristics="mass = 25 t", domestic_unit_price="", domestic_price_currency=""),
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.designation == "BTR-4EU"
    assert product.aliases.filter(name="BTR-4E", kind="former").exists()
    assert [str(c) for c in product.characteristics.all()] == ["mass: 25 t"]
    assert _verbs(product) == ["product.created", "product.updated"]
    services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    assert client.get(reverse("products:edit", args=[product.pk])).status_code == 403
    detail = client.get(reverse("products:detail", args=[product.pk])).content.decode()
    assert "Change particulars" not in detail


def test_submit_for_review(client, exporter) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation)
    client.force_login(exporter)
    assert "Submit for review" in client.get(reverse("products:detail", args=[product.pk])).content.decode()
    response = client.post(reverse("products:move", args=[product.pk, "submit"]))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == ProductStatus.SUBMITTED
    assert _verbs(product) == ["product.submit"]
    # Submitting twice is refused by the workflow (no button any more; a stale form gets a 403 from the policy
    # check of the page or the service's message).
    response = client.post(reverse("products:move", args=[product.pk, "submit"]))
    assert response.status_code == 200
    assert "cannot be" in response.content.decode()
    assert _verbs(product) == ["product.submit"]


# Documents ----------------------------------------------------------------------------------------------------


def test_upload_a_document_and_a_new_version(client, exporter) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation)
    client.force_login(exporter)
    url = reverse("products:document_upload", args=[product.pk])
    assert client.get(url, {"stage": "design", "title": "Design file"}).status_code == 200
    for text in ("first", "second"):
        response = client.post(
            url,
            {
                "stage": "design",
                "title": "Design file",
                "file": SimpleUploadedFile("design.pdf", pdf_bytes(text), content_type="application/pdf"),
            },
        )
        assert response.status_code == 302
    versions = DocumentVersion.objects.filter(document__product=product).order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].content_type == "application/pdf"
    assert _verbs(product) == ["document.uploaded", "document.uploaded"]
    page = client.get(reverse("products:detail", args=[product.pk])).content.decode()
    assert versions[1].sha256[:12] in page
    assert reverse("products:document_download", args=[versions[0].pk]) in page


def test_an_executable_named_pdf_is_refused(client, exporter) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation)
    client.force_login(exporter)
    response = client.post(
        reverse("products:document_upload", args=[product.pk]),
        {
            "stage": "design",
            "title": "Design file",
            "file": SimpleUploadedFile("design.pdf", EXECUTABLE, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "are not accepted" in response.content.decode()
    assert not DocumentVersion.objects.exists()
    assert not AuditEntry.objects.exists()


def test_download_streams_the_file_to_those_who_may_see_it(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _submitted(exporter)
    version = _upload(exporter, product)
    url = reverse("products:document_download", args=[version.pk])
    for user in (exporter, expert):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes("Design file")
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="d.pdf"' in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
    client.force_login(user_with_role(Role.EXPORTER_USER))
    assert client.get(url).status_code == 404
    # Customs see the product and its classification, never its technical documents (issue 13).
    client.force_login(user_with_role(Role.CUSTOMS_OFFICER))
    assert client.get(url).status_code == 404
    page = client.get(reverse("products:detail", args=[product.pk]))
    assert page.status_code == 200
    assert url.encode() not in page.content
    assert b"data-document=" not in page.content
    client.logout()
    assert client.get(url).status_code == 302


def test_uploads_of_another_manufacturer_are_not_found(client, exporter) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation)
    client.force_login(user_with_role(Role.EXPORTER_USER))
    response = client.post(
        reverse("products:document_upload", args=[product.pk]),
        {"stage": "design", "title": "x", "file": SimpleUploadedFile("x.pdf", pdf_bytes())},
    )
    assert response.status_code == 404
    assert not DocumentVersion.objects.exists()


# The technical expert's review ------------------------------------------------------------------------------


def test_expert_takes_a_product_from_submitted_to_decided(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _submitted(exporter)
    versions = [
        _upload(exporter, product, stage=stage, title=f"{stage} file")
        for stage in (LifecycleStage.DESIGN, LifecycleStage.PRODUCTION, LifecycleStage.OPERATION)
    ]
    control_entry("ML6.a")
    destination_group("nato", ["PL", "DE"])
    country("EE")
    client.force_login(expert)
    detail = reverse("products:detail", args=[product.pk])
    assert "Start review" in client.get(detail).content.decode()

    assert client.post(reverse("products:move", args=[product.pk, "start_review"])).status_code == 302
    page = client.get(detail).content.decode()
    assert "Under expert review" in page
    assert "Classify" in page
    assert "Decide eligibility" in page

    for version in versions:
        response = client.post(reverse("products:document_review", args=[version.pk]), {"decision": "accept"})
        assert response.status_code == 302
    assert set(DocumentVersion.objects.values_list("review_status", flat=True)) == {DocumentReviewStatus.ACCEPTED}

    response = client.post(reverse("products:waive", args=[product.pk]), {"stage": "disposal", "reason": "new"})
    assert response.status_code == 302
    assert StageWaiver.objects.filter(product=product, stage="disposal").exists()

    response = client.post(
        reverse("products:classify", args=[product.pk]),
        {"control_codes": "ml6.a", "att_category": "b", "unroca_category": "II", "rationale": "wheeled APC"},
    )
    assert response.status_code == 302
    classification = Classification.objects.get(product=product)
    assert [e.code for e in classification.entries.all()] == ["ML6.a"]
    assert (classification.att_category, classification.unroca_category) == ("b", "II")

    assert "NATO (nato)" in client.get(reverse("products:decide", args=[product.pk])).content.decode()
    response = client.post(
        reverse("products:decide", args=[product.pk]),
        {
            "outcome": "eligible_with_conditions",
            "allowed_groups": ["nato"],
            "allowed_countries": "ee",
            "excluded_countries": "",
            "conditions": "no night-vision kit",
            "valid_until": "",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == ProductStatus.DECIDED
    decision = EligibilityDecision.objects.get(product=product)
    assert [g.code for g in decision.allowed_groups.all()] == ["nato"]
    assert [c.iso2 for c in decision.allowed_countries.all()] == ["EE"]
    assert _verbs(product) == [
        "product.submit",
        "document.uploaded",
        "document.uploaded",
        "document.uploaded",
        "product.start_review",
        "document.accepted",
        "document.accepted",
        "document.accepted",
        "product.stage_waived",
        "product.classified",
        "product.eligibility_decided",
        "product.decide",
    ]
    page = client.get(detail).content.decode()
    assert "Decided" in page
    assert "no night-vision kit" in page
    assert "Complete" in page
    assert "ML6.a" in page
    assert "Reopen review" in page

    # The answer carries its code for machines (data-code), and says it in words for people.
    answer = client.get(detail, {"country": "PL"}).content.decode()
    assert 'data-code="eligibility.eligible_with_conditions"' in answer
    assert ">eligibility.eligible_with_conditions<" not in answer
    assert "Eligible with conditions" in answer
    country("BR")
    partial = client.get(detail, {"country": "BR"}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="eligibility-answer"')
    assert 'data-code="eligibility.destination_not_allowed"' in partial

    assert client.post(reverse("products:move", args=[product.pk, "reopen"])).status_code == 302
    product.refresh_from_db()
    assert product.status == ProductStatus.UNDER_REVIEW
    assert _verbs(product)[-1] == "product.reopen"


def test_returning_a_document_needs_a_comment(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    version = _upload(exporter, product)
    client.force_login(expert)
    url = reverse("products:document_review", args=[version.pk])
    assert client.get(url, {"decision": "return"}).status_code == 200
    response = client.post(url, {"decision": "return", "comment": " "})
    assert response.status_code == 200
    assert "say why the document is returned" in response.content.decode()
    version.refresh_from_db()
    assert version.review_status == DocumentReviewStatus.PENDING
    response = client.post(url, {"decision": "return", "comment": "Drawings are missing"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.review_status, version.review_comment) == (DocumentReviewStatus.RETURNED, "Drawings are missing")
    assert _verbs(product)[-1] == "document.returned"
    assert "Drawings are missing" in client.get(reverse("products:detail", args=[product.pk])).content.decode()


def test_returning_a_product_needs_a_comment(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    client.force_login(expert)
    url = reverse("products:move", args=[product.pk, "return"])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert "say what the manufacturer must change" in response.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.UNDER_REVIEW
    response = client.post(url, {"comment": "Add the mass"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == ProductStatus.RETURNED
    assert _verbs(product)[-1] == "product.return"


def test_unknown_control_code_is_shown_and_nothing_is_classified(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    control_entry("ML6.a")
    client.force_login(expert)
    response = client.post(
        reverse("products:classify", args=[product.pk]), {"control_codes": "ML6.a, ML99.z", "rationale": "APC"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "unknown control-list entries: ML99.z" in content
    assert 'id="id_control_codes-error"' in content
    assert not Classification.objects.exists()
    assert _verbs(product)[-1] == "product.start_review"


def test_eligibility_errors_are_shown_and_nothing_is_decided(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _ready_to_decide(exporter, expert)
    country("PL")
    client.force_login(expert)
    url = reverse("products:decide", args=[product.pk])
    for data, message in (
        ({"outcome": "eligible", "allowed_countries": "ZZ"}, "not a known ISO 3166-1"),
        ({"outcome": "eligible"}, "name the destinations"),
        ({"outcome": "eligible_with_conditions", "allowed_countries": "PL"}, "state the conditions"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not EligibilityDecision.objects.exists()
    product.refresh_from_db()
    assert product.status == ProductStatus.UNDER_REVIEW


def test_decide_without_complete_documentation_is_refused(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    country("PL")
    client.force_login(expert)
    response = client.post(
        reverse("products:decide", args=[product.pk]), {"outcome": "eligible", "allowed_countries": "PL"}
    )
    assert response.status_code == 200
    assert "documentation is not complete" in response.content.decode()
    assert not EligibilityDecision.objects.exists()


def test_expert_pages_are_closed_to_exporters_and_readers(client, exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    version = _upload(exporter, product)
    urls = [
        reverse("products:classify", args=[product.pk]),
        reverse("products:decide", args=[product.pk]),
        reverse("products:waive", args=[product.pk]),
        reverse("products:document_review", args=[version.pk]),
        reverse("products:move", args=[product.pk, "return"]),
    ]
    for user in (exporter, user_with_role(Role.CASE_OFFICER)):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403] * len(urls)
        page = client.get(reverse("products:detail", args=[product.pk])).content.decode()
        assert "Decide eligibility" not in page
        assert ">Accept<" not in page
    client.force_login(user_with_role(Role.EXPORTER_USER))
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    client.force_login(expert)
    assert client.get(reverse("products:move", args=[product.pk, "decide"])).status_code == 404
    assert client.get(reverse("products:edit", args=[product.pk])).status_code == 403


def test_history_is_shown_on_the_product_page(client, exporter) -> None:  # type: ignore[no-untyped-def]
    product = _submitted(exporter)
    client.force_login(exporter)
    page = client.get(reverse("products:detail", args=[product.pk])).content.decode()
    assert 'data-verb="product.submit"' in page


def test_product_page_query_count_is_bounded(client, exporter, expert, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    product = _decided(exporter, expert)
    for number in range(5):
        _upload(exporter, product, stage=LifecycleStage.DESIGN, title=f"Extra {number}")
    client.force_login(expert)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("products:detail", args=[product.pk]))
    assert response.status_code == 200


# CSV import ---------------------------------------------------------------------------------------------------

CSV_HEADER = "designation,name,development_basis,hs_code,characteristics\n"
CSV_GOOD = 'BTR-4E,Armoured personnel carrier,own_initiative,871000,"calibre=30 mm|mass=24.5 t"\n'
CSV_GOOD_2 = "KrAZ-6322,Military truck,own_initiative,,\n"
CSV_BAD = "SKIF,Anti-tank missile system,own_initiative,12,\n"


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("products.csv", text.encode(), content_type="text/csv")


def test_import_page_documents_the_columns(client, exporter) -> None:  # type: ignore[no-untyped-def]
    client.force_login(exporter)
    page = client.get(reverse("products:import")).content.decode()
    for column in ("designation", "development_basis", "former_designations", "characteristics"):
        assert f"<code>{column}</code>" in page


def test_import_with_a_bad_row_writes_nothing_and_lists_the_error(client, exporter) -> None:  # type: ignore[no-untyped-def]
    client.force_login(exporter)
    response = client.post(reverse("products:import"), {"file": _csv(CSV_HEADER + CSV_GOOD + CSV_BAD + CSV_GOOD_2)})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was registered" in content
    assert 'data-code="hs_code.malformed"' in content
    assert ">3</td>" in content
    assert ">hs_code</td>" in content
    assert not Product.objects.exists()
    assert not AuditEntry.objects.exists()


def test_partial_import_writes_the_good_rows(client, exporter) -> None:  # type: ignore[no-untyped-def]
    client.force_login(exporter)
    response = client.post(
        reverse("products:import"), {"file": _csv(CSV_HEADER + CSV_GOOD + CSV_BAD + CSV_GOOD_2), "partial": "on"}
    )
    assert response.status_code == 200
    assert "Registered: BTR-4E, KrAZ-6322" in response.content.decode()
    assert sorted(Product.objects.values_list("designation", flat=True)) == ["BTR-4E", "KrAZ-6322"]
    assert all(p.manufacturer == exporter.organisation for p in Product.objects.all())
    assert AuditEntry.objects.filter(verb="product.created").count() == 2


def test_a_clean_import_redirects_to_the_list(client, exporter) -> None:  # type: ignore[no-untyped-def]
    client.force_login(exporter)
    response = client.post(reverse("products:import"), {"file": _csv(CSV_HEADER + CSV_GOOD)})
    assert response.status_code == 302
    assert Product.objects.get().characteristics.count() == 2


def test_import_of_a_non_utf8_file_is_a_form_error(client, exporter) -> None:  # type: ignore[no-untyped-def]
    client.force_login(exporter)
    bad = SimpleUploadedFile("products.csv", "designation\nÄ\n".encode("utf-16"), content_type="text/csv")
    response = client.post(reverse("products:import"), {"file": bad})
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()


# Navigation ---------------------------------------------------------------------------------------------------


def test_navigation_and_home_sections() -> None:
    exporter = user_with_role(Role.EXPORTER_ADMIN)
    expert = user_with_role(Role.TECHNICAL_EXPERT)
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    admin = user_with_role(Role.SYSTEM_ADMIN)

    def labels(user: Any) -> list[str]:
        return [item["label"] for item in navigation_for(user, "/")]

    assert "Products" in labels(exporter)
    assert "Review queue" not in labels(exporter)
    assert {"Products", "Review queue"} <= set(labels(expert))
    assert "Products" in labels(customs)
    assert "Review queue" not in labels(customs)
    assert "Products" not in labels(admin)
    assert "Your products" in [s["title"] for s in home_sections_for(exporter)]
    assert "Product review" in [s["title"] for s in home_sections_for(expert)]
    assert "Product review" not in [s["title"] for s in home_sections_for(exporter)]
