"""Small helpers every app's page views share: the acting user, bound-on-POST forms, 403 for actions the actor
may not take, 404 for what the selectors do not find, pagination that keeps the filters, htmx partials, and the
two shapes of a write: a form page (`form_page`) and a POST-only button (`post_action`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from .errors import DomainError, NotFound

if TYPE_CHECKING:
    from excon.accounts.models import User

T = TypeVar("T")
# Where a write goes next: a URL name or path (for redirect()), a response, or a function of the service's result
# giving either (the new object's page after a create).
Next = str | HttpResponse | Callable[[Any], "str | HttpResponse"]
# The flash message after a write: fixed text, a function of the service's result (None: no message), or None.
Message = str | Callable[[Any], str | None] | None
PAGE_SIZE = 25


def actor_of(request: HttpRequest) -> User:
    return cast("User", request.user)


def posted(request: HttpRequest) -> Any:
    """The form data on a POST (even an empty one, so the form is bound and invalid), None otherwise."""
    return request.POST if request.method == "POST" else None


def uploads(request: HttpRequest) -> Any:
    """The uploaded files on a POST (for multipart forms, beside `posted`), None otherwise."""
    return request.FILES if request.method == "POST" else None


def require(allowed: bool) -> None:
    """The actor may see the object (the selector said so) but not do this to it: 403."""
    if not allowed:
        raise PermissionDenied


def shown_or_404(allowed: bool, what: str = "page") -> None:
    """A page (or list) the actor's roles do not open reads as missing, like an object outside its scope: 404."""
    if not allowed:
        raise Http404(what)


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


def render_partial(
    request: HttpRequest, page_template: str, partial_template: str, context: Mapping[str, Any]
) -> HttpResponse:
    """The whole page, or only the fragment when htmx asks for it (search as you type); caches keep them apart."""
    response = render(request, partial_template if is_partial(request) else page_template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _go(target: Next, result: Any) -> HttpResponse:
    if callable(target):
        target = target(result)
    return target if isinstance(target, HttpResponse) else redirect(target)


def _flash(request: HttpRequest, message: Message, result: Any) -> None:
    text = message(result) if callable(message) else message
    if text:
        messages.success(request, text)


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], T],
    *,
    template: str | Callable[[Any], HttpResponse],
    then: Next,
    message: Message = None,
    context: Mapping[str, Any] | None = None,
    field_map: dict[str, str] | None = None,
    partial_template: str | None = None,
) -> HttpResponse:
    """The one form page: on GET show the form; on POST validate it and call `save(cleaned_data)` (a service);
    a DomainError is shown on the form (on the field it names, else above the form) and nothing is stored; on
    success flash `message` and go to `then`. `template` is the page's template (the form and `context` fill it)
    or a function of the form giving the page; `partial_template` answers htmx requests with a fragment."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc, field_map)
        else:
            _flash(request, message, result)
            return _go(then, result)
    if callable(template):  # a page that shows the form among other things builds itself around it
        return template(form)
    page = {"form": form, **(context or {})}
    if partial_template is not None:
        return render_partial(request, template, partial_template, page)
    return render(request, template, page)


def post_action(
    request: HttpRequest,
    act: Callable[[], T],
    *,
    then: Next,
    message: Message = None,
    back: str | HttpResponse | None = None,
) -> HttpResponse:
    """A button that POSTs (approve, remove, revoke): call `act()` (a service); a DomainError becomes an error
    message on the page it came from (`back`, by default `then`); on success flash `message` and go to `then`."""
    try:
        result = act()
    except DomainError as exc:
        messages.error(request, exc.message)
        if back is None:
            if callable(then):
                raise TypeError("post_action needs `back` when `then` depends on the result") from exc
            back = then
        return _go(back, None)
    _flash(request, message, result)
    return _go(then, result)
