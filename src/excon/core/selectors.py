"""The one way a selector fetches an object by its id for an actor (`<entity>_get`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from .errors import NotFound
from .ids import parse_uuid

M = TypeVar("M", bound=Model)


def one_visible(
    rows: QuerySet[M], key: Any, what: str, *, visible: Callable[[M], bool] | None = None, code: str | None = None
) -> M:
    """The row of `rows` whose primary key is `key` (a UUID or its text) if the actor may see it (`visible`, when
    `rows` are not already scoped); otherwise NotFound(`what`): a malformed id, a missing row and one outside the
    actor's scope read the same."""
    pk = parse_uuid(key)
    found = rows.filter(pk=pk).first() if pk else None
    if found is None or (visible is not None and not visible(found)):
        raise NotFound(what, code=code)
    return found
