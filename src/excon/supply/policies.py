"""Who may do what with capacity declarations, requirements, priorities, surplus rules and surplus equipment.

* Manufacturers' staff declare and read capacity for their own products, and see their products' surplus.
* The defence ministry — technical experts and commission members of the defence department — records the
  armed forces' requirements, places and lifts domestic priorities, lists surplus equipment and corrects
  declarations. Senior officers of the authority also correct declarations, set the surplus rules and
  bulk-suspend the licences a priority affects.
* Requirement rows are never shown to exporters; a row marked above the reader's clearance is not shown either."""

from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.markings import cleared_for
from excon.core.roles import EXPORTER_ROLES, DepartmentKind, OrganisationKind, Role

if TYPE_CHECKING:
    from excon.accounts.models import User
    from excon.products.models import Product

    from .models import DomesticRequirement

MINISTRY_ROLES = frozenset({Role.TECHNICAL_EXPERT, Role.COMMISSION_MEMBER})
# Government readers of the supply figures (the dashboard, the surplus on products and applications).
DASHBOARD_READERS = frozenset(
    {
        Role.TECHNICAL_EXPERT,
        Role.COMMISSION_MEMBER,
        Role.CASE_OFFICER,
        Role.SENIOR_OFFICER,
        Role.ANALYST,
        Role.AUDITOR,
    }
)


def is_ministry(actor: User) -> bool:
    """Technical experts and commission members of the defence department."""
    if not actor.is_authenticated:
        return False
    organisation = actor.organisation
    return (
        organisation.kind == OrganisationKind.DEPARTMENT
        and organisation.department_kind == DepartmentKind.DEFENCE
        and actor.has_any_role(*MINISTRY_ROLES)
    )


def is_authority_senior(actor: User) -> bool:
    return (
        actor.is_authenticated
        and actor.organisation.kind == OrganisationKind.AUTHORITY
        and actor.has_role(Role.SENIOR_OFFICER)
    )


def is_exporter(actor: User) -> bool:
    return actor.is_authenticated and actor.organisation.is_exporter and actor.has_any_role(*EXPORTER_ROLES)


def is_supply_reader(actor: User) -> bool:
    """Government users who read supply figures across manufacturers."""
    return actor.is_authenticated and actor.is_government and actor.has_any_role(*DASHBOARD_READERS)


def can_declare_capacity(actor: User, product: Product) -> bool:
    return is_exporter(actor) and actor.organisation_id == product.manufacturer_id


def can_correct_declaration(actor: User) -> bool:
    return is_ministry(actor) or is_authority_senior(actor)


def can_view_declarations_of_all(actor: User) -> bool:
    return is_ministry(actor) or is_authority_senior(actor) or is_supply_reader(actor)


def can_view_product_supply(actor: User, product: Product) -> bool:
    return (is_exporter(actor) and actor.organisation_id == product.manufacturer_id) or is_supply_reader(actor)


def can_manage_requirements(actor: User) -> bool:
    return is_ministry(actor)


def can_read_requirements(actor: User) -> bool:
    """Whether any requirement row may be shown to the actor (exporters: never)."""
    return is_ministry(actor) or is_authority_senior(actor) or is_supply_reader(actor)


def can_read_requirement(actor: User, requirement: DomesticRequirement) -> bool:
    return can_read_requirements(actor) and cleared_for(actor.clearance, requirement.marking)


def can_record_domestic_prices(actor: User) -> bool:
    """The ministry records what it pays; prices are as confidential as the requirements they serve."""
    return is_ministry(actor)


def can_read_domestic_prices(actor: User) -> bool:
    """Whether any domestic price row may be shown (never to exporters; rows above the clearance are hidden)."""
    return can_read_requirements(actor)


def can_manage_priorities(actor: User) -> bool:
    return is_ministry(actor)


def can_view_priorities(actor: User) -> bool:
    return can_read_requirements(actor)


def can_suspend_for_priority(actor: User) -> bool:
    return is_authority_senior(actor)


def can_manage_rules(actor: User) -> bool:
    return is_authority_senior(actor)


def can_view_rules(actor: User) -> bool:
    return can_read_requirements(actor)


def can_list_equipment(actor: User) -> bool:
    return is_ministry(actor)


def can_view_equipment(actor: User) -> bool:
    return is_ministry(actor) or is_supply_reader(actor) or is_authority_senior(actor)


def can_view_dashboard(actor: User) -> bool:
    return is_supply_reader(actor) or is_ministry(actor)
