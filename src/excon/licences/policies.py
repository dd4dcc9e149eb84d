"""Who may do what with licences, shipments and customs data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role

from . import workflow
from .enums import ShipmentSource
from .models import CustomsDeclaration

if TYPE_CHECKING:
    from excon.accounts.models import User

    from .models import Licence, Shipment

AUTHORITY_READERS = frozenset(
    {Role.CASE_OFFICER, Role.SENIOR_OFFICER, Role.COMPLIANCE_OFFICER, Role.ANALYST, Role.AUDITOR}
)


def _in(actor: User, kind: str) -> bool:
    return actor.organisation.kind == kind


def is_holder_staff(actor: User, licence: Licence) -> bool:
    return actor.organisation_id == licence.holder_id and actor.has_any_role(*EXPORTER_ROLES)


def is_customs(actor: User) -> bool:
    return _in(actor, OrganisationKind.CUSTOMS) and actor.has_role(Role.CUSTOMS_OFFICER)


def is_licensing_officer(actor: User) -> bool:
    return _in(actor, OrganisationKind.AUTHORITY) and actor.has_any_role(Role.CASE_OFFICER, Role.SENIOR_OFFICER)


def can_view_licence(actor: User, licence: Licence) -> bool:
    if not actor.is_authenticated:
        return False
    if is_holder_staff(actor, licence):
        return True
    if _in(actor, OrganisationKind.AUTHORITY) and actor.has_any_role(*AUTHORITY_READERS):
        return True
    # Customs checks goods at the border against licences: it sees issued licences, not historical records.
    return is_customs(actor) and licence.source == "issued"


def can_list_licences(actor: User) -> bool:
    """Who has a licence list (and the serial-number trace): the holders' staff, customs, the authority's readers."""
    return (
        actor.has_any_role(*EXPORTER_ROLES)
        or is_customs(actor)
        or (_in(actor, OrganisationKind.AUTHORITY) and actor.has_any_role(*AUTHORITY_READERS))
    )


def sees_licence_holders(actor: User) -> bool:
    """Whether lists name each licence's holder (an exporter sees only its own licences, so it needs no column)."""
    return not actor.has_any_role(*EXPORTER_ROLES)


def shipment_source_for(actor: User) -> str:
    """Who a shipment is on record as coming from: customs when a customs officer records it, else the holder."""
    return "customs" if is_customs(actor) else "exporter"


def can_issue_licence(actor: User) -> bool:
    return is_licensing_officer(actor)


def can_transition_licence(actor: User, licence: Licence, action: str) -> bool:
    kind = workflow.TABLE.actor_kind_for(action)
    if kind == workflow.HOLDER:
        return is_holder_staff(actor, licence)
    if kind == workflow.AUTHORITY:
        if action == "revoke":
            return _in(actor, OrganisationKind.AUTHORITY) and actor.has_role(Role.SENIOR_OFFICER)
        return is_licensing_officer(actor)
    return False


def can_amend_licence(actor: User, licence: Licence) -> bool:
    return is_licensing_officer(actor) and licence.source == "issued"


def can_bulk_act(actor: User) -> bool:
    return _in(actor, OrganisationKind.AUTHORITY) and actor.has_role(Role.SENIOR_OFFICER)


def can_record_shipment(actor: User, licence: Licence) -> bool:
    return is_holder_staff(actor, licence) or is_customs(actor)


CUSTOMS_SOURCES = frozenset({ShipmentSource.CUSTOMS, ShipmentSource.CUSTOMS_BATCH})


def customs_confirmed_ids(licence: Licence) -> set[Any]:
    """The licence's shipments customs has confirmed: recorded or reported by customs, or carrying the number of an
    export declaration customs reported for this licence. One query for the whole licence."""
    declared = CustomsDeclaration.objects.filter(licence=licence).values_list("declaration_number", flat=True)
    return set(
        licence.shipments.filter(Q(source__in=CUSTOMS_SOURCES) | Q(declaration_number__in=declared)).values_list(
            "pk", flat=True
        )
    )


def is_customs_confirmed(shipment: Shipment) -> bool:
    return shipment.pk in customs_confirmed_ids(shipment.licence)


def can_reverse_shipment(actor: User, shipment: Shipment, *, confirmed: bool | None = None) -> bool:
    """Customs and the authority (compliance or licensing officers) correct any shipment; the holder only one
    customs has not confirmed (`confirmed`: is_customs_confirmed, when the caller already knows it)."""
    if is_customs(actor) or is_licensing_officer(actor):
        return True
    if _in(actor, OrganisationKind.AUTHORITY) and actor.has_role(Role.COMPLIANCE_OFFICER):
        return True
    if not is_holder_staff(actor, shipment.licence):
        return False
    return not (is_customs_confirmed(shipment) if confirmed is None else confirmed)


def can_import_declarations(actor: User) -> bool:
    return is_customs(actor) or (_in(actor, OrganisationKind.AUTHORITY) and actor.has_role(Role.COMPLIANCE_OFFICER))


def can_resolve_discrepancy(actor: User) -> bool:
    return _in(actor, OrganisationKind.AUTHORITY) and actor.has_role(Role.COMPLIANCE_OFFICER)


def can_view_discrepancies(actor: User) -> bool:
    return can_import_declarations(actor) or (
        _in(actor, OrganisationKind.AUTHORITY) and actor.has_any_role(Role.AUDITOR, Role.SENIOR_OFFICER)
    )


def can_rotate_keys(actor: User) -> bool:
    return _in(actor, OrganisationKind.AUTHORITY) and actor.has_role(Role.SYSTEM_ADMIN)


def can_submit_usage_return(actor: User, licence: Licence) -> bool:
    """An open licence's periodic return is the holder's to make."""
    return is_holder_staff(actor, licence)


def can_confirm_temporary_return(actor: User, licence: Licence) -> bool:
    """Temporarily exported goods are confirmed back by customs at the border or by the holder."""
    return is_holder_staff(actor, licence) or is_customs(actor)
