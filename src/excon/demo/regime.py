"""The export regime in the demo: Northfield holds an export authorisation (granted through the commission),
Kestrel's application waits for the commission's decision, the other producers are not authorised; the register
is published; the destination policy names a country of each tier; and a quota to Latvia is nearly used up by
the licence already issued there. Built after the demo cases, so their stages stay put (publishing the policy
re-checks the open ones)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from excon.accounts.models import User
from excon.regime import services
from excon.regime.enums import REQUIRED_EVIDENCE, AuthorisationAction, EvidenceKind, PolicyTier
from excon.regime.models import ExportAuthorisation, PolicyVersion

from .products import technical_pdf

SCOPE_GROUPS = ["eu", "nato"]
TIERS = {
    "PL": PolicyTier.PRIORITY_PARTNER,
    "DE": PolicyTier.PRIORITY_PARTNER,
    "group:nato": PolicyTier.ALLOWED_WITH_REVIEW,
    "SA": PolicyTier.PRESUMPTION_OF_DENIAL,
    "IN": PolicyTier.PRESUMPTION_OF_DENIAL,
    "RU": PolicyTier.PROHIBITED,
    "BY": PolicyTier.PROHIBITED,
    "KP": PolicyTier.PROHIBITED,
}
RULES = [
    # Under a presumption of denial, protective equipment may still go (for review); ammunition never.
    {"tier": PolicyTier.PRESUMPTION_OF_DENIAL, "category": "ML13", "allowed": True},
    {"tier": PolicyTier.ALLOWED_WITH_REVIEW, "category": "ML3", "allowed": False},
]


def _applied(owner: User, categories: list[str], activity: str) -> ExportAuthorisation:
    authorisation = services.authorisation_create(
        actor=owner,
        categories=categories,
        destination_groups=SCOPE_GROUPS,
        activity=activity,
        requested_until=timezone.localdate() + dt.timedelta(days=3 * 365),
    )
    for kind in REQUIRED_EVIDENCE:
        services.authorisation_add_evidence(
            actor=owner,
            authorisation=authorisation,
            kind=kind,
            file=io.BytesIO(technical_pdf(owner.organisation.name, "operation") + kind.encode()),
            filename=f"{kind}.pdf",
            description=EvidenceKind(kind).label,
        )
    authorisation = services.authorisation_submit(actor=owner, authorisation=authorisation)
    return services.authorisation_transition(
        actor=_officer(), authorisation=authorisation, action=AuthorisationAction.REFER
    )


def _officer() -> User:
    return User.objects.get(username="officer")


def build_demo_regime(users: dict[str, User]) -> int:
    if ExportAuthorisation.objects.exists() or PolicyVersion.objects.exists():
        return 0
    northfield = _applied(users["northfield.admin"], ["ML6", "ML11", "ML13"], "Armoured vehicles and their electronics")
    services.authorisation_advise(
        actor=users["commission.defence"],
        authorisation=northfield,
        advice_type="approve",
        rationale="Long-standing supplier of the armed forces; premises cleared.",
    )
    for member in ("commission.defence", "commission.foreign", "commission.security"):
        services.authorisation_vote(actor=users[member], authorisation=northfield, vote="approve")
    services.authorisation_decide(
        actor=users["officer"],
        authorisation=northfield,
        outcome="grant",
        reasons="Ownership, production licence, premises clearance and compliance programme verified.",
        conditions="Report any change of ownership within 30 days.",
    )
    kestrel = _applied(users["kestrel.admin"], ["ML15"], "Thermal sights and night-vision devices")
    services.authorisation_advise(
        actor=users["commission.foreign"],
        authorisation=kestrel,
        advice_type="approve",
        rationale="No foreign-policy objection.",
    )
    services.register_publish(actor=users["senior"])
    services.policy_publish(
        actor=users["senior"],
        in_force_from=timezone.localdate(),
        reason="Government decision on partner selection (demonstration values)",
        destinations=dict(TIERS),
        category_rules=RULES,
        default_tier=PolicyTier.ALLOWED_WITH_REVIEW,
        requires_authorisation=True,
    )
    year = timezone.localdate().year
    # Nearly used up: the licence to Latvia already issued five of the six vehicles allowed this year.
    services.quota_set(
        actor=users["senior"],
        year=year,
        destination="LV",
        category="ML6",
        cap_quantity=6,
        basis="issued",
        note="Armoured vehicles to Latvia",
    )
    services.quota_set(
        actor=users["senior"],
        year=year,
        destination="group:nato",
        category="ML6",
        cap_value="60000000.00",
        currency="EUR",
        basis="approved",
        mode="warning",
        note="Armoured vehicles to the alliance, by value",
    )
    services.quota_set(
        actor=users["senior"], year=year, destination="PL", category="ML6", cap_quantity=40, basis="shipped"
    )
    return 1
