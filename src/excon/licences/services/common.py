from __future__ import annotations

from ..models import Licence


def locked(licence: Licence) -> Licence:
    return Licence.objects.select_for_update().select_related("holder", "destination").get(pk=licence.pk)
