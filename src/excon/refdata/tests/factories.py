"""Factories and helpers for reference-data tests."""

from __future__ import annotations

import datetime

import factory

from excon.refdata.enums import EmbargoAuthority, EmbargoScope, Regime
from excon.refdata.loading import LoadReport, load_refdata
from excon.refdata.models import ArmsEmbargo, ControlListEntry, Country, DestinationGroup


def load() -> LoadReport:
    """Load the shipped reference data (fast: a few bulk inserts)."""
    return load_refdata()


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso2",)

    iso2 = "XA"
    iso3 = factory.LazyAttribute(lambda obj: f"{obj.iso2}X")
    numeric = "999"
    name = factory.LazyAttribute(lambda obj: f"Country {obj.iso2}")


class ControlListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlListEntry

    code = factory.Sequence(lambda n: f"T{n}")
    regime = Regime.NATIONAL
    title = factory.Sequence(lambda n: f"Test entry {n}")


class DestinationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DestinationGroup

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")


class ArmsEmbargoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArmsEmbargo

    country = factory.SubFactory(CountryFactory)
    imposed_by = EmbargoAuthority.NATIONAL
    scope = EmbargoScope.FULL
    start_date = datetime.date(2020, 1, 1)
    legal_reference = factory.Sequence(lambda n: f"National decree {n}/2020")
