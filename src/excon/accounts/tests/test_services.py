"""Organisation and user services: the role × action permission matrix, validation codes and audit entries."""

from __future__ import annotations

import pytest

from excon.accounts import services
from excon.accounts.models import ApiToken, Organisation, OrganisationStatus, User
from excon.accounts.tests.factories import (
    TEST_PASSWORD,
    AuthorityFactory,
    DepartmentFactory,
    OrganisationFactory,
    UserFactory,
    user_with_role,
)
from excon.audit.models import AuditEntry
from excon.audit.verification import verify_chain
from excon.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from excon.core.roles import DepartmentKind, OrganisationKind, Role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
STRONG = "a-very-long-passphrase-2026"


def _last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


# The permission matrix ----------------------------------------------------------------------------------------
# For each action: the roles that may do it to a target in *another* organisation (the exporter "Target JSC"),
# and to their own organisation. Every role not listed must be refused with PermissionDenied.

MAY_CREATE_ORGANISATION = {Role.SYSTEM_ADMIN}
MAY_CHANGE_OTHER_ORGANISATION = {Role.SYSTEM_ADMIN}
MAY_CREATE_USER_IN_OTHER_EXPORTER = {Role.SYSTEM_ADMIN}
MAY_CREATE_USER_IN_OWN_ORGANISATION = {Role.SYSTEM_ADMIN, Role.EXPORTER_ADMIN}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_create_organisation(role: Role) -> None:
    actor = user_with_role(role)
    call = lambda: services.organisation_create(  # noqa: E731
        actor=actor,
        kind=OrganisationKind.EXPORTER,
        name="New Arms JSC",
        registration_number="NEW-1",
        country="UA",
    )
    if role in MAY_CREATE_ORGANISATION:
        organisation = call()
        assert organisation.registration_number == "NEW-1"
        assert _last_audit().verb == "organisation.created"
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not Organisation.objects.filter(name="New Arms JSC").exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_change_another_organisation(role: Role) -> None:
    actor = user_with_role(role)
    target = OrganisationFactory(name="Target JSC")
    if role in MAY_CHANGE_OTHER_ORGANISATION:
        services.organisation_update(actor=actor, organisation=target, address="2 New Road")
        target.refresh_from_db()
        assert target.address == "2 New Road"
    else:
        with pytest.raises(PermissionDenied):
            services.organisation_update(actor=actor, organisation=target, address="2 New Road")
        target.refresh_from_db()
        assert target.address != "2 New Road"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_suspend_an_exporter(role: Role) -> None:
    actor = user_with_role(role)
    target = OrganisationFactory()
    if role == Role.SYSTEM_ADMIN:
        services.organisation_set_status(
            actor=actor,
            organisation=target,
            status=OrganisationStatus.SUSPENDED,
            reason="licence conditions breached",
        )
        target.refresh_from_db()
        assert target.status == OrganisationStatus.SUSPENDED
        assert _last_audit().payload["reason"] == "licence conditions breached"
    else:
        with pytest.raises(PermissionDenied):
            services.organisation_set_status(
                actor=actor, organisation=target, status=OrganisationStatus.SUSPENDED, reason="x"
            )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_create_user_in_another_exporter(role: Role) -> None:
    actor = user_with_role(role)
    target = OrganisationFactory()
    call = lambda: services.user_create(  # noqa: E731
        actor=actor,
        organisation=target,
        username="new.person",
        email="new@example.test",
        password=STRONG,
        roles=[Role.EXPORTER_USER],
    )
    if role in MAY_CREATE_USER_IN_OTHER_EXPORTER:
        assert call().has_role(Role.EXPORTER_USER)
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not User.objects.filter(username="new.person").exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_create_user_in_own_organisation(role: Role) -> None:
    actor = user_with_role(role)
    organisation = actor.organisation
    allowed_role = sorted(services.roles_allowed_for(organisation.kind, organisation.department_kind))[0]
    call = lambda: services.user_create(  # noqa: E731
        actor=actor,
        organisation=organisation,
        username="colleague",
        email="colleague@example.test",
        password=STRONG,
        roles=[allowed_role],
    )
    if role in MAY_CREATE_USER_IN_OWN_ORGANISATION:
        user = call()
        assert user.organisation == organisation
        entry = _last_audit()
        assert (entry.verb, entry.actor_id, entry.target_id) == ("user.created", actor.pk, str(user.pk))
    else:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_deactivate_a_colleague(role: Role) -> None:
    actor = user_with_role(role)
    colleague = UserFactory(organisation=actor.organisation, roles=[role])
    if role in MAY_CREATE_USER_IN_OWN_ORGANISATION:
        services.user_set_active(actor=actor, user=colleague, active=False, reason="left the company")
        colleague.refresh_from_db()
        assert not colleague.is_active
    else:
        with pytest.raises(PermissionDenied):
            services.user_set_active(actor=actor, user=colleague, active=False, reason="left")


# Exporter administrators --------------------------------------------------------------------------------------


def test_exporter_admin_cannot_grant_government_roles() -> None:
    admin = user_with_role(Role.EXPORTER_ADMIN)
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(
            actor=admin,
            organisation=admin.organisation,
            username="sneaky",
            email="s@example.test",
            password=STRONG,
            roles=[Role.CASE_OFFICER],
        )
    assert excinfo.value.code == "user.role_not_allowed_for_organisation"


def test_exporter_admin_edits_contact_details_but_not_registration() -> None:
    admin = user_with_role(Role.EXPORTER_ADMIN)
    services.organisation_update(actor=admin, organisation=admin.organisation, phone="+380 44 000 0000")
    with pytest.raises(PermissionDenied) as excinfo:
        services.organisation_update(actor=admin, organisation=admin.organisation, registration_number="OTHER")
    assert excinfo.value.code == "organisation.field_restricted"


def test_exporter_admin_cannot_lift_own_suspension() -> None:
    admin = user_with_role(Role.EXPORTER_ADMIN)
    with pytest.raises(PermissionDenied):
        services.organisation_set_status(actor=admin, organisation=admin.organisation, status="active", reason="x")


def test_suspended_organisation_users_lose_their_roles() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    exporter_user = user_with_role(Role.EXPORTER_ADMIN)
    services.organisation_set_status(
        actor=sysadmin, organisation=exporter_user.organisation, status="suspended", reason="investigation"
    )
    exporter_user = User.objects.get(pk=exporter_user.pk)
    assert exporter_user.role_set == frozenset()


# Validation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        (
            {"kind": "exporter", "name": "A", "registration_number": ""},
            "organisation.registration_number_required",
        ),
        ({"kind": "exporter", "name": "", "registration_number": "R1"}, "organisation.name_required"),
        ({"kind": "pirate", "name": "A"}, "organisation.unknown_kind"),
        ({"kind": "department", "name": "A"}, "organisation.department_kind_required"),
        (
            {"kind": "customs", "name": "A", "department_kind": "defence"},
            "organisation.department_kind_not_allowed",
        ),
        ({"kind": "exporter", "name": "A", "registration_number": "R1", "country": "XX"}, "country.unknown"),
        ({"kind": "exporter", "name": "A", "registration_number": "R1", "email": "nope"}, "email.invalid"),
    ],
)
def test_organisation_validation_codes(fields: dict, code: str) -> None:
    with pytest.raises(DomainError) as excinfo:
        services.organisation_create(actor=user_with_role(Role.SYSTEM_ADMIN), **fields)
    assert excinfo.value.code == code
    assert not Organisation.objects.filter(name="A").exists()


def test_duplicate_names_and_registration_numbers() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    OrganisationFactory(name="Alpha Arms", registration_number="REG-1")
    with pytest.raises(Conflict) as excinfo:
        services.organisation_create(actor=sysadmin, kind="exporter", name="alpha arms", registration_number="R2")
    assert excinfo.value.code == "organisation.duplicate_name"
    with pytest.raises(Conflict) as excinfo:
        services.organisation_create(actor=sysadmin, kind="exporter", name="Beta", registration_number="reg-1")
    assert excinfo.value.code == "organisation.duplicate_registration_number"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"password": "short"}, "user.weak_password"),
        ({"password": "password123456"}, "user.weak_password"),
        ({"roles": []}, "user.role_required"),
        ({"roles": ["emperor"]}, "user.unknown_role"),
        ({"username": "has space"}, "user.invalid_username"),
        ({"email": ""}, "email.required"),
    ],
)
def test_user_validation_codes(overrides: dict, code: str) -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    organisation = OrganisationFactory()
    fields = {
        "username": "valid",
        "email": "v@example.test",
        "password": STRONG,
        "roles": [Role.EXPORTER_USER],
    }
    fields.update(overrides)
    with pytest.raises(DomainError) as excinfo:
        services.user_create(actor=sysadmin, organisation=organisation, **fields)
    assert excinfo.value.code == code
    assert not User.objects.filter(organisation=organisation).exists()


def test_duplicate_username_is_case_insensitive() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    UserFactory(username="anna")
    with pytest.raises(Conflict) as excinfo:
        services.user_create(
            actor=sysadmin,
            organisation=OrganisationFactory(),
            username="ANNA",
            email="a@example.test",
            password=STRONG,
            roles=[Role.EXPORTER_USER],
        )
    assert excinfo.value.code == "user.duplicate_username"


def test_technical_experts_only_in_the_defence_ministry() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    foreign = DepartmentFactory(department_kind=DepartmentKind.FOREIGN_AFFAIRS)
    with pytest.raises(ValidationError):
        services.user_create(
            actor=sysadmin,
            organisation=foreign,
            username="expert",
            email="e@example.test",
            password=STRONG,
            roles=[Role.TECHNICAL_EXPERT],
        )
    defence = DepartmentFactory(department_kind=DepartmentKind.DEFENCE)
    services.user_create(
        actor=sysadmin,
        organisation=defence,
        username="expert",
        email="e@example.test",
        password=STRONG,
        roles=[Role.TECHNICAL_EXPERT],
    )


# Roles, deactivation, passwords -------------------------------------------------------------------------------


def test_roles_changed_are_audited_with_the_difference() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    officer = user_with_role(Role.CASE_OFFICER, organisation=sysadmin.organisation)
    services.user_set_roles(actor=sysadmin, user=officer, roles=[Role.CASE_OFFICER, Role.SENIOR_OFFICER])
    assert _last_audit().payload == {"added": [Role.SENIOR_OFFICER], "removed": []}
    officer = User.objects.get(pk=officer.pk)
    assert officer.has_role(Role.SENIOR_OFFICER)


def test_the_last_system_administrator_stays() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    other = user_with_role(Role.SYSTEM_ADMIN, organisation=sysadmin.organisation)
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=sysadmin, user=sysadmin, active=False, reason="self")
    services.user_set_active(actor=sysadmin, user=other, active=False, reason="retired")
    with pytest.raises(Conflict) as excinfo:
        services.user_set_roles(actor=sysadmin, user=sysadmin, roles=[Role.AUDITOR])
    assert excinfo.value.code == "user.last_system_admin"


def test_deactivation_revokes_tokens() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    exporter = user_with_role(Role.EXPORTER_USER)
    token, _ = services.api_token_create(actor=exporter, name="erp")
    services.user_set_active(actor=sysadmin, user=exporter, active=False, reason="left")
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(Conflict):
        services.user_set_active(actor=sysadmin, user=exporter, active=False, reason="again")


def test_password_change_needs_the_current_password() -> None:
    user = user_with_role(Role.EXPORTER_USER)
    with pytest.raises(ValidationError) as excinfo:
        services.user_set_password(actor=user, user=user, new_password=STRONG, current_password="wrong")
    assert excinfo.value.code == "user.wrong_current_password"
    services.user_set_password(actor=user, user=user, new_password=STRONG, current_password=TEST_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert "password" not in str(_last_audit().payload).replace("by_self", "")


def test_other_exporter_admin_cannot_reset_password() -> None:
    admin = user_with_role(Role.EXPORTER_ADMIN)
    stranger = user_with_role(Role.EXPORTER_USER)
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=admin, user=stranger, new_password=STRONG)


# API tokens -------------------------------------------------------------------------------------------------


def test_token_is_stored_hashed_and_authenticates() -> None:
    from excon.accounts.auth import user_for_token

    user = user_with_role(Role.EXPORTER_USER)
    token, full = services.api_token_create(actor=user, name="ERP integration", expires_in_days=30)
    assert full.startswith(f"excon_{token.prefix}_")
    assert full.split("_", 2)[2] not in token.secret_hash
    assert user_for_token(full) == user
    assert user_for_token(full + "x") is None
    assert user_for_token("garbage") is None
    services.api_token_revoke(actor=user, token_id=token.pk)
    assert user_for_token(full) is None


def test_token_lifetime_and_ownership() -> None:
    user = user_with_role(Role.EXPORTER_USER)
    with pytest.raises(ValidationError) as excinfo:
        services.api_token_create(actor=user, name="x", expires_in_days=5000)
    assert excinfo.value.code == "token.invalid_lifetime"
    with pytest.raises(ValidationError):
        services.api_token_create(actor=user, name=" ")
    token, _ = services.api_token_create(actor=user, name="mine")
    with pytest.raises(NotFound):
        services.api_token_revoke(actor=user_with_role(Role.SYSTEM_ADMIN), token_id=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_expired_token_is_refused() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from excon.accounts.auth import user_for_token

    user = user_with_role(Role.EXPORTER_USER)
    token, full = services.api_token_create(actor=user, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert user_for_token(full) is None


def test_every_service_call_kept_the_chain_intact() -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    organisation = services.organisation_create(
        actor=sysadmin, kind="exporter", name="Chain JSC", registration_number="CH-1"
    )
    user = services.user_create(
        actor=sysadmin,
        organisation=organisation,
        username="c",
        email="c@example.test",
        password=STRONG,
        roles=[Role.EXPORTER_ADMIN],
    )
    services.user_update(actor=user, user=user, first_name="Chain")
    assert AuthorityFactory._meta.model.objects.count() >= 2
    assert verify_chain().ok
    assert AuditEntry.objects.count() == 3
