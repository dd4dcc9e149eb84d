"""Who may do what in the export regime.

* An exporter's staff apply for their organisation's export authorisation (and its renewal), add the evidence,
  submit or withdraw it, and read their own authorisations; never another organisation's.
* Case and senior officers of the authority (the commission's secretary) return, refer and decide authorisations;
  senior officers of the authority suspend, reinstate and revoke them, publish the register, set the destination
  policy and the quotas, and bulk-suspend the licences a revocation or a policy change affects.
* Commission members (of the authority or a department) vote on authorisations before the commission; departments'
  commission members and senior officers give their department's advice.
* The authority's readers (case, senior and compliance officers, analysts, auditors, commission members) and the
  departments' commission members read authorisations, the policy and the quotas; customs officers read the
  register (who may export at all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role

from . import workflow
from .enums import AuthorisationStatus

if TYPE_CHECKING:
    from excon.accounts.models import User

    from .models import ExportAuthorisation

AUTHORITY_READERS = frozenset(
    {
        Role.CASE_OFFICER,
        Role.SENIOR_OFFICER,
        Role.COMPLIANCE_OFFICER,
        Role.ANALYST,
        Role.AUDITOR,
        Role.COMMISSION_MEMBER,
    }
)
DEPARTMENT_ADVISERS = frozenset({Role.COMMISSION_MEMBER, Role.SENIOR_OFFICER})


def _kind(actor: User) -> str:
    return str(actor.organisation.kind) if actor.is_authenticated else ""


def is_exporter(actor: User) -> bool:
    return _kind(actor) == OrganisationKind.EXPORTER and actor.has_any_role(*EXPORTER_ROLES)


def is_officer(actor: User) -> bool:
    return _kind(actor) == OrganisationKind.AUTHORITY and actor.has_any_role(Role.CASE_OFFICER, Role.SENIOR_OFFICER)


def is_authority_senior(actor: User) -> bool:
    return _kind(actor) == OrganisationKind.AUTHORITY and actor.has_role(Role.SENIOR_OFFICER)


def is_department_adviser(actor: User) -> bool:
    return _kind(actor) == OrganisationKind.DEPARTMENT and actor.has_any_role(*DEPARTMENT_ADVISERS)


def reads_all(actor: User) -> bool:
    """Government readers of every authorisation, the policy and the quotas."""
    kind = _kind(actor)
    return (kind == OrganisationKind.AUTHORITY and actor.has_any_role(*AUTHORITY_READERS)) or (
        kind == OrganisationKind.DEPARTMENT and actor.has_any_role(Role.COMMISSION_MEMBER, Role.SENIOR_OFFICER)
    )


def is_holder_staff(actor: User, authorisation: ExportAuthorisation) -> bool:
    return is_exporter(actor) and actor.organisation_id == authorisation.holder_id


def can_apply_for_authorisation(actor: User) -> bool:
    return is_exporter(actor)


def can_view_authorisation(actor: User, authorisation: ExportAuthorisation) -> bool:
    if is_holder_staff(actor, authorisation):
        return True
    # Drafts are the holder's own work until submitted.
    return reads_all(actor) and authorisation.status != AuthorisationStatus.DRAFT


def can_edit_authorisation(actor: User, authorisation: ExportAuthorisation) -> bool:
    return is_holder_staff(actor, authorisation) and authorisation.status in workflow.EDITABLE_STATES


def can_renew_authorisation(actor: User, authorisation: ExportAuthorisation) -> bool:
    return is_holder_staff(actor, authorisation) and authorisation.status in workflow.RENEWABLE_STATES


def can_give_advice(actor: User, authorisation: ExportAuthorisation) -> bool:
    return is_department_adviser(actor) and authorisation.status == AuthorisationStatus.IN_COMMISSION


def can_vote(actor: User, authorisation: ExportAuthorisation) -> bool:
    return (
        _kind(actor) in (OrganisationKind.AUTHORITY, OrganisationKind.DEPARTMENT)
        and actor.has_role(Role.COMMISSION_MEMBER)
        and authorisation.status == AuthorisationStatus.IN_COMMISSION
    )


def can_transition_authorisation(actor: User, authorisation: ExportAuthorisation, action: str) -> bool:
    """The workflow engine's policy: the table's `who` of the action, checked against the actor."""
    who = workflow.TABLE.actor_kind_for(action)
    if who == workflow.HOLDER:
        return is_holder_staff(actor, authorisation)
    if who == workflow.OFFICER:
        return is_officer(actor)
    if who == workflow.SENIOR:
        return is_authority_senior(actor)
    return False


def can_decide_authorisation(actor: User) -> bool:
    return is_officer(actor)


def can_manage_regime(actor: User) -> bool:
    """Publish the register, set the destination policy and the quotas, bulk-suspend affected licences."""
    return is_authority_senior(actor)


def can_view_register(actor: User) -> bool:
    return reads_all(actor) or (_kind(actor) == OrganisationKind.CUSTOMS and actor.has_role(Role.CUSTOMS_OFFICER))


def can_view_policy(actor: User) -> bool:
    return reads_all(actor)


def can_view_quotas(actor: User) -> bool:
    return reads_all(actor)
