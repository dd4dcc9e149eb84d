"""Drafting an application: particulars, goods lines, parties, documents, the end-user certificate; amendments."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max

from excon.audit.services import audit_record
from excon.core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from excon.core.files import store_upload
from excon.core.ids import parse_uuid
from excon.core.money import validate_currency
from excon.core.refnumbers import next_reference
from excon.core.services import apply_changes
from excon.products.models import Product
from excon.products.policies import can_view_product
from excon.refdata import selectors as refdata_selectors

from .. import licence_types, policies
from ..enums import (
    ACCEPTED_TYPES,
    ApplicationAction,
    ApplicationStatus,
    ApplicationType,
    AuditVerb,
    DocumentKind,
    PartyKind,
    PartyRole,
)
from ..models import Application, ApplicationDocument, EndUserCertificate, GoodsLine, Party
from .common import deny, locked, require_text, text
from .transitions import application_transition
from .types import copy_terms

if TYPE_CHECKING:
    from excon.accounts.models import User

APPLICATION_FIELDS = ("destination", "end_use_statement", "contract_reference", "contract_value", "contract_currency")


def _amount(value: Any, *, field: str, code: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValidationError(f"{value!r} is not an amount", code=code, details={"field": field}) from exc
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(
            "an amount is non-negative with at most two decimals", code=code, details={"field": field}
        )
    return amount


def clean_application_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}", code="application.unknown_field")
    cleaned: dict[str, Any] = {}
    if "destination" in fields:
        value = fields["destination"]
        cleaned["destination"] = refdata_selectors.country_by_iso2(value) if text(value) else None
    for key in ("end_use_statement", "contract_reference"):
        if key in fields:
            cleaned[key] = text(fields[key])
    if "contract_value" in fields:
        raw = fields["contract_value"]
        cleaned["contract_value"] = (
            None if raw in (None, "") else _amount(raw, field="contract_value", code="application.invalid_value")
        )
    if "contract_currency" in fields:
        currency = text(fields["contract_currency"]).upper()
        cleaned["contract_currency"] = validate_currency(currency) if currency else ""
    return cleaned


def _editable(actor: User, application: Application) -> Application:
    application = locked(application)
    if not policies.can_edit_application(actor, application):
        if policies.is_applicant_staff(actor, application):
            raise InvalidTransition(
                "a submitted application cannot be changed: withdraw it or submit an amendment",
                code="application.not_editable",
            )
        raise deny("you may not change this application")
    return application


@transaction.atomic
def application_create(
    *, actor: User, application_type: str = ApplicationType.STANDARD_INDIVIDUAL, **fields: Any
) -> Application:
    if not policies.can_create_application(actor):
        raise deny("only an active exporter's staff apply for licences")
    if application_type not in ApplicationType.values:
        raise ValidationError(f"unknown application type {application_type!r}", code="application.unknown_type")
    if application_type not in ACCEPTED_TYPES:
        raise ValidationError(
            f"{ApplicationType(application_type).label} applications are not accepted yet",
            code="application.type_not_accepted",
            details={"field": "application_type"},
        )
    cleaned = clean_application_fields(fields)
    application = Application.objects.create(
        reference=next_reference("EXP"),
        applicant=actor.organisation,
        created_by=actor,
        application_type=application_type,
        **cleaned,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_CREATED,
        target=application,
        payload={
            "reference": application.reference,
            "type": application_type,
            **{key: (value.iso2 if key == "destination" and value else value) for key, value in cleaned.items()},
        },
    )
    return application


@transaction.atomic
def application_update(*, actor: User, application: Application, **fields: Any) -> Application:
    application = _editable(actor, application)
    cleaned = clean_application_fields(fields)
    changes = apply_changes(application, cleaned)
    if changes:
        application.save()
        audit_record(actor=actor, verb=AuditVerb.APPLICATION_UPDATED, target=application, payload={"changes": changes})
    return application


@transaction.atomic
def goods_line_add(
    *,
    actor: User,
    application: Application,
    quantity: Any,
    unit_value: Any,
    currency: str,
    product_id: Any = None,
    description: str = "",
    origin: str = "",
    control_code: str = "",
    capped: bool = True,
) -> GoodsLine:
    """Add goods; `capped=False` (open licences only) makes the quantity and value an estimate, not a limit."""
    application = _editable(actor, application)
    if not capped and application.application_type not in licence_types.UNCAPPED_TYPES:
        raise ValidationError(
            f"a {ApplicationType(application.application_type).label.lower()} sets the quantity: only an open "
            "licence's goods may be without a cap",
            code="application.cap_required",
            details={"field": "capped"},
        )
    product = None
    if product_id:
        key = parse_uuid(product_id)
        product = Product.objects.filter(pk=key).first() if key else None
        if product is None or not can_view_product(actor, product):
            raise NotFound("product", details={"field": "product_id"})
        if product.manufacturer_id != application.applicant_id:
            raise ValidationError(
                "an exporter applies for its own registered products",
                code="application.product_not_own",
                details={"field": "product_id"},
            )
    description = text(description)
    if product is None and not description:
        raise ValidationError(
            "choose a registered product, or describe the second-hand item",
            code="application.goods_required",
            details={"field": "product_id"},
        )
    control_entry = None
    if product is None:
        origin = require_text(
            origin, field="origin", code="application.origin_required", message="give the second-hand item's origin"
        )
        if text(control_code):
            control_entry = refdata_selectors.control_entries_by_code([control_code])[0]
    try:
        count = int(str(quantity).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"{quantity!r} is not a whole number", code="application.invalid_quantity", details={"field": "quantity"}
        ) from exc
    if count <= 0:
        raise ValidationError(
            "the quantity must be at least 1", code="application.invalid_quantity", details={"field": "quantity"}
        )
    value = _amount(unit_value, field="unit_value", code="application.invalid_value")
    currency_code = validate_currency(currency)
    number = (application.goods_lines.aggregate(top=Max("line_number"))["top"] or 0) + 1
    line = GoodsLine.objects.create(
        application=application,
        line_number=number,
        product=product,
        description=description,
        origin=text(origin),
        control_entry=control_entry,
        quantity=count,
        unit_value=value,
        currency=currency_code,
        capped=bool(capped),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_GOODS_LINE_ADDED,
        target=application,
        payload={
            "line": number,
            "product": product.designation if product else None,
            "description": description,
            "quantity": count,
            "unit_value": value,
            "currency": currency_code,
            "capped": bool(capped),
        },
    )
    return line


@transaction.atomic
def goods_line_remove(*, actor: User, application: Application, line_number: int) -> None:
    application = _editable(actor, application)
    deleted, _ = application.goods_lines.filter(line_number=line_number).delete()
    if not deleted:
        raise NotFound("goods line")
    audit_record(
        actor=actor, verb=AuditVerb.APPLICATION_GOODS_LINE_REMOVED, target=application, payload={"line": line_number}
    )


@transaction.atomic
def party_add(
    *, actor: User, application: Application, role: str, name: str, country: str, kind: str, address: str = ""
) -> Party:
    application = _editable(actor, application)
    if role not in PartyRole.values:
        raise ValidationError(f"unknown party role {role!r}", code="party.unknown_role", details={"field": "role"})
    if kind not in PartyKind.values:
        raise ValidationError(f"unknown party kind {kind!r}", code="party.unknown_kind", details={"field": "kind"})
    name = require_text(name, field="name", code="party.name_required", message="a party needs a name")
    country_obj = refdata_selectors.country_by_iso2(country)
    single = licence_types.single_party_roles(application.application_type)
    if role in single and application.parties.filter(role=role).exists():
        raise Conflict(
            f"the application already has its {PartyRole(role).label.lower()}",
            code="party.role_taken",
            details={"field": "role"},
        )
    party = Party.objects.create(
        application=application, role=role, name=name, address=text(address), country=country_obj, kind=kind
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_PARTY_ADDED,
        target=application,
        payload={"party": str(party.pk), "role": role, "name": name, "country": country_obj.iso2, "kind": kind},
    )
    return party


@transaction.atomic
def party_remove(*, actor: User, application: Application, party_id: Any) -> None:
    application = _editable(actor, application)
    key = parse_uuid(party_id)
    party = application.parties.filter(pk=key).first() if key else None
    if party is None:
        raise NotFound("party")
    payload = {"party": str(party.pk), "role": party.role, "name": party.name}
    party.delete()
    audit_record(actor=actor, verb=AuditVerb.APPLICATION_PARTY_REMOVED, target=application, payload=payload)


def _attach(
    actor: User,
    application: Application,
    kind: str,
    file: IO[bytes] | Any,
    filename: str,
    party: Party | None,
    description: str,
) -> ApplicationDocument:
    stored = store_upload(file, original_filename=filename, folder=f"applications/{application.pk}")
    document = ApplicationDocument.objects.create(
        application=application,
        party=party,
        kind=kind,
        description=text(description),
        uploaded_by=actor,
        **asdict(stored),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_DOCUMENT_ATTACHED,
        target=application,
        payload={
            "document": str(document.pk),
            "kind": kind,
            **stored.audit_fields(),
        },
    )
    return document


@transaction.atomic
def document_attach(
    *,
    actor: User,
    application: Application,
    kind: str,
    file: IO[bytes] | Any,
    filename: str,
    party_id: Any = None,
    description: str = "",
) -> ApplicationDocument:
    application = _editable(actor, application)
    if kind not in DocumentKind.values or kind == DocumentKind.INFORMATION_ANSWER:
        raise ValidationError(
            f"unknown document kind {kind!r}", code="document.invalid_kind", details={"field": "kind"}
        )
    party = None
    if party_id:
        key = parse_uuid(party_id)
        party = application.parties.filter(pk=key).first() if key else None
        if party is None:
            raise NotFound("party", details={"field": "party_id"})
    return _attach(actor, application, kind, file, filename, party, description)


@transaction.atomic
def end_user_certificate_set(
    *,
    actor: User,
    application: Application,
    number: str,
    issue_date: dt.date | str,
    issuing_authority: str,
    signatory: str,
    file: IO[bytes] | Any | None = None,
    filename: str = "",
) -> EndUserCertificate:
    """Record the end-user certificate (mandatory) and, with `file`, its scanned original."""
    application = _editable(actor, application)
    number = require_text(number, field="number", code="euc.number_required", message="the certificate's number")
    authority = require_text(
        issuing_authority, field="issuing_authority", code="euc.authority_required", message="the issuing authority"
    )
    signatory = require_text(signatory, field="signatory", code="euc.signatory_required", message="the signatory")
    if isinstance(issue_date, str):
        try:
            issue_date = dt.date.fromisoformat(issue_date.strip())
        except ValueError as exc:
            raise ValidationError(
                "the issue date is YYYY-MM-DD", code="euc.invalid_date", details={"field": "issue_date"}
            ) from exc
    if issue_date > dt.date.today():
        raise ValidationError(
            "the issue date is in the future", code="euc.invalid_date", details={"field": "issue_date"}
        )
    document = None
    if file is not None:
        document = _attach(
            actor, application, DocumentKind.END_USER_CERTIFICATE, file, filename or "euc", None, f"EUC {number}"
        )
    certificate, created = EndUserCertificate.objects.update_or_create(
        application=application,
        defaults={"number": number, "issue_date": issue_date, "issuing_authority": authority, "signatory": signatory},
    )
    if document is not None:
        certificate.document = document
        certificate.save(update_fields=["document", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_EUC_RECORDED if created else AuditVerb.APPLICATION_EUC_UPDATED,
        target=application,
        payload={
            "number": number,
            "issue_date": issue_date,
            "issuing_authority": authority,
            "signatory": signatory,
            "file": bool(document),
        },
    )
    return certificate


@transaction.atomic
def application_amend(*, actor: User, application: Application) -> Application:
    """Replace a submitted case with an editable copy: the old one becomes superseded (kept, read-only) and is
    linked from the new draft."""
    old = locked(application)
    application_transition(actor=actor, application=old, action=ApplicationAction.SUPERSEDE)
    new = Application.objects.create(
        reference=next_reference("EXP"),
        applicant=old.applicant,
        created_by=actor,
        application_type=old.application_type,
        destination=old.destination,
        end_use_statement=old.end_use_statement,
        contract_reference=old.contract_reference,
        contract_value=old.contract_value,
        contract_currency=old.contract_currency,
        supersedes=old,
        status=ApplicationStatus.DRAFT,
    )
    party_map: dict[Any, Party] = {}
    for party in old.parties.all():
        party_map[party.pk] = Party.objects.create(
            application=new,
            role=party.role,
            name=party.name,
            address=party.address,
            country=party.country,
            kind=party.kind,
        )
    GoodsLine.objects.bulk_create(
        [
            GoodsLine(
                application=new,
                line_number=line.line_number,
                product=line.product,
                description=line.description,
                origin=line.origin,
                control_entry=line.control_entry,
                quantity=line.quantity,
                unit_value=line.unit_value,
                currency=line.currency,
                capped=line.capped,
            )
            for line in old.goods_lines.all()
        ]
    )
    copy_terms(old, new)
    document_map: dict[Any, ApplicationDocument] = {}
    for document in old.documents.exclude(kind=DocumentKind.INFORMATION_ANSWER):
        document_map[document.pk] = ApplicationDocument.objects.create(
            application=new,
            party=party_map.get(document.party_id),
            kind=document.kind,
            description=document.description,
            uploaded_by=document.uploaded_by,
            **document.file_fields(),
        )
    certificate = getattr(old, "end_user_certificate", None)
    if certificate is not None:
        EndUserCertificate.objects.create(
            application=new,
            number=certificate.number,
            issue_date=certificate.issue_date,
            issuing_authority=certificate.issuing_authority,
            signatory=certificate.signatory,
            document=document_map.get(certificate.document_id),
        )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_AMENDMENT_STARTED,
        target=new,
        payload={"supersedes": old.reference, "reference": new.reference},
    )
    return new
