"""Export authorisations through their services: the holder's application with hashed evidence, the
commission's advice, vote and decision, suspension, revocation (with the holder's licences offered for bulk
suspension), renewal and expiry, each audited; scoping of reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.utils import timezone

from excon.applications.tests.factories import World
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from excon.core.roles import DepartmentKind
from excon.licences.enums import LicenceStatus
from excon.licences.tests.factories import direct_licence
from excon.products.tests.factories import pdf_bytes
from excon.regime import selectors, services
from excon.regime.enums import REQUIRED_EVIDENCE, AuditVerb, AuthorisationAction, AuthorisationStatus

from .factories import (
    advise_and_vote,
    before_commission,
    draft_authorisation,
    granted_authorisation,
    other_exporter,
)

pytestmark = pytest.mark.django_db


def verbs_of(target: object) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk)).order_by("occurred_at").values_list("verb", flat=True)  # type: ignore[attr-defined]
    )


def test_evidence_is_stored_with_its_sha256_and_audited(world: World) -> None:
    authorisation = draft_authorisation(world.exporter, evidence=False)
    content = pdf_bytes("production licence 17/2026")
    document = services.authorisation_add_evidence(
        actor=world.exporter,
        authorisation=authorisation,
        kind="production_licence",
        file=io.BytesIO(content),
        filename="licence.pdf",
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.storage_name.endswith(document.sha256)
    entry = AuditEntry.objects.get(verb=AuditVerb.AUTHORISATION_EVIDENCE_ADDED)
    assert entry.payload["sha256"] == document.sha256


def test_a_draft_without_every_piece_of_evidence_is_not_submitted(world: World) -> None:
    authorisation = draft_authorisation(world.exporter, evidence=False)
    with pytest.raises(ValidationError) as caught:
        services.authorisation_submit(actor=world.exporter, authorisation=authorisation)
    assert caught.value.code == "authorisation.evidence_missing"
    assert set(caught.value.details["missing"]) == {
        "ownership",
        "production_licence",
        "premises_clearance",
        "compliance_programme",
    }
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.DRAFT


def test_scope_is_checked_against_the_reference_data(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.authorisation_create(actor=world.exporter, categories=["ML99"], destination_groups=["nato"])
    assert caught.value.code == "authorisation.unknown_category"
    with pytest.raises(ValidationError) as caught:
        services.authorisation_create(actor=world.exporter, categories=["ML6"], destination_groups=["nowhere"])
    assert caught.value.code == "authorisation.unknown_group"
    with pytest.raises(PermissionDenied):
        services.authorisation_create(actor=world.officer, categories=["ML6"], destination_groups=["nato"])


def test_the_whole_chain_grants_it_and_it_appears_in_the_register(world: World) -> None:
    authorisation = granted_authorisation(world)
    assert authorisation.status == AuthorisationStatus.GRANTED
    assert authorisation.valid_from == timezone.localdate()
    assert authorisation.valid_until == timezone.localdate() + dt.timedelta(days=365)
    assert authorisation.decided_by == world.officer
    assert [row.reference for row in selectors.register_list(actor=world.senior)] == [authorisation.reference]
    assert verbs_of(authorisation) == [
        AuditVerb.AUTHORISATION_CREATED,
        *[AuditVerb.AUTHORISATION_EVIDENCE_ADDED] * 4,
        AuditVerb.AUTHORISATION_SUBMIT,
        AuditVerb.AUTHORISATION_REFER,
        AuditVerb.AUTHORISATION_ADVICE,
        AuditVerb.AUTHORISATION_VOTE,
        AuditVerb.AUTHORISATION_GRANT,
    ]
    grant = AuditEntry.objects.get(verb=AuditVerb.AUTHORISATION_GRANT)
    assert grant.payload["reason"] == "Evidence complete; vote carried"
    assert grant.payload["votes"] == {"approve": 1, "refuse": 0, "abstain": 0}


def test_the_decision_needs_advice_a_vote_that_carries_it_and_reasons(world: World) -> None:
    authorisation = before_commission(world, draft_authorisation(world.exporter))
    with pytest.raises(Conflict) as caught:
        services.authorisation_decide(actor=world.officer, authorisation=authorisation, outcome="grant", reasons="ok")
    assert caught.value.code == "authorisation.advice_missing"
    services.authorisation_advise(
        actor=world.members[DepartmentKind.SECURITY], authorisation=authorisation, advice_type="refuse", rationale="x"
    )
    with pytest.raises(Conflict) as caught:
        services.authorisation_decide(actor=world.officer, authorisation=authorisation, outcome="grant", reasons="ok")
    assert caught.value.code == "authorisation.votes_missing"
    services.authorisation_vote(
        actor=world.members[DepartmentKind.SECURITY], authorisation=authorisation, vote="refuse"
    )
    with pytest.raises(Conflict) as caught:
        services.authorisation_decide(actor=world.officer, authorisation=authorisation, outcome="grant", reasons="ok")
    assert caught.value.code == "authorisation.vote_against"
    with pytest.raises(ValidationError) as caught:
        services.authorisation_decide(actor=world.officer, authorisation=authorisation, outcome="refuse", reasons=" ")
    assert caught.value.code == "authorisation.reason_required"
    refused = services.authorisation_decide(
        actor=world.officer, authorisation=authorisation, outcome="refuse", reasons="Premises not cleared"
    )
    assert refused.status == AuthorisationStatus.REFUSED
    assert refused.valid_until is None


def test_one_vote_per_member_and_one_advice_per_department(world: World) -> None:
    authorisation = before_commission(world, draft_authorisation(world.exporter))
    advise_and_vote(world, authorisation)
    with pytest.raises(Conflict) as caught:
        services.authorisation_vote(
            actor=world.members[DepartmentKind.FOREIGN_AFFAIRS], authorisation=authorisation, vote="refuse"
        )
    assert caught.value.code == "authorisation.already_voted"
    with pytest.raises(Conflict) as caught:
        advise_and_vote(world, authorisation)
    assert caught.value.code == "authorisation.already_advised"
    with pytest.raises(PermissionDenied):
        services.authorisation_vote(actor=world.exporter, authorisation=authorisation, vote="approve")


def test_suspend_reinstate_and_revoke_need_a_senior_officer_and_a_reason(world: World) -> None:
    authorisation = granted_authorisation(world)
    with pytest.raises(PermissionDenied):
        services.authorisation_transition(
            actor=world.officer, authorisation=authorisation, action=AuthorisationAction.SUSPEND, reason="x"
        )
    with pytest.raises(ValidationError) as caught:
        services.authorisation_transition(actor=world.senior, authorisation=authorisation, action="suspend")
    assert caught.value.code == "authorisation.reason_required"
    suspended = services.authorisation_transition(
        actor=world.senior, authorisation=authorisation, action="suspend", reason="Inspection pending"
    )
    assert suspended.status == AuthorisationStatus.SUSPENDED
    assert selectors.register_list(actor=world.senior) == []
    reinstated = services.authorisation_transition(
        actor=world.senior, authorisation=suspended, action="reinstate", reason="Inspection passed"
    )
    assert reinstated.status == AuthorisationStatus.GRANTED
    revoked = services.authorisation_transition(
        actor=world.senior, authorisation=reinstated, action="revoke", reason="Ownership changed"
    )
    assert revoked.status == AuthorisationStatus.REVOKED
    with pytest.raises(DomainError) as caught:
        services.authorisation_transition(actor=world.senior, authorisation=revoked, action="reinstate", reason="x")
    assert caught.value.code == "authorisation.invalid_transition"


def test_a_revoked_authorisation_s_licences_are_suspended_in_bulk(world: World) -> None:
    authorisation = granted_authorisation(world)
    mine = direct_licence(world.exporter_org, number="LIC-TEST-000101")
    theirs = direct_licence(number="LIC-TEST-000102")
    with pytest.raises(Conflict) as caught:
        services.authorisation_suspend_licences(actor=world.senior, authorisation=authorisation)
    assert caught.value.code == "authorisation.not_revoked"
    revoked = services.authorisation_transition(
        actor=world.senior, authorisation=authorisation, action="revoke", reason="Ownership changed"
    )
    assert [licence.number for licence in services.holder_licences(revoked)] == [mine.number]
    bulk = services.authorisation_suspend_licences(actor=world.senior, authorisation=revoked)
    assert list(bulk.licences.values_list("number", flat=True)) == [mine.number]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == LicenceStatus.SUSPENDED
    assert theirs.status == LicenceStatus.ACTIVE
    entry = AuditEntry.objects.get(verb=AuditVerb.AUTHORISATION_LICENCES_SUSPENDED)
    assert entry.payload["licences"] == [mine.number]


def test_a_renewal_replaces_the_authorisation_once_granted(world: World) -> None:
    old = granted_authorisation(world)
    renewal = services.authorisation_renew(actor=world.exporter, authorisation=old)
    assert renewal.status == AuthorisationStatus.DRAFT
    assert renewal.categories == old.categories
    assert renewal.renews == old
    with pytest.raises(Conflict):
        services.authorisation_renew(actor=world.exporter, authorisation=old)
    for kind in REQUIRED_EVIDENCE:  # the evidence is given again for the renewal
        services.authorisation_add_evidence(
            actor=world.exporter, authorisation=renewal, kind=kind, file=io.BytesIO(pdf_bytes(kind)), filename="e.pdf"
        )
    renewal = before_commission(world, renewal)
    advise_and_vote(world, renewal)
    granted = services.authorisation_decide(
        actor=world.officer,
        authorisation=renewal,
        outcome="grant",
        reasons="Renewed",
        valid_until=timezone.localdate() + dt.timedelta(days=700),
    )
    old.refresh_from_db()
    assert granted.status == AuthorisationStatus.GRANTED
    assert old.status == AuthorisationStatus.RENEWED
    assert [row.reference for row in selectors.register_rows()] == [granted.reference]


def test_expiry_is_recorded_by_the_daily_task(world: World) -> None:
    authorisation = granted_authorisation(world)
    later = authorisation.valid_until + dt.timedelta(days=1)  # type: ignore[operator]
    assert not authorisation.in_force_on(later)
    assert services.expire_due_authorisations(later) == 1
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.EXPIRED
    assert services.expire_due_authorisations(later) == 0


def test_reads_are_scoped(world: World) -> None:
    draft = draft_authorisation(world.exporter)
    with pytest.raises(NotFound):
        selectors.authorisation_get(actor=world.officer, authorisation_id=draft.pk)  # drafts are the holder's own
    with pytest.raises(NotFound):
        selectors.authorisation_get(actor=other_exporter(), authorisation_id=draft.pk)
    assert selectors.authorisation_get(actor=world.exporter, authorisation_id=draft.pk) == draft
    submitted = services.authorisation_submit(actor=world.exporter, authorisation=draft)
    assert selectors.authorisation_get(actor=world.officer, authorisation_id=submitted.pk) == submitted
    assert list(selectors.authorisation_list(actor=other_exporter())) == []
    with pytest.raises(NotFound):
        selectors.register_list(actor=world.exporter)


def test_the_daily_task_runs_once_per_slot(world: World) -> None:
    from excon.regime.models import ExportAuthorisation
    from excon.regime.tasks import expire_authorisations

    authorisation = granted_authorisation(world)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ExportAuthorisation.objects.filter(pk=authorisation.pk).update(
        valid_from=yesterday - dt.timedelta(days=30), valid_until=yesterday
    )
    assert expire_authorisations.apply(task_id="beat-a").get() == 1
    assert expire_authorisations.apply(task_id="beat-b").get() is None
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.EXPIRED
