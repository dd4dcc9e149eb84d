"""Small helpers every app's page views share: the acting user, bound-on-POST forms, 403 for actions the actor
may not take, 404 for what the selectors do not find, pagination that keeps the filters, and htmx partials."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

from .errors import NotFound

if TYPE_CHECKING:
    from excon.accounts.models import User

T = TypeVar("T")
PAGE_SIZE = 25


def actor_of(request: HttpRequest) -> User:
    return cast("User", request.user)


def posted(request: HttpRequest) -> Any:
    """The form data on a POST (even an empty one, so the form is bound and invalid), None otherwise."""
    return request.POST if request.method == "POST" else None


def require(allowed: bool) -> None:
    """The actor may see the object (the selector said so) but not do this to it: 403."""
    if not allowed:
        raise PermissionDenied


def found_or_404(read: Callable[..., T], **kwargs: Any) -> T:
    """Call a scoped selector; its NotFound (missing, or not yours) becomes the 404 page."""
    try:
        return read(**kwargs)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> tuple[Any, str]:
    """The requested page, and the query string without `page` for the pager's links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
