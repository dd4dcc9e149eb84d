"""Organisation, user and account pages: who sees what (role × page), that writes go through the services
(database change and audit entry), that service errors come back on the form, and bounded query counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from excon.accounts import services
from excon.accounts.models import ApiToken, Organisation, OrganisationStatus, User
from excon.accounts.tests.factories import (
    TEST_PASSWORD,
    AuthorityFactory,
    CustomsFactory,
    DepartmentFactory,
    OrganisationFactory,
    UserFactory,
    user_with_role,
)
from excon.accounts.tokens import hash_secret, split_token
from excon.audit.models import AuditEntry
from excon.core.roles import EXPORTER_ROLES, Role
from excon.products.tests.factories import country

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role.values)
GOVERNMENT_ROLES = [role for role in ALL_ROLES if role not in EXPORTER_ROLES]
STRONG = "a-very-long-passphrase-2026"


def signed_in(client: Client, role: str, **kwargs: object) -> User:
    user = user_with_role(role, **kwargs)  # type: ignore[arg-type]
    client.force_login(user)
    return user


def last_entry(verb: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(verb=verb).order_by("-seq").first()
    assert entry is not None, f"no audit entry {verb}"
    return entry


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# Sign-in and navigation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["accounts:organisation_list", "accounts:organisation_create", "accounts:user_list", "accounts:profile", "home"],
)
def test_pages_send_anonymous_visitors_to_sign_in(client: Client, url_name: str) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_page_shows_the_role_section_and_navigation(client: Client, role: str) -> None:
    signed_in(client, role)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = text(response)
    assert "Your account" in body
    nav = {item["label"] for item in response.context["nav_items"]}
    assert "Home" in nav
    assert "My account" in body  # in the header, beside the inbox
    assert ("Audit log" in nav) == (role in {Role.AUDITOR, Role.SYSTEM_ADMIN})
    assert ("Users" in nav) == (role in {Role.AUDITOR, Role.SYSTEM_ADMIN, Role.EXPORTER_ADMIN})
    assert ("Organisations" in nav) == (role in GOVERNMENT_ROLES)
    assert ("Your organisation" in nav) == (role in EXPORTER_ROLES)
    sections = [section["title"] for section in response.context["sections"]]
    assert len(sections) >= 2, sections  # at least the role's own section and "Your account"
    assert "Licence applications arrive" not in body


def test_home_sections_link_to_what_exists(client: Client) -> None:
    signed_in(client, Role.SYSTEM_ADMIN)
    body = text(client.get(reverse("home")))
    for url in (
        reverse("accounts:organisation_list"),
        reverse("accounts:organisation_create"),
        reverse("accounts:user_list"),
        reverse("audit:entry_list"),
        reverse("accounts:profile"),
    ):
        assert f'href="{url}"' in body


# Organisations: role × page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_organisation_pages_permission_matrix(client: Client, role: str) -> None:
    actor = signed_in(client, role)
    other_exporter = OrganisationFactory()
    own = actor.organisation
    government = role in GOVERNMENT_ROLES
    sysadmin = role == Role.SYSTEM_ADMIN

    def status(url_name: str, organisation: Organisation | None = None) -> int:
        args = [organisation.pk] if organisation is not None else []
        return client.get(reverse(url_name, args=args)).status_code

    assert status("accounts:organisation_list") == 200
    assert status("accounts:organisation_detail", own) == 200
    assert status("accounts:organisation_detail", other_exporter) == (200 if government else 404)
    assert status("accounts:organisation_create") == (200 if sysadmin else 403)
    # Another exporter: not visible to exporters (404), visible but not changeable for government (403).
    not_allowed = 403 if government else 404
    assert status("accounts:organisation_edit", other_exporter) == (200 if sysadmin else not_allowed)
    assert status("accounts:organisation_status", other_exporter) == (200 if sysadmin else not_allowed)
    assert status("accounts:user_create", other_exporter) == (200 if sysadmin else not_allowed)
    # Their own organisation: exporter admins edit its contact details and add its users.
    own_admin = sysadmin or role == Role.EXPORTER_ADMIN
    assert status("accounts:organisation_edit", own) == (200 if own_admin else 403)
    assert status("accounts:user_create", own) == (200 if own_admin else 403)
    # Nobody suspends the authority, nor lifts their own organisation's suspension.
    assert status("accounts:organisation_status", own) == 403


def test_unknown_organisation_is_404(client: Client) -> None:
    signed_in(client, Role.SYSTEM_ADMIN)
    response = client.get("/accounts/organisations/7a3b3a86-0000-4000-8000-000000000000/")
    assert response.status_code == 404
    assert "not yours to see" in text(response)


def test_detail_shows_actions_only_to_those_who_may(client: Client) -> None:
    exporter = OrganisationFactory()
    signed_in(client, Role.CASE_OFFICER)
    body = text(client.get(reverse("accounts:organisation_detail", args=[exporter.pk])))
    assert reverse("accounts:organisation_edit", args=[exporter.pk]) not in body
    assert reverse("accounts:organisation_status", args=[exporter.pk]) not in body
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    body = text(client.get(reverse("accounts:organisation_detail", args=[exporter.pk])))
    assert reverse("accounts:organisation_edit", args=[exporter.pk]) in body
    assert reverse("accounts:organisation_status", args=[exporter.pk]) in body
    assert reverse("accounts:user_create", args=[exporter.pk]) in body


def test_exporter_never_sees_other_exporters(client: Client) -> None:
    admin = signed_in(client, Role.EXPORTER_ADMIN)
    colleague = UserFactory(organisation=admin.organisation, roles=[Role.EXPORTER_USER])
    others = OrganisationFactory.create_batch(3)
    stranger = UserFactory(organisation=others[0], roles=[Role.EXPORTER_ADMIN])

    body = text(client.get(reverse("accounts:organisation_list")))
    assert admin.organisation.name in body
    for organisation in others:
        assert organisation.name not in body
    body = text(client.get(reverse("accounts:organisation_list"), {"q": others[1].name}))
    assert others[1].name not in body

    body = text(client.get(reverse("accounts:user_list")))
    assert colleague.username in body
    assert stranger.username not in body
    assert client.get(reverse("accounts:user_detail", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("accounts:user_list"), {"organisation": others[0].pk}).status_code == 404
    assert client.get(reverse("accounts:user_roles", args=[stranger.pk])).status_code == 404
    # POSTs to another exporter are refused the same way, and nothing is written.
    response = client.post(
        reverse("accounts:user_create", args=[others[0].pk]),
        {"username": "intruder", "email": "i@example.test", "password": STRONG, "roles": [Role.EXPORTER_USER]},
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="intruder").exists()


def test_organisation_list_filters_and_paginates(client: Client) -> None:
    signed_in(client, Role.CASE_OFFICER)
    OrganisationFactory.create_batch(27)
    DepartmentFactory(name="Ministry of Defence")
    suspended = OrganisationFactory(name="Dormant Arms Ltd", status=OrganisationStatus.SUSPENDED)

    response = client.get(reverse("accounts:organisation_list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.object_list) == 25
    assert page.paginator.num_pages == 2
    assert client.get(reverse("accounts:organisation_list"), {"page": 2}).context["page"].number == 2

    names = [o.name for o in client.get(reverse("accounts:organisation_list"), {"kind": "department"}).context["page"]]
    assert names == ["Ministry of Defence"]
    names = [o.name for o in client.get(reverse("accounts:organisation_list"), {"status": "suspended"}).context["page"]]
    assert names == [suspended.name]
    names = [o.name for o in client.get(reverse("accounts:organisation_list"), {"q": "dormant"}).context["page"]]
    assert names == [suspended.name]
    # An unknown filter value is ignored, never a 500.
    assert client.get(reverse("accounts:organisation_list"), {"kind": "bogus", "page": "x"}).status_code == 200


def test_organisation_list_search_answers_htmx_with_the_results_only(client: Client) -> None:
    signed_in(client, Role.CASE_OFFICER)
    OrganisationFactory(name="Findable Optics")
    response = client.get(reverse("accounts:organisation_list"), {"q": "findable"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert body.lstrip().startswith('<div id="results">')
    assert "Findable Optics" in body
    assert "<html" not in body


# Organisations: writes through the services ----------------------------------------------------------------


def test_system_admin_registers_an_organisation(client: Client) -> None:
    signed_in(client, Role.SYSTEM_ADMIN)
    country("UA", "Ukraine")
    response = client.post(
        reverse("accounts:organisation_create"),
        {
            "kind": "exporter",
            "department_kind": "",
            "name": "Arsenal Optics",
            "registration_number": "ua-777",
            "address": "5 Lens Street",
            "country": "UA",  # the picker's value: the ISO code
            "email": "office@arsenal.test",
            "phone": "+380 44 000 0000",
        },
    )
    organisation = Organisation.objects.get(name="Arsenal Optics")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation_detail", args=[organisation.pk])
    assert organisation.registration_number == "UA-777"
    assert organisation.country == "UA"
    entry = last_entry("organisation.created")
    assert entry.target_id == str(organisation.pk)
    # The history on the detail page shows it in words.
    body = text(client.get(response["Location"]))
    assert "Registered the organisation" in body
    assert "UA-777" in body


def test_a_department_needs_its_kind(client: Client) -> None:
    signed_in(client, Role.SYSTEM_ADMIN)
    response = client.post(reverse("accounts:organisation_create"), {"kind": "department", "name": "Ministry X"})
    assert response.status_code == 200
    assert "a government department needs its kind" in text(response)
    assert not Organisation.objects.filter(name="Ministry X").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "exporter", "name": "Taken Name Ltd", "registration_number": "NEW1"}, "already exists"),
        ({"kind": "exporter", "name": "Fresh Ltd", "registration_number": ""}, "needs a registration number"),
        # The country is picked from the known countries: anything else is not one of the choices.
        ({"kind": "exporter", "name": "Fresh Ltd", "registration_number": "N2", "country": "XX"}, "valid choice"),
        ({"kind": "exporter", "name": "Fresh Ltd", "registration_number": "N3", "email": "nope"}, "not an e-mail"),
    ],
)
def test_organisation_form_shows_service_errors(client: Client, data: dict[str, str], message: str) -> None:
    OrganisationFactory(name="Taken Name Ltd")
    signed_in(client, Role.SYSTEM_ADMIN)
    before = Organisation.objects.count()
    response = client.post(reverse("accounts:organisation_create"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert "govuk-error-summary" in text(response)
    assert Organisation.objects.count() == before


def test_exporter_admin_edits_only_contact_details(client: Client) -> None:
    admin = signed_in(client, Role.EXPORTER_ADMIN)
    organisation = admin.organisation
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == set(services.EXPORTER_ADMIN_EDITABLE_FIELDS)
    response = client.post(
        url, {"address": "2 New Road", "email": "new@example.test", "phone": "123", "name": "Renamed"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.address == "2 New Road"
    assert organisation.name != "Renamed"
    entry = last_entry("organisation.updated")
    assert entry.payload["changes"]["address"]["to"] == "2 New Road"
    assert "name" not in entry.payload["changes"]


def test_system_admin_edits_every_field(client: Client) -> None:
    signed_in(client, Role.SYSTEM_ADMIN)
    country("PL", "Poland")
    organisation = OrganisationFactory()
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    assert set(client.get(url).context["form"].fields) == set(services.ORGANISATION_EDITABLE_FIELDS)
    data = {
        "name": "Renamed JSC",
        "registration_number": organisation.registration_number,
        "address": "",
        "country": "PL",
        "email": "",
        "phone": "",
    }
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.country) == ("Renamed JSC", "PL")
    assert last_entry("organisation.updated").target_id == str(organisation.pk)


def test_system_admin_suspends_and_reactivates_with_a_reason(client: Client) -> None:
    signed_in(client, Role.SYSTEM_ADMIN)
    organisation = OrganisationFactory()
    url = reverse("accounts:organisation_status", args=[organisation.pk])

    response = client.post(url, {"status": "suspended", "reason": ""})
    assert response.status_code == 200
    assert "error" in text(response)
    organisation.refresh_from_db()
    assert organisation.status == "active"

    assert client.post(url, {"status": "suspended", "reason": "licence fraud inquiry"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == "suspended"
    entry = last_entry("organisation.status_changed")
    assert entry.payload == {"from": "active", "to": "suspended", "reason": "licence fraud inquiry"}

    # A stale form (already suspended) is a message on the form, not a 500.
    response = client.post(url, {"status": "suspended", "reason": "again"})
    assert response.status_code == 200
    assert "already suspended" in text(response)

    assert client.post(url, {"status": "active", "reason": "inquiry closed"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == "active"


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.SYSTEM_ADMIN])
def test_only_system_admin_posts_organisation_changes(client: Client, role: str) -> None:
    actor = signed_in(client, role)
    target = OrganisationFactory(name="Target Ltd")
    expected = 404 if role in EXPORTER_ROLES else 403
    create = client.post(
        reverse("accounts:organisation_create"), {"kind": "exporter", "name": "Sneaky", "registration_number": "S1"}
    )
    assert create.status_code == 403
    edit = client.post(reverse("accounts:organisation_edit", args=[target.pk]), {"address": "x", "name": "Hijacked"})
    assert edit.status_code == expected
    suspend = client.post(
        reverse("accounts:organisation_status", args=[target.pk]), {"status": "suspended", "reason": "x"}
    )
    assert suspend.status_code == expected
    target.refresh_from_db()
    assert (target.name, target.status, target.address) == ("Target Ltd", "active", "1 Industrial Street")
    assert not Organisation.objects.filter(name="Sneaky").exists()
    assert actor.organisation.status == "active"


# Users: role × page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_user_pages_permission_matrix(client: Client, role: str) -> None:
    actor = signed_in(client, role)
    stranger = UserFactory(roles=[Role.EXPORTER_USER])  # a user of another exporter
    sees_everyone = role in {Role.SYSTEM_ADMIN, Role.AUDITOR}
    sysadmin = role == Role.SYSTEM_ADMIN

    def status(url_name: str, user: User) -> int:
        return client.get(reverse(url_name, args=[user.pk])).status_code

    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert status("accounts:user_detail", actor) == 200  # everyone sees themselves
    assert status("accounts:user_detail", stranger) == (200 if sees_everyone else 404)
    change = 200 if sysadmin else (403 if sees_everyone else 404)
    for url_name in ("accounts:user_edit", "accounts:user_roles", "accounts:user_active", "accounts:user_mfa_reset"):
        assert status(url_name, stranger) == change, url_name
    # Yourself: you edit your own details, but do not deactivate yourself.
    assert status("accounts:user_edit", actor) == 200
    assert status("accounts:user_active", actor) == 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_user_list_is_scoped(client: Client, role: str) -> None:
    actor = signed_in(client, role)
    colleague = UserFactory(organisation=actor.organisation, roles=[role])
    stranger = UserFactory(roles=[Role.EXPORTER_USER])
    listed = {user.pk for user in client.get(reverse("accounts:user_list")).context["page"]}
    if role in {Role.SYSTEM_ADMIN, Role.AUDITOR}:
        assert {actor.pk, colleague.pk, stranger.pk} <= listed
    elif role == Role.EXPORTER_ADMIN:
        assert listed == {actor.pk, colleague.pk}
    else:
        assert listed == {actor.pk}


def test_user_list_shows_roles_and_searches(client: Client) -> None:
    signed_in(client, Role.SYSTEM_ADMIN)
    UserFactory(username="olena", first_name="Olena", roles=[Role.EXPORTER_ADMIN, Role.EXPORTER_USER])
    body = text(client.get(reverse("accounts:user_list"), {"q": "olena"}))
    assert "Exporter administrator, Exporter user" in body
    assert client.get(reverse("accounts:user_list"), {"q": "olena"}).context["page"].paginator.count == 1


# Users: writes through the services -------------------------------------------------------------------------


def test_create_user_offers_only_roles_the_actor_may_grant_and_the_organisation_allows(client: Client) -> None:
    admin = signed_in(client, Role.EXPORTER_ADMIN)
    form = client.get(reverse("accounts:user_create", args=[admin.organisation.pk])).context["form"]
    assert [value for value, _ in form.fields["roles"].choices] == [Role.EXPORTER_ADMIN, Role.EXPORTER_USER]

    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    department = DepartmentFactory(department_kind="foreign_affairs")
    form = client.get(reverse("accounts:user_create", args=[department.pk])).context["form"]
    assert {value for value, _ in form.fields["roles"].choices} == {
        Role.COMMISSION_MEMBER,
        Role.SENIOR_OFFICER,
        Role.ANALYST,
        Role.IP_COUNSEL,
    }
    customs = CustomsFactory()
    form = client.get(reverse("accounts:user_create", args=[customs.pk])).context["form"]
    assert {value for value, _ in form.fields["roles"].choices} == {Role.CUSTOMS_OFFICER, Role.ANALYST}


def test_exporter_admin_creates_a_user_in_their_organisation(client: Client) -> None:
    admin = signed_in(client, Role.EXPORTER_ADMIN)
    response = client.post(
        reverse("accounts:user_create", args=[admin.organisation.pk]),
        {
            "username": "Petro",
            "first_name": "Petro",
            "last_name": "Shevchenko",
            "email": "petro@example.test",
            "job_title": "Export manager",
            "password": STRONG,
            "roles": [Role.EXPORTER_USER],
        },
    )
    user = User.objects.get(username="petro")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.organisation == admin.organisation
    assert user.check_password(STRONG)
    assert user.role_set == {Role.EXPORTER_USER}
    entry = last_entry("user.created")
    assert entry.actor_id == admin.pk
    assert entry.payload["roles"] == [Role.EXPORTER_USER]
    assert STRONG not in str(entry.payload)


def test_exporter_admin_cannot_grant_government_roles_by_posting_them(client: Client) -> None:
    admin = signed_in(client, Role.EXPORTER_ADMIN)
    response = client.post(
        reverse("accounts:user_create", args=[admin.organisation.pk]),
        {"username": "mole", "email": "m@example.test", "password": STRONG, "roles": [Role.CASE_OFFICER]},
    )
    assert response.status_code == 200
    assert "govuk-error-message" in text(response) or "govuk-error-summary" in text(response)
    assert not User.objects.filter(username="mole").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "taken", "password": STRONG}, "the username &#x27;taken&#x27; is taken"),
        ({"username": "fresh", "password": "short"}, "This password is too short"),
        ({"username": "fresh", "password": "password123456"}, "This password is too common"),
        ({"username": "fresh", "password": STRONG, "roles": []}, "a user needs at least one role"),
        ({"username": "bad name!", "password": STRONG}, "may contain only letters"),
    ],
)
def test_user_form_shows_service_errors(client: Client, data: dict[str, object], message: str) -> None:
    admin = signed_in(client, Role.EXPORTER_ADMIN)
    UserFactory(username="taken", organisation=admin.organisation)
    before = User.objects.count()
    entries = AuditEntry.objects.count()
    post = {"email": "x@example.test", "roles": [Role.EXPORTER_USER], **data}
    response = client.post(reverse("accounts:user_create", args=[admin.organisation.pk]), post)
    assert response.status_code == 200
    assert message in text(response)
    assert User.objects.count() == before
    assert AuditEntry.objects.count() == entries
    assert STRONG not in text(response)  # the password is never echoed back


def test_user_edit_roles_deactivate_reactivate_and_reset_mfa(client: Client) -> None:
    admin = signed_in(client, Role.EXPORTER_ADMIN)
    user = UserFactory(organisation=admin.organisation, roles=[Role.EXPORTER_USER])
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    response = client.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"first_name": "Iryna", "last_name": "K", "email": "iryna@example.test", "job_title": "Logistics"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.job_title) == ("Iryna", "Logistics")
    assert last_entry("user.updated").target_id == str(user.pk)

    response = client.post(reverse("accounts:user_edit", args=[user.pk]), {"email": "not-an-email"})
    assert response.status_code == 200
    assert "is not an e-mail address" in text(response)

    roles_url = reverse("accounts:user_roles", args=[user.pk])
    assert client.post(roles_url, {"roles": [Role.EXPORTER_ADMIN, Role.EXPORTER_USER]}).status_code == 302
    user.forget_roles()
    assert user.role_set == {Role.EXPORTER_ADMIN, Role.EXPORTER_USER}
    assert last_entry("user.roles_changed").payload == {"added": [Role.EXPORTER_ADMIN], "removed": []}
    response = client.post(roles_url, {"roles": []})
    assert response.status_code == 200
    assert "a user needs at least one role" in text(response)

    active_url = reverse("accounts:user_active", args=[user.pk])
    response = client.post(active_url, {"reason": ""})
    assert response.status_code == 200
    assert client.post(active_url, {"reason": "left the company"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert last_entry("user.deactivated").payload["reason"] == "left the company"
    assert client.post(active_url, {"reason": "came back"}).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert last_entry("user.reactivated").target_id == str(user.pk)

    detail = text(client.get(reverse("accounts:user_detail", args=[user.pk])))
    assert "Deactivated the user" in detail
    assert "left the company" in detail

    assert client.post(reverse("accounts:user_mfa_reset", args=[user.pk]), {"reason": "lost phone"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert last_entry("mfa.reset").payload["reason"] == "lost phone"


def test_system_admin_cannot_remove_the_last_system_admin_through_the_page(client: Client) -> None:
    admin = signed_in(client, Role.SYSTEM_ADMIN)
    other = UserFactory(organisation=admin.organisation, roles=[Role.SYSTEM_ADMIN])
    client.post(reverse("accounts:user_active", args=[other.pk]), {"reason": "gone"})
    # Now `admin` is the last one; another admin would need to do it, so use the roles page on oneself.
    response = client.post(reverse("accounts:user_roles", args=[admin.pk]), {"roles": [Role.AUDITOR]})
    assert response.status_code == 200
    assert "at least one active system administrator" in text(response)
    admin.forget_roles()
    assert Role.SYSTEM_ADMIN in admin.role_set


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_system_admin_sets_a_government_users_clearance(client: Client, role: str) -> None:
    signed_in(client, role)
    officer = user_with_role(Role.CASE_OFFICER)
    url = reverse("accounts:user_clearance", args=[officer.pk])
    response = client.post(url, {"clearance": "secret", "reason": "vetted"})
    if role == Role.SYSTEM_ADMIN:
        assert response.status_code == 302
        officer.refresh_from_db()
        assert officer.clearance == "secret"
        assert last_entry("user.clearance_changed").payload == {
            "from": "unclassified",
            "to": "secret",
            "reason": "vetted",
        }
        # The reason is required, and nothing changes without it.
        response = client.post(url, {"clearance": "restricted", "reason": "  "})
        assert response.status_code == 200
        assert "This field is required" in text(response)
        officer.refresh_from_db()
        assert officer.clearance == "secret"
        # Exporters have no clearance to set.
        exporter = user_with_role(Role.EXPORTER_USER)
        assert client.get(reverse("accounts:user_clearance", args=[exporter.pk])).status_code == 403
    else:
        assert response.status_code == (403 if role == Role.AUDITOR else 404)
        officer.refresh_from_db()
        assert officer.clearance == "unclassified"


# My account -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_has_a_profile_page(client: Client, role: str) -> None:
    user = signed_in(client, role)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    body = text(response)
    assert user.username in body
    assert reverse("accounts:mfa_setup") in body
    assert reverse("accounts:token_create") in body


def test_token_is_shown_once_and_only_its_hash_is_stored(client: Client) -> None:
    user = signed_in(client, Role.EXPORTER_USER)
    response = client.post(reverse("accounts:token_create"), {"name": "ERP link", "expires_in_days": 30})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(r'value="(excon_[^"]+)"', text(response))
    assert match is not None
    full = match.group(1)
    prefix, secret = split_token(full)  # type: ignore[misc]
    token = ApiToken.objects.get(user=user)
    assert token.prefix == prefix
    assert token.secret_hash == hash_secret(secret)
    assert secret not in (token.secret_hash, token.name, token.prefix)
    assert "never show it again" in text(response)
    assert last_entry("api_token.created").target_id == str(token.pk)
    # The profile lists the token by prefix; the secret is never shown again.
    profile = text(client.get(reverse("accounts:profile")))
    assert prefix in profile
    assert secret not in profile
    assert "ERP link" in profile
    # And the token works against the API.
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {full}").status_code == 200


@pytest.mark.parametrize(("days", "message"), [(0, "between 1 and"), (100000, "between 1 and")])
def test_token_form_shows_service_errors(client: Client, days: int, message: str) -> None:
    signed_in(client, Role.EXPORTER_USER)
    response = client.post(reverse("accounts:token_create"), {"name": "x", "expires_in_days": days})
    assert response.status_code == 200
    assert message in text(response)
    assert not ApiToken.objects.exists()


def test_revoke_token_through_the_page(client: Client) -> None:
    user = signed_in(client, Role.CASE_OFFICER)
    token, _ = services.api_token_create(actor=user, name="script")
    other, _ = services.api_token_create(actor=user_with_role(Role.EXPORTER_USER), name="theirs")
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert last_entry("api_token.revoked").target_id == str(token.pk)
    # Revoking twice is a message, and somebody else's token is not found.
    assert client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True).status_code == 200
    assert client.post(reverse("accounts:token_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


def test_change_password(client: Client) -> None:
    user = signed_in(client, Role.EXPORTER_USER)
    url = reverse("accounts:password_change")
    response = client.post(url, {"current_password": "wrong", "new_password": STRONG, "new_password_again": STRONG})
    assert response.status_code == 200
    assert "the current password is wrong" in text(response)
    response = client.post(
        url, {"current_password": TEST_PASSWORD, "new_password": "short", "new_password_again": "short"}
    )
    assert response.status_code == 200
    assert "too short" in text(response)
    response = client.post(
        url, {"current_password": TEST_PASSWORD, "new_password": STRONG, "new_password_again": STRONG + "x"}
    )
    assert "not the same" in text(response)
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)

    response = client.post(
        url, {"current_password": TEST_PASSWORD, "new_password": STRONG, "new_password_again": STRONG}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert last_entry("user.password_changed").payload == {"by_self": True}
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in


def test_own_details_from_the_profile(client: Client) -> None:
    user = signed_in(client, Role.CASE_OFFICER)
    response = client.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"first_name": "Anna", "last_name": "B", "email": "anna@example.test", "job_title": "Case officer"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.first_name == "Anna"


# Query counts -----------------------------------------------------------------------------------------------


def test_organisation_list_query_count_is_bounded(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, Role.SYSTEM_ADMIN)
    OrganisationFactory.create_batch(40)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("accounts:organisation_list")).status_code == 200


def test_user_list_query_count_is_bounded(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, Role.SYSTEM_ADMIN)
    for organisation in OrganisationFactory.create_batch(6):
        UserFactory.create_batch(5, organisation=organisation, roles=[Role.EXPORTER_USER, Role.EXPORTER_ADMIN])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 25


def test_organisation_detail_query_count_is_bounded(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, Role.SYSTEM_ADMIN)
    organisation = AuthorityFactory()
    UserFactory.create_batch(20, organisation=organisation, roles=[Role.CASE_OFFICER])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:organisation_detail", args=[organisation.pk])).status_code == 200


# Two-factor authentication ----------------------------------------------------------------------------------


def test_government_user_must_set_up_mfa_then_reaches_home(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EXCON_REQUIRE_MFA_FOR_GOVERNMENT = True
    user = signed_in(client, Role.CASE_OFFICER)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))
    # Organisation pages are behind it too.
    assert client.get(reverse("accounts:organisation_list")).status_code == 302

    setup = client.get(response["Location"])
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(response["Location"], {"token": f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"})
    assert response.status_code == 200
    assert "wrong or has expired" in text(response)

    code = f"{totp(device.bin_key):06d}"
    response = client.post(f"{reverse('accounts:mfa_setup')}?next=/", {"token": code})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    assert last_entry("mfa.device_confirmed").actor_id == user.pk
    assert "confirmed for this session" in text(client.get(reverse("accounts:profile")))


def test_exporter_is_not_forced_to_mfa(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EXCON_REQUIRE_MFA_FOR_GOVERNMENT = True
    signed_in(client, Role.EXPORTER_ADMIN)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:organisation_list")).status_code == 200


def test_sign_in_through_the_form(client: Client) -> None:
    user = user_with_role(Role.EXPORTER_USER)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert last_entry("user.logged_in").actor_id == user.pk
