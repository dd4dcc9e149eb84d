"""The audit log pages (auditors and system administrators) and the readable history shown beside objects."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from excon.core.errors import PermissionDenied as DomainPermissionDenied
from excon.core.exports import csv_writerow
from excon.core.pages import paginate, render_partial
from excon.core.roles import Role

from . import policies, selectors
from .forms import AuditFilterForm
from .labels import verb_choices, verb_label
from .verification import verify_log

PAGE_SIZE = 50


_ROLE_LABELS = dict(Role.choices)
_SUMMARY_LIMIT = 300


def _show(value: Any) -> str:
    if value in ("", None):
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            return "; ".join(_show(item) for item in value) or "(none)"
        return ", ".join(_ROLE_LABELS.get(str(item), str(item)) for item in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{key} {_show(item)}" for key, item in value.items())
    return str(value)


def describe_payload(payload: dict[str, Any]) -> str:
    """A one-line, human-readable account of an entry's payload."""
    if not isinstance(payload, dict) or not payload:
        return ""
    parts: list[str] = []
    changes = payload.get("changes")
    if isinstance(changes, dict):
        for field, change in changes.items():
            if isinstance(change, dict):
                parts.append(f"{field.replace('_', ' ')}: {_show(change.get('from'))} → {_show(change.get('to'))}")
    if "from" in payload and "to" in payload:
        parts.append(f"{_show(payload['from'])} → {_show(payload['to'])}")
    for key in ("added", "removed", "roles"):
        if payload.get(key):
            parts.append(f"{key}: {_show(payload[key])}")
    for key, value in payload.items():
        if key in {"changes", "from", "to", "added", "removed", "roles"} or value in ("", None, [], {}):
            continue
        parts.append(f"{key.replace('_', ' ')}: {_show(value)}")
    text = "; ".join(parts)
    return text if len(text) <= _SUMMARY_LIMIT else text[: _SUMMARY_LIMIT - 1] + "…"


def history_rows(entries: Any) -> list[dict[str, Any]]:
    """Rows for includes/history.html: who, what (verb and a readable summary), when."""
    return [
        {
            "seq": entry.seq,
            "who": entry.actor_repr,
            "verb": entry.verb,
            "what": verb_label(entry.verb),
            "summary": describe_payload(entry.payload),
            "when": entry.occurred_at,
        }
        for entry in entries
    ]


def _require_audit_reader(request: HttpRequest) -> Any:
    actor = request.user
    if not policies.can_view_audit_log(actor):  # type: ignore[arg-type]
        # Not yours is not found: the log's existence is not advertised to other roles.
        raise Http404("audit log")
    return actor


def _filtered(request: HttpRequest) -> tuple[Any, AuditFilterForm, Any]:
    """The reader, the filter form bound to the query string, and the entries it finds."""
    actor = _require_audit_reader(request)
    try:
        everything = selectors.audit_entry_list(actor=actor)
    except DomainPermissionDenied as exc:
        raise Http404("audit log") from exc
    verbs = list(everything.order_by().values_list("verb", flat=True).distinct())
    target_types = [value for value in everything.order_by().values_list("target_type", flat=True).distinct() if value]
    form = AuditFilterForm(
        request.GET or None,
        verbs=verb_choices(verbs),
        target_types=sorted(target_types),
        organisations=selectors.audit_actor_organisations(actor=actor),
    )
    filters = form.filters() if request.GET else {}
    return actor, form, selectors.audit_entry_list(actor=actor, **filters)


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    _, form, entries = _filtered(request)
    page, query = paginate(request, entries, PAGE_SIZE)
    context = {
        "page": page,
        "rows": [
            {**row, "target_type": entry.target_type, "target_repr": entry.target_repr, "entry": entry}
            for row, entry in zip(history_rows(page.object_list), page.object_list, strict=True)
        ],
        "form": form,
        "query": query,
        "export_query": request.GET.urlencode(),
    }
    return render_partial(request, "audit/entry_list.html", "audit/_entry_results.html", context)


EXPORT_HEADER = ("seq", "occurred_at", "actor", "verb", "what", "target_type", "target", "summary", "entry_hash")


class _Echo:
    """A file that hands back what is written: csv.writer then yields each line for a streamed response."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def entry_export(request: HttpRequest) -> StreamingHttpResponse:
    """What the filters found, as CSV (every entry, not only the page shown; text cells neutralised)."""
    _, _, entries = _filtered(request)
    writer = csv.writer(_Echo(), lineterminator="\n")

    def lines() -> Iterator[object]:
        yield csv_writerow(writer, EXPORT_HEADER)
        for entry in entries.iterator(chunk_size=2000):
            yield csv_writerow(
                writer,
                (
                    entry.seq,
                    entry.occurred_at,
                    entry.actor_repr,
                    entry.verb,
                    verb_label(entry.verb),
                    entry.target_type,
                    entry.target_repr,
                    describe_payload(entry.payload),
                    entry.entry_hash,
                ),
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.localdate():%Y%m%d}.csv"'
    return response


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _require_audit_reader(request)
    result = verify_log()
    context = {"result": result, "summary": result.describe()}
    template = "audit/_verify_result.html" if getattr(request, "htmx", False) else "audit/verify.html"
    return render(request, template, context)
