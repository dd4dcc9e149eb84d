"""Vocabulary of the accounts app."""

from __future__ import annotations

from django.db import models


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    ORGANISATION_CREATED = "organisation.created", "Registered the organisation"
    ORGANISATION_UPDATED = "organisation.updated", "Changed the organisation's details"
    ORGANISATION_STATUS_CHANGED = "organisation.status_changed", "Changed the organisation's status"
    USER_CREATED = "user.created", "Created the user"
    USER_UPDATED = "user.updated", "Changed the user's details"
    USER_ROLES_CHANGED = "user.roles_changed", "Changed the user's roles"
    USER_CLEARANCE_CHANGED = "user.clearance_changed", "Changed the user's clearance"
    USER_DEACTIVATED = "user.deactivated", "Deactivated the user"
    USER_REACTIVATED = "user.reactivated", "Reactivated the user"
    USER_PASSWORD_CHANGED = "user.password_changed", "Changed the password"
    USER_LOGGED_IN = "user.logged_in", "Signed in"
    API_TOKEN_CREATED = "api_token.created", "Created an API token"
    API_TOKEN_REVOKED = "api_token.revoked", "Revoked an API token"
    MFA_ENROLMENT_STARTED = "mfa.enrolment_started", "Started setting up two-factor authentication"
    MFA_DEVICE_CONFIRMED = "mfa.device_confirmed", "Set up two-factor authentication"
    MFA_RESET = "mfa.reset", "Reset two-factor authentication"
