"""Account rules the pages used to decide for themselves: which organisation fields a role may edit (the page
offers exactly those, and the service refuses the others), and whether a user has two-factor authentication."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from excon.accounts import policies, selectors, services
from excon.accounts.tests.factories import OrganisationFactory, UserFactory, user_with_role
from excon.core.errors import PermissionDenied
from excon.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_authority_edits_every_organisation_field_and_the_exporters_administrator_only_the_contacts() -> None:
    organisation = OrganisationFactory()
    administrator = UserFactory(organisation=organisation, roles=[Role.EXPORTER_ADMIN])
    assert policies.organisation_fields_editable_by(user_with_role(Role.SYSTEM_ADMIN)) == (
        policies.ORGANISATION_EDITABLE_FIELDS
    )
    assert policies.organisation_fields_editable_by(administrator) == ("address", "email", "phone")
    services.organisation_update(actor=administrator, organisation=organisation, phone="+380 44 000 0000")
    with pytest.raises(PermissionDenied) as error:
        services.organisation_update(actor=administrator, organisation=organisation, name="Renamed")
    assert error.value.code == "organisation.field_restricted"


def test_two_factor_authentication_counts_once_the_device_is_confirmed() -> None:
    user = UserFactory()
    assert not selectors.has_confirmed_device(user)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    assert not selectors.has_confirmed_device(user)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert selectors.has_confirmed_device(user)
