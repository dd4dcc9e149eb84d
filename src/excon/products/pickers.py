"""The options of a product picker (`excon.core.pickers`): the products a page offers (scoped by the actor's
selector), found by designation, name, aliases and former designations. The value is the product's id."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from excon.core.pickers import PickerOption

from .models import Product, ProductAlias


def product_options(products: Iterable[Product]) -> list[PickerOption]:
    if hasattr(products, "prefetch_related"):
        products = products.prefetch_related(Prefetch("aliases", queryset=ProductAlias.objects.order_by("name")))
    return [
        PickerOption(
            str(product.pk),
            f"{product.designation} – {product.name}",
            (product.designation, *(alias.name for alias in product.aliases.all())),
        )
        for product in products
    ]
