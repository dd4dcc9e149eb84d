"""API for the signed-in user, organisations, users and personal API tokens."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from excon.core.api import ERROR_RESPONSES, DbInt, ReasonIn, actor_of, paged

from . import selectors, services
from .models import ApiToken, Organisation, User

router = Router(tags=["accounts"])


class OrganisationOut(Schema):
    id: UUID
    kind: str
    department_kind: str
    name: str
    registration_number: str
    address: str
    country: str
    email: str
    phone: str
    status: str
    created_at: datetime


class OrganisationIn(Schema):
    kind: str
    name: str
    department_kind: str = ""
    registration_number: str = ""
    address: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""


class OrganisationPatch(Schema):
    name: str | None = None
    registration_number: str | None = None
    address: str | None = None
    country: str | None = None
    email: str | None = None
    phone: str | None = None


class StatusIn(Schema):
    status: str
    reason: str


class UserOut(Schema):
    id: UUID
    username: str
    email: str
    first_name: str
    last_name: str
    job_title: str
    organisation_id: UUID
    organisation_name: str
    is_active: bool
    roles: list[str]
    last_login: datetime | None

    @staticmethod
    def resolve_organisation_name(obj: User) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return selectors.user_roles(obj)


class MeOut(UserOut):
    organisation_kind: str
    mfa_verified: bool

    @staticmethod
    def resolve_organisation_kind(obj: User) -> str:
        return obj.organisation.kind

    @staticmethod
    def resolve_mfa_verified(obj: User) -> bool:
        return bool(getattr(obj, "is_verified", lambda: False)())


class UserIn(Schema):
    organisation_id: UUID
    username: str
    email: str
    password: str = Field(..., description="checked against the password rules; never returned")
    roles: list[str]
    first_name: str = ""
    last_name: str = ""
    job_title: str = ""


class UserPatch(Schema):
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None


class RolesIn(Schema):
    roles: list[str]


class TokenIn(Schema):
    name: str
    expires_in_days: DbInt | None = None


class TokenOut(Schema):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="the full token: store it now, it is never shown again")


def _patch_fields(payload: Schema) -> dict[str, str]:
    return {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, summary="The signed-in user")
def me(request: HttpRequest) -> User:
    return actor_of(request)


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations you may see")
@paged(50)
def list_organisations(request: HttpRequest, kind: str = "", status: str = "", search: str = "") -> object:
    return selectors.organisation_list(actor=actor_of(request), kind=kind, status=status, search=search)


@router.post("/organisations", response={201: OrganisationOut, **ERROR_RESPONSES}, summary="Register an organisation")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    return Status(201, services.organisation_create(actor=actor_of(request), **payload.dict()))


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **ERROR_RESPONSES})
def get_organisation(request: HttpRequest, organisation_id: str) -> Organisation:
    return selectors.organisation_get(actor=actor_of(request), organisation_id=organisation_id)


@router.patch("/organisations/{organisation_id}", response={200: OrganisationOut, **ERROR_RESPONSES})
def update_organisation(request: HttpRequest, organisation_id: str, payload: OrganisationPatch) -> Organisation:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    return services.organisation_update(actor=actor, organisation=organisation, **_patch_fields(payload))


@router.post("/organisations/{organisation_id}/status", response={200: OrganisationOut, **ERROR_RESPONSES})
def set_organisation_status(request: HttpRequest, organisation_id: str, payload: StatusIn) -> Organisation:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    return services.organisation_set_status(
        actor=actor, organisation=organisation, status=payload.status, reason=payload.reason
    )


@router.get("/users", response=list[UserOut], summary="Users you may see")
@paged(50)
def list_users(request: HttpRequest, organisation_id: str = "", search: str = "") -> object:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id) if organisation_id else None
    return selectors.user_list(actor=actor, organisation=organisation, search=search)


@router.post("/users", response={201: UserOut, **ERROR_RESPONSES}, summary="Create a user")
def create_user(request: HttpRequest, payload: UserIn) -> Status[User]:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=payload.organisation_id)
    data = payload.dict(exclude={"organisation_id"})
    return Status(201, services.user_create(actor=actor, organisation=organisation, **data))


@router.get("/users/{user_id}", response={200: UserOut, **ERROR_RESPONSES})
def get_user(request: HttpRequest, user_id: str) -> User:
    return selectors.user_get(actor=actor_of(request), user_id=user_id)


@router.patch("/users/{user_id}", response={200: UserOut, **ERROR_RESPONSES})
def update_user(request: HttpRequest, user_id: str, payload: UserPatch) -> User:
    actor = actor_of(request)
    user = selectors.user_get(actor=actor, user_id=user_id)
    return services.user_update(actor=actor, user=user, **_patch_fields(payload))


@router.put("/users/{user_id}/roles", response={200: UserOut, **ERROR_RESPONSES})
def set_user_roles(request: HttpRequest, user_id: str, payload: RolesIn) -> User:
    actor = actor_of(request)
    user = selectors.user_get(actor=actor, user_id=user_id)
    return services.user_set_roles(actor=actor, user=user, roles=payload.roles)


@router.post("/users/{user_id}/deactivate", response={200: UserOut, **ERROR_RESPONSES})
def deactivate_user(request: HttpRequest, user_id: str, payload: ReasonIn) -> User:
    actor = actor_of(request)
    user = selectors.user_get(actor=actor, user_id=user_id)
    return services.user_set_active(actor=actor, user=user, active=False, reason=payload.reason)


@router.post("/users/{user_id}/reactivate", response={200: UserOut, **ERROR_RESPONSES})
def reactivate_user(request: HttpRequest, user_id: str, payload: ReasonIn) -> User:
    actor = actor_of(request)
    user = selectors.user_get(actor=actor, user_id=user_id)
    return services.user_set_active(actor=actor, user=user, active=True, reason=payload.reason)


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens")
def list_tokens(request: HttpRequest) -> object:
    return selectors.api_token_list(actor=actor_of(request))


@router.post("/tokens", response={201: TokenCreatedOut, **ERROR_RESPONSES}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    token, full = services.api_token_create(
        actor=actor_of(request), name=payload.name, expires_in_days=payload.expires_in_days
    )
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": full})


@router.delete("/tokens/{token_id}", response={200: TokenOut, **ERROR_RESPONSES}, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: UUID) -> ApiToken:
    return services.api_token_revoke(actor=actor_of(request), token_id=token_id)
