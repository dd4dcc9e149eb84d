"""Organisations, users, their roles and personal API tokens."""

from __future__ import annotations

import uuid
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from excon.core.markings import ProtectiveMarking
from excon.core.models import BaseModel
from excon.core.roles import GOVERNMENT_KINDS, DepartmentKind, OrganisationKind, Role


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"


class Organisation(BaseModel):
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    department_kind = models.CharField(max_length=20, choices=DepartmentKind.choices, blank=True, default="")
    name = models.CharField(max_length=200, unique=True)
    registration_number = models.CharField(
        max_length=50, blank=True, default="", help_text="exporter's registration number with the authority"
    )
    address = models.TextField(blank=True, default="")
    country = models.CharField(max_length=2, default="", blank=True, help_text="ISO 3166-1 alpha-2")
    email = models.EmailField(blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    status = models.CharField(max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="accounts_org_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=OrganisationStatus.values), name="accounts_org_status_valid"),
            models.CheckConstraint(
                condition=(Q(kind=OrganisationKind.DEPARTMENT) & Q(department_kind__in=DepartmentKind.values))
                | (~Q(kind=OrganisationKind.DEPARTMENT) & Q(department_kind="")),
                name="accounts_org_department_kind_only_for_departments",
            ),
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="accounts_org_registration_number_uniq",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS

    @property
    def is_exporter(self) -> bool:
        return self.kind == OrganisationKind.EXPORTER

    @property
    def is_active(self) -> bool:
        return self.status == OrganisationStatus.ACTIVE


class ExconUserManager(UserManager["User"]):
    def get_queryset(self) -> models.QuerySet[User]:
        return super().get_queryset().select_related("organisation")


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    job_title = models.CharField(max_length=120, blank=True, default="")
    clearance = models.CharField(
        max_length=20,
        choices=ProtectiveMarking.choices,
        default=ProtectiveMarking.UNCLASSIFIED,
        help_text="the highest protective marking this user may read (government users)",
    )

    objects = ExconUserManager()  # type: ignore[misc]
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clearance__in=ProtectiveMarking.values), name="accounts_user_clearance_valid"
            )
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.is_active or not self.organisation.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    def has_any_role(self, *roles: str) -> bool:
        return not self.role_set.isdisjoint(roles)

    @property
    def is_government(self) -> bool:
        return self.organisation.is_government

    def forget_roles(self) -> None:
        self.__dict__.pop("role_set", None)


class RoleAssignment(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_role_assignment_uniq"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="accounts_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.role}"


class ApiToken(BaseModel):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, help_text="public part, shown in lists to tell tokens apart")
    secret_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
