"""Product registry services: registration, the workflow, documents, classification, eligibility, visibility."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from excon.accounts.tests.factories import OrganisationFactory, UserFactory, user_with_role
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationError
from excon.core.markings import ProtectiveMarking
from excon.core.roles import Role
from excon.products import selectors, services
from excon.products.enums import DocumentReviewStatus, LifecycleStage, ProductAction, ProductStatus
from excon.products.models import DocumentVersion, Product

from .factories import ProductFactory, control_entry, country, destination_group, pdf_bytes

pytestmark = pytest.mark.django_db
ALL_ROLES = list(Role)


def _fields(**overrides: object) -> dict[str, object]:
    return {
        "designation": "BTR-4E",
        "name": "Armoured personnel carrier",
        "development_basis": "own_initiative",
        "hs_code": "871000",
        "domestic_unit_price": "1250000.00",
        "domestic_price_currency": "UAH",
        **overrides,
    }


@pytest.fixture
def exporter():  # type: ignore[no-untyped-def]
    return user_with_role(Role.EXPORTER_USER)


@pytest.fixture
def expert():  # type: ignore[no-untyped-def]
    return user_with_role(Role.TECHNICAL_EXPERT, clearance=ProtectiveMarking.SECRET)


@pytest.fixture(autouse=True)
def hs_codes():  # type: ignore[no-untyped-def]
    from excon.refdata.models import HsCode

    HsCode.objects.create(code="87", description="Vehicles", level=2)
    HsCode.objects.create(
        code="8710", description="Tanks and other armoured fighting vehicles", level=4, parent_code="87"
    )
    HsCode.objects.create(
        code="871000", description="Tanks and other armoured fighting vehicles", level=6, parent_code="8710"
    )


def _upload(
    actor, product, stage: str = LifecycleStage.DESIGN, title: str = "Design description", data: bytes | None = None
):  # type: ignore[no-untyped-def]
    return services.document_upload(
        actor=actor,
        product=product,
        stage=stage,
        title=title,
        file=io.BytesIO(data or pdf_bytes(title)),
        filename=f"{title}.pdf",
    )


def _under_review(exporter, expert, **product_kwargs):  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation, **product_kwargs)
    services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    services.product_transition(actor=expert, product=product, action=ProductAction.START_REVIEW)
    product.refresh_from_db()
    return product


def _complete_documentation(exporter, expert, product) -> None:  # type: ignore[no-untyped-def]
    for stage in (LifecycleStage.DESIGN, LifecycleStage.PRODUCTION, LifecycleStage.OPERATION):
        version = _upload(exporter, product, stage=stage, title=f"{stage} file")
        services.document_review(actor=expert, version=version, accept=True)
    services.stage_waive(actor=expert, product=product, stage=LifecycleStage.DISPOSAL, reason="new design; plan due")


def _decided(exporter, expert, **decision):  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    _complete_documentation(exporter, expert, product)
    control_entry("ML6.a")
    services.product_classify(actor=expert, product=product, control_codes=["ML6.a"], rationale="wheeled APC")
    destination_group("nato", ["PL", "DE"])
    services.eligibility_decide(
        actor=expert,
        product=product,
        outcome=decision.get("outcome", "eligible"),
        allowed_group_codes=decision.get("groups", ["nato"]),
        allowed_countries=decision.get("allowed", ["EE"]),
        excluded_countries=decision.get("excluded", []),
        conditions=decision.get("conditions", ""),
        valid_until=decision.get("valid_until"),
    )
    product.refresh_from_db()
    return product


# Registration -----------------------------------------------------------------------------------------------


def test_exporter_registers_a_product_with_characteristics_and_aliases(exporter) -> None:  # type: ignore[no-untyped-def]
    product = services.product_create(
        actor=exporter,
        manufacturer=exporter.organisation,
        fields=_fields(),
        characteristics=[
            services.CharacteristicInput("calibre", "30", "mm"),
            services.CharacteristicInput("mass", 24.5, "t"),
            services.CharacteristicInput("armour", "STANAG 4569 level 3"),
        ],
        aliases=["Bucephalus", "BTR-4E"],
        former_designations=["BTR-4"],
    )
    assert product.status == ProductStatus.DRAFT
    assert [str(c) for c in product.characteristics.all()] == [
        "calibre: 30 mm",
        "mass: 24.5 t",
        "armour: STANAG 4569 level 3",
    ]
    assert sorted(product.aliases.values_list("name", "kind")) == [("BTR-4", "former"), ("Bucephalus", "alias")]
    assert AuditEntry.objects.filter(verb="product.created", target_id=str(product.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"designation": " "}, "product.designation_required"),
        ({"hs_code": "123456"}, "hs_code.unknown"),
        ({"hs_code": "87AB"}, "hs_code.malformed"),
        ({"domestic_unit_price": "-5"}, "product.invalid_price"),
        ({"domestic_unit_price": "1.234"}, "product.invalid_price"),
        ({"domestic_price_currency": "XXY"}, "money.unknown_currency"),
        ({"domestic_price_currency": ""}, "product.currency_required"),
        ({"development_basis": "stolen"}, "product.invalid_development_basis"),
        ({"development_basis": "state_order"}, "product.development_reference_required"),
        ({"marking": "top-secret"}, "product.invalid_marking"),
    ],
)
def test_registration_errors_have_codes_and_store_nothing(exporter, overrides, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as excinfo:
        services.product_create(actor=exporter, manufacturer=exporter.organisation, fields=_fields(**overrides))
    assert excinfo.value.code == code
    assert not Product.objects.exists()
    assert not AuditEntry.objects.exists()


def test_designation_is_unique_per_manufacturer(exporter) -> None:  # type: ignore[no-untyped-def]
    services.product_create(actor=exporter, manufacturer=exporter.organisation, fields=_fields())
    with pytest.raises(Conflict) as excinfo:
        services.product_create(
            actor=exporter, manufacturer=exporter.organisation, fields=_fields(designation="btr-4e")
        )
    assert excinfo.value.code == "product.duplicate_designation"
    other = user_with_role(Role.EXPORTER_USER)
    services.product_create(actor=other, manufacturer=other.organisation, fields=_fields())


@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_register_for_a_manufacturer(role: Role) -> None:
    manufacturer = OrganisationFactory()
    actor = (
        UserFactory(organisation=manufacturer, roles=[role])
        if role in (Role.EXPORTER_ADMIN, Role.EXPORTER_USER)
        else user_with_role(role)
    )
    call = lambda: services.product_create(actor=actor, manufacturer=manufacturer, fields=_fields())  # noqa: E731
    if role in (Role.EXPORTER_ADMIN, Role.EXPORTER_USER):
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_another_exporters_staff_cannot_register_or_see(exporter) -> None:  # type: ignore[no-untyped-def]
    stranger = user_with_role(Role.EXPORTER_ADMIN)
    with pytest.raises(PermissionDenied):
        services.product_create(actor=stranger, manufacturer=exporter.organisation, fields=_fields())
    product = ProductFactory(manufacturer=exporter.organisation, status=ProductStatus.SUBMITTED)
    with pytest.raises(NotFound):
        selectors.product_get(actor=stranger, product_id=product.pk)
    assert not selectors.product_list(actor=stranger).exists()


# Editing and the workflow -----------------------------------------------------------------------------------


def test_editing_only_in_draft_or_returned_and_renames_keep_the_old_designation(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = services.product_create(actor=exporter, manufacturer=exporter.organisation, fields=_fields())
    services.product_update(actor=exporter, product=product, fields={"designation": "BTR-4EU"})
    assert product.aliases.filter(name="BTR-4E", kind="former").exists()
    services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    with pytest.raises(InvalidTransition) as excinfo:
        services.product_update(actor=exporter, product=product, fields={"name": "changed"})
    assert excinfo.value.code == "product.not_editable"
    services.product_transition(actor=expert, product=product, action=ProductAction.START_REVIEW)
    services.product_transition(actor=expert, product=product, action=ProductAction.RETURN, comment="add mass")
    services.product_update(
        actor=exporter, product=product, characteristics=[services.CharacteristicInput("mass", "24", "t")]
    )
    services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    product.refresh_from_db()
    assert product.status == ProductStatus.SUBMITTED
    verbs = list(AuditEntry.objects.filter(target_id=str(product.pk)).values_list("verb", flat=True))
    assert verbs == [
        "product.created",
        "product.updated",
        "product.submit",
        "product.start_review",
        "product.return",
        "product.updated",
        "product.submit",
    ]


STATE_FOR_ACTION = {
    ProductAction.SUBMIT: ProductStatus.DRAFT,
    ProductAction.START_REVIEW: ProductStatus.SUBMITTED,
    ProductAction.RETURN: ProductStatus.UNDER_REVIEW,
    ProductAction.REOPEN: ProductStatus.DECIDED,
}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", list(STATE_FOR_ACTION))
def test_matrix_workflow_moves(role: Role, action: ProductAction) -> None:
    manufacturer = OrganisationFactory()
    product = ProductFactory(manufacturer=manufacturer, status=STATE_FOR_ACTION[action])
    exporter_role = role in (Role.EXPORTER_ADMIN, Role.EXPORTER_USER)
    actor = UserFactory(organisation=manufacturer, roles=[role]) if exporter_role else user_with_role(role)
    allowed = (action == ProductAction.SUBMIT and exporter_role) or (
        action != ProductAction.SUBMIT and role == Role.TECHNICAL_EXPERT
    )
    if allowed:
        services.product_transition(actor=actor, product=product, action=action, comment="reason given")
        product.refresh_from_db()
        assert product.status != STATE_FOR_ACTION[action]
    else:
        with pytest.raises(PermissionDenied):
            services.product_transition(actor=actor, product=product, action=action, comment="reason given")


def test_forbidden_moves_are_refused_with_a_code(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation, status=ProductStatus.SUBMITTED)
    with pytest.raises(InvalidTransition) as excinfo:
        services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    assert excinfo.value.code == "product.invalid_transition"
    with pytest.raises(InvalidTransition):
        services.product_transition(actor=expert, product=product, action=ProductAction.DECIDE)
    with pytest.raises(ValidationError):
        services.product_transition(actor=expert, product=product, action="explode")


def test_return_needs_a_comment_and_decide_needs_everything(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    with pytest.raises(ValidationError) as excinfo:
        services.product_transition(actor=expert, product=product, action=ProductAction.RETURN)
    assert excinfo.value.code == "product.comment_required"
    with pytest.raises(Conflict) as excinfo:
        services.product_transition(actor=expert, product=product, action=ProductAction.DECIDE)
    assert excinfo.value.code == "product.documentation_incomplete"
    assert set(excinfo.value.details["missing_stages"]) == set(LifecycleStage.values)


# Documents --------------------------------------------------------------------------------------------------


def test_upload_keeps_every_version_with_hash_size_and_detected_type(exporter) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation)
    first = _upload(exporter, product, data=pdf_bytes("first"))
    second = _upload(exporter, product, data=pdf_bytes("second"))
    assert (first.version, second.version) == (1, 2)
    assert first.document_id == second.document_id
    assert first.content_type == "application/pdf"
    import hashlib

    assert first.sha256 == hashlib.sha256(pdf_bytes("first")).hexdigest()
    with default_storage.open(first.storage_name) as handle:
        assert handle.read() == pdf_bytes("first")
    assert first.storage_name != second.storage_name


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "manual.pdf", "file.type_not_allowed"),  # an executable named .pdf
        (b"just some text", "notes.pdf", "file.type_not_allowed"),
        (b"", "empty.pdf", "file.empty"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(exporter, data, filename, code) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.document_upload(
            actor=exporter, product=product, stage="design", title="Manual", file=io.BytesIO(data), filename=filename
        )
    assert excinfo.value.code == code
    assert not DocumentVersion.objects.exists()
    assert not product.documents.exists()
    assert AuditEntry.objects.count() == entries


def test_size_limit_is_a_setting(exporter, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EXCON_UPLOAD_MAX_BYTES = 100
    product = ProductFactory(manufacturer=exporter.organisation)
    with pytest.raises(ValidationError) as excinfo:
        _upload(exporter, product)
    assert excinfo.value.code == "file.too_large"


def test_unknown_stage_and_foreign_uploads_refused(exporter) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(manufacturer=exporter.organisation)
    with pytest.raises(ValidationError) as excinfo:
        services.document_upload(
            actor=exporter,
            product=product,
            stage="marketing",
            title="x",
            file=io.BytesIO(pdf_bytes()),
            filename="x.pdf",
        )
    assert excinfo.value.code == "document.invalid_stage"
    with pytest.raises(PermissionDenied):
        _upload(user_with_role(Role.EXPORTER_ADMIN), product)


def test_review_accepts_or_returns_the_newest_version(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    first = _upload(exporter, product)
    with pytest.raises(ValidationError):
        services.document_review(actor=expert, version=first, accept=False)
    services.document_review(actor=expert, version=first, accept=False, comment="add drawings")
    with pytest.raises(Conflict):
        services.document_review(actor=expert, version=first, accept=True)
    second = _upload(exporter, product)
    first.refresh_from_db()
    assert first.review_status == DocumentReviewStatus.RETURNED
    services.document_review(actor=expert, version=second, accept=True)
    assert selectors.documentation_status(product).accepted_stages == ["design"]
    with pytest.raises(PermissionDenied):
        services.document_review(actor=exporter, version=second, accept=True)


# Classification and eligibility -----------------------------------------------------------------------------


def test_classification_history_is_kept(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    control_entry("ML6.a")
    control_entry("ML13.a")
    services.product_classify(actor=expert, product=product, control_codes=["ML6.a"], rationale="APC", att_category="b")
    services.product_classify(
        actor=expert, product=product, control_codes=["ml6.a", "ML13.a"], rationale="armour kit too"
    )
    history = list(selectors.classification_history(product))
    assert len(history) == 2
    assert history[1].superseded_at is not None
    assert sorted(e.code for e in selectors.current_classification(product).entries.all()) == ["ML13.a", "ML6.a"]
    entry = AuditEntry.objects.filter(verb="product.reclassified").get()
    assert entry.payload["previous"] == ["ML6.a"]
    assert entry.payload["rationale"] == "armour kit too"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"control_codes": ["ML99.z"]}, "control_entry.unknown"),
        ({"control_codes": []}, "classification.entries_required"),
        ({"control_codes": ["ML6.a"], "not_controlled": True}, "classification.contradictory"),
        ({"control_codes": ["ML6.a"], "att_category": "zz"}, "att_category.unknown"),
        ({"control_codes": ["ML6.a"], "rationale": ""}, "classification.rationale_required"),
    ],
)
def test_classification_errors(exporter, expert, kwargs, code) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    control_entry("ML6.a")
    with pytest.raises(DomainError) as excinfo:
        services.product_classify(actor=expert, product=product, **{"rationale": "r", **kwargs})
    assert excinfo.value.code == code
    assert not product.classifications.exists()


def test_decision_then_eligibility_answers(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    country("EE")
    country("RU")
    product = _decided(exporter, expert, excluded=["RU"])
    assert product.status == ProductStatus.DECIDED
    answer = selectors.product_export_eligibility(product, "PL")
    assert (answer.eligible, answer.code, answer.matched_by) == (True, "eligibility.eligible", ["group nato"])
    assert selectors.product_export_eligibility(product, "EE").matched_by == ["country EE"]
    assert selectors.product_export_eligibility(product, "RU").code == "eligibility.destination_excluded"
    assert selectors.product_export_eligibility(product, "BR").code == "eligibility.destination_not_allowed"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert selectors.product_export_eligibility(product, "PL", on=yesterday).code == "eligibility.not_decided"


def test_conditions_and_expiry(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    country("EE")
    valid_until = timezone.localdate() + dt.timedelta(days=30)
    product = _decided(
        exporter, expert, outcome="eligible_with_conditions", conditions="no night-vision kit", valid_until=valid_until
    )
    answer = selectors.product_export_eligibility(product, "DE")
    assert answer.code == "eligibility.eligible_with_conditions"
    assert answer.conditions == "no night-vision kit"
    later = valid_until + dt.timedelta(days=1)
    assert selectors.product_export_eligibility(product, "DE", on=later).code == "eligibility.expired"


def test_new_documentation_after_the_decision_flags_review(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    country("EE")
    product = _decided(exporter, expert)
    _upload(exporter, product, stage="operation", title="Updated operator manual")
    product.refresh_from_db()
    assert product.needs_review
    assert selectors.product_export_eligibility(product, "PL").code == "eligibility.under_review"
    assert product in selectors.product_review_queue(actor=expert)
    services.product_transition(actor=expert, product=product, action=ProductAction.REOPEN)
    assert AuditEntry.objects.filter(verb="product.flagged_for_review").exists()


def test_eligibility_validation(exporter, expert) -> None:  # type: ignore[no-untyped-def]
    product = _under_review(exporter, expert)
    with pytest.raises(ValidationError) as excinfo:
        services.eligibility_decide(actor=expert, product=product, outcome="eligible", allowed_countries=["ZZ"])
    assert excinfo.value.code == "country.unknown"
    with pytest.raises(ValidationError) as excinfo:
        services.eligibility_decide(actor=expert, product=product, outcome="eligible")
    assert excinfo.value.code == "eligibility.destinations_required"
    country("PL")
    with pytest.raises(ValidationError) as excinfo:
        services.eligibility_decide(
            actor=expert, product=product, outcome="eligible", allowed_countries=["PL"], excluded_countries=["PL"]
        )
    assert excinfo.value.code == "eligibility.contradictory_countries"
    with pytest.raises(Conflict) as excinfo:
        services.eligibility_decide(actor=expert, product=product, outcome="eligible", allowed_countries=["PL"])
    assert excinfo.value.code == "product.documentation_incomplete"
    assert not product.eligibility_decisions.exists()


# Visibility -------------------------------------------------------------------------------------------------


def test_marked_products_need_clearance(exporter) -> None:  # type: ignore[no-untyped-def]
    secret = ProductFactory(
        manufacturer=exporter.organisation, status=ProductStatus.SUBMITTED, marking=ProtectiveMarking.SECRET
    )
    plain = ProductFactory(manufacturer=exporter.organisation, status=ProductStatus.SUBMITTED)
    uncleared = user_with_role(Role.CASE_OFFICER)
    cleared = user_with_role(Role.CASE_OFFICER, clearance=ProtectiveMarking.SECRET)
    with pytest.raises(NotFound):
        selectors.product_get(actor=uncleared, product_id=secret.pk)
    assert list(selectors.product_list(actor=uncleared)) == [plain]
    assert selectors.product_get(actor=cleared, product_id=secret.pk) == secret
    assert selectors.product_get(actor=exporter, product_id=secret.pk) == secret


def test_drafts_are_the_manufacturers_own(exporter) -> None:  # type: ignore[no-untyped-def]
    draft = ProductFactory(manufacturer=exporter.organisation)
    officer = user_with_role(Role.CASE_OFFICER)
    with pytest.raises(NotFound):
        selectors.product_get(actor=officer, product_id=draft.pk)
    assert selectors.product_get(actor=exporter, product_id=draft.pk) == draft
    with pytest.raises(NotFound):
        selectors.product_get(actor=user_with_role(Role.SYSTEM_ADMIN), product_id=draft.pk)


def test_search_by_words_and_aliases(exporter) -> None:  # type: ignore[no-untyped-def]
    product = services.product_create(
        actor=exporter, manufacturer=exporter.organisation, fields=_fields(), aliases=["Bucephalus"]
    )
    services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    ProductFactory(
        manufacturer=exporter.organisation, name="Mortar", description="120 mm mortar", status=ProductStatus.SUBMITTED
    )
    officer = user_with_role(Role.CASE_OFFICER)
    assert list(selectors.product_list(actor=officer, search="personnel carrier")) == [product]
    assert list(selectors.product_list(actor=officer, search="Bucephalus")) == [product]
    assert list(selectors.product_list(actor=officer, search="BTR-4E")) == [product]
