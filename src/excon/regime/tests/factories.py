"""Builders for regime tests, on the applications' licensing world: an exporter's authorisation obtained through
the whole chain (apply, evidence, submit, refer, advice, vote, grant), policy versions and quotas straight through
the services."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from excon.accounts.models import User
from excon.accounts.tests.factories import OrganisationFactory, UserFactory
from excon.applications.tests.factories import World
from excon.core.roles import DepartmentKind, Role
from excon.products.tests.factories import pdf_bytes
from excon.regime import services
from excon.regime.enums import REQUIRED_EVIDENCE, AuthorisationAction
from excon.regime.models import ExportAuthorisation, PolicyVersion, Quota


def other_exporter() -> User:
    return UserFactory(organisation=OrganisationFactory(), roles=[Role.EXPORTER_ADMIN])


def draft_authorisation(
    exporter: User, categories: tuple[str, ...] = ("ML6",), groups: tuple[str, ...] = ("nato",), evidence: bool = True
) -> ExportAuthorisation:
    authorisation = services.authorisation_create(
        actor=exporter,
        categories=list(categories),
        destination_groups=list(groups),
        activity="Armoured vehicles and their turrets",
        requested_until=timezone.localdate() + dt.timedelta(days=365),
    )
    if evidence:
        for kind in REQUIRED_EVIDENCE:
            services.authorisation_add_evidence(
                actor=exporter,
                authorisation=authorisation,
                kind=kind,
                file=io.BytesIO(pdf_bytes(f"evidence {kind}")),
                filename=f"{kind}.pdf",
            )
    return authorisation


def before_commission(world: World, authorisation: ExportAuthorisation) -> ExportAuthorisation:
    submitted = services.authorisation_submit(
        actor=authorisation_holder(world, authorisation), authorisation=authorisation
    )
    return services.authorisation_transition(
        actor=world.officer, authorisation=submitted, action=AuthorisationAction.REFER
    )


def authorisation_holder(world: World, authorisation: ExportAuthorisation) -> User:
    if authorisation.holder_id == world.exporter_org.pk:
        return world.exporter
    user = authorisation.holder.users.filter(is_active=True).first()
    assert user is not None
    return user


def advise_and_vote(world: World, authorisation: ExportAuthorisation, vote: str = "approve") -> None:
    services.authorisation_advise(
        actor=world.members[DepartmentKind.DEFENCE],
        authorisation=authorisation,
        advice_type="approve",
        rationale="Known producer with cleared premises",
    )
    services.authorisation_vote(
        actor=world.members[DepartmentKind.FOREIGN_AFFAIRS], authorisation=authorisation, vote=vote
    )


def granted_authorisation(world: World, exporter: User | None = None, **scope: Any) -> ExportAuthorisation:
    authorisation = before_commission(world, draft_authorisation(exporter or world.exporter, **scope))
    advise_and_vote(world, authorisation)
    return services.authorisation_decide(
        actor=world.officer, authorisation=authorisation, outcome="grant", reasons="Evidence complete; vote carried"
    )


def publish_policy(world: World, **changes: Any) -> PolicyVersion:
    arguments: dict[str, Any] = {
        "in_force_from": timezone.localdate() - dt.timedelta(days=30),
        "reason": "Government decision",
        **changes,
    }
    return services.policy_publish(actor=world.senior, **arguments)


def quota(world: World, **fields: Any) -> Quota:
    arguments: dict[str, Any] = {
        "year": timezone.localdate().year,
        "destination": "PL",
        "category": "ML6",
        "cap_quantity": 50,
        **fields,
    }
    return services.quota_set(actor=world.senior, **arguments)
