"""Factories for products and small helpers to build documents and reference data for product tests."""

from __future__ import annotations

import io
from typing import Any

import factory
from reportlab.pdfgen import canvas

from excon.accounts.tests.factories import OrganisationFactory
from excon.products.enums import DevelopmentBasis, ProductStatus
from excon.products.models import Product
from excon.refdata.enums import Regime
from excon.refdata.models import ControlListEntry, Country, DestinationGroup


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    manufacturer = factory.SubFactory(OrganisationFactory)
    designation = factory.Sequence(lambda n: f"XM-{n:03d}")
    name = factory.Sequence(lambda n: f"Armoured personnel carrier model {n}")
    description = "Eight-wheeled amphibious armoured personnel carrier"
    development_basis = DevelopmentBasis.OWN_INITIATIVE
    status = ProductStatus.DRAFT


def pdf_bytes(text: str = "Technical description") -> bytes:
    """A real, small PDF."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, invariant=True)  # deterministic bytes, so hashes can be compared
    document.drawString(72, 720, text)
    document.save()
    return buffer.getvalue()


def country(iso2: str, name: str | None = None) -> Country:
    numeric = str(abs(hash(iso2)) % 1000).zfill(3)
    found, _ = Country.objects.get_or_create(
        iso2=iso2, defaults={"iso3": iso2 + "X", "numeric": numeric, "name": name or iso2}
    )
    return found


def control_entry(code: str, **kwargs: Any) -> ControlListEntry:
    parent_code = code.split(".")[0] if "." in code else None
    parent = control_entry(parent_code) if parent_code else None
    entry, _ = ControlListEntry.objects.get_or_create(
        code=code,
        defaults={"regime": Regime.EU_MILITARY, "title": f"Entry {code}", "parent": parent, **kwargs},
    )
    return entry


def destination_group(code: str, members: list[str]) -> DestinationGroup:
    group, _ = DestinationGroup.objects.get_or_create(code=code, defaults={"name": code.upper()})
    group.countries.set([country(iso2) for iso2 in members])
    return group
