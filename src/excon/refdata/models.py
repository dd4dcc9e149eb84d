"""Reference data: countries, control-list entries, HS codes, arms embargoes and destination groups."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from excon.core.models import BaseModel

from .enums import AttCategory, EmbargoAuthority, EmbargoScope, EmbargoTarget, Regime, UnrocaCategory


class Country(BaseModel):
    """An ISO 3166-1 country, loaded from pycountry (never a hand-written table)."""

    iso2 = models.CharField(max_length=2, unique=True, help_text="ISO 3166-1 alpha-2")
    iso3 = models.CharField(max_length=3, unique=True, help_text="ISO 3166-1 alpha-3")
    numeric = models.CharField(max_length=3, help_text="ISO 3166-1 numeric")
    name = models.CharField(max_length=120)
    official_name = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.name} ({self.iso2})"


class DestinationGroup(BaseModel):
    """A named set of countries (EU, NATO, Wassenaar…) that rules and open licences refer to.

    Seeded groups carry `seed_key`; the loader creates them only when missing, so the authority's edits stay."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, default="")
    countries = models.ManyToManyField(Country, related_name="destination_groups", blank=True)
    seed_key = models.CharField(max_length=60, blank=True, default="", editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["seed_key"], condition=~Q(seed_key=""), name="refdata_group_seed_uniq"),
        ]

    def __str__(self) -> str:
        return self.name


class ControlListEntry(BaseModel):
    """One entry of a control list, in a tree: ML1 > ML1.a; 5 > 5A > 5A002; national PL5001."""

    code = models.CharField(max_length=30, unique=True)
    regime = models.CharField(max_length=20, choices=Regime.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    att_categories = models.JSONField(
        default=list, blank=True, help_text="Arms Trade Treaty categories this entry may fall under (AttCategory)"
    )
    unroca_categories = models.JSONField(
        default=list, blank=True, help_text="UN Register categories this entry may fall under (UnrocaCategory)"
    )
    sort_order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "control list entries"
        constraints = [models.CheckConstraint(condition=Q(regime__in=Regime.values), name="refdata_entry_regime_valid")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def att_category(self) -> str:
        """The main ATT category (the first listed), or ""."""
        return self.att_categories[0] if self.att_categories else ""

    @property
    def unroca_category(self) -> str:
        return self.unroca_categories[0] if self.unroca_categories else ""

    @property
    def att_category_labels(self) -> list[str]:
        labels = dict(AttCategory.choices)
        return [labels.get(value, value) for value in self.att_categories]

    @property
    def unroca_category_labels(self) -> list[str]:
        labels = dict(UnrocaCategory.choices)
        return [labels.get(value, value) for value in self.unroca_categories]


class HsCode(BaseModel):
    """A Harmonized System code (2-digit chapter, 4-digit heading, 6-digit subheading) relevant to military goods."""

    code = models.CharField(max_length=6, unique=True)
    description = models.TextField()
    parent_code = models.CharField(max_length=6, blank=True, default="")
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["code"]
        verbose_name = "HS code"
        constraints = [models.CheckConstraint(condition=Q(level__in=[2, 4, 6]), name="refdata_hs_level_valid")]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:80]}"


class ArmsEmbargo(BaseModel):
    """An arms embargo on a country. `end_date` is the day it was lifted: from that day it no longer applies.

    Seeded embargoes carry `seed_key`; the loader creates them only when missing and never overwrites the
    authority's edits."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="arms_embargoes")
    imposed_by = models.CharField(max_length=20, choices=EmbargoAuthority.choices)
    scope = models.CharField(max_length=20, choices=EmbargoScope.choices, default=EmbargoScope.FULL)
    applies_to = models.CharField(max_length=20, choices=EmbargoTarget.choices, default=EmbargoTarget.ALL)
    control_entries = models.ManyToManyField(ControlListEntry, related_name="arms_embargoes", blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="the day it was lifted; empty while in force")
    legal_reference = models.CharField(max_length=300)
    notes = models.TextField(blank=True, default="")
    source_url = models.URLField(max_length=500, blank=True, default="")
    seed_key = models.CharField(max_length=60, blank=True, default="", editable=False)

    class Meta:
        ordering = ["country__name", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(imposed_by__in=EmbargoAuthority.values), name="refdata_emb_by_valid"),
            models.CheckConstraint(condition=Q(scope__in=EmbargoScope.values), name="refdata_emb_scope_valid"),
            models.CheckConstraint(condition=Q(applies_to__in=EmbargoTarget.values), name="refdata_emb_target_valid"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="refdata_emb_dates_ordered",
            ),
            models.UniqueConstraint(fields=["seed_key"], condition=~Q(seed_key=""), name="refdata_emb_seed_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_imposed_by_display()} arms embargo on {self.country.name} ({self.legal_reference})"

    def is_active_on(self, on: datetime.date) -> bool:
        return self.start_date <= on and (self.end_date is None or on < self.end_date)
