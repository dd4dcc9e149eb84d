"""The audit log pages (auditors and system administrators) and the readable history shown beside objects."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from excon.core.errors import PermissionDenied as DomainPermissionDenied
from excon.core.exports import csv_writerow
from excon.core.labels import is_labelled, label
from excon.core.money import format_money
from excon.core.pages import paginate, render_partial

from . import policies, selectors
from .forms import AuditFilterForm
from .labels import verb_choices, verb_label
from .verification import verify_log

PAGE_SIZE = 50


_SUMMARY_LIMIT = 300
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_HASH = re.compile(r"^(sha256:)?[0-9a-f]{40,128}$", re.IGNORECASE)
_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
_CODE = re.compile(r"^[a-z][a-z0-9]*(?:[._][a-z0-9]+)+$")
# Keys whose values are identifiers or fingerprints: the audit log shows them, a history beside an object does not.
_TECHNICAL_KEYS = ("_id", "_ids", "sha256", "hash", "fingerprint", "digest", "storage_name", "key_id")


def _technical(key: str, value: Any) -> bool:
    if key == "id" or key.endswith(_TECHNICAL_KEYS):
        return True
    return isinstance(value, str) and bool(_UUID.match(value) or _HASH.match(value))


def _show(value: Any, technical: bool = True) -> str:
    if value in ("", None):
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            return "; ".join(_show(item, technical) for item in value) or "(none)"
        shown = [_show(item, technical) for item in value if technical or not _technical("", item)]
        return ", ".join(shown) or "(none)"
    if isinstance(value, dict):
        return ", ".join(
            f"{key.replace('_', ' ')} {_show(item, technical)}"
            for key, item in value.items()
            if technical or not _technical(key, item)
        )
    text = str(value)
    if _AMOUNT.match(text):
        return format_money(text)
    if is_labelled(text) or ("_" in text and _CODE.match(text)):
        return label(text)  # a code: its label where an app registered one, else the code in words
    return text


def describe_payload(payload: dict[str, Any], *, technical: bool = False) -> str:
    """A one-line, human-readable account of an entry's payload: codes as their labels, amounts with thousands
    separators. Identifiers and file fingerprints (UUIDs, SHA-256) are left out unless `technical` (the audit
    log's own pages, for auditors)."""
    if not isinstance(payload, dict) or not payload:
        return ""
    parts: list[str] = []
    changes = payload.get("changes")
    if isinstance(changes, dict):
        for field, change in changes.items():
            if isinstance(change, dict) and (technical or not _technical(field, change.get("to"))):
                before, after = _show(change.get("from"), technical), _show(change.get("to"), technical)
                parts.append(f"{field.replace('_', ' ')}: {before} → {after}")
    if "from" in payload and "to" in payload:
        parts.append(f"{_show(payload['from'], technical)} → {_show(payload['to'], technical)}")
    for key in ("added", "removed", "roles"):
        if payload.get(key):
            parts.append(f"{key}: {_show(payload[key], technical)}")
    for key, value in payload.items():
        if key in {"changes", "from", "to", "added", "removed", "roles"} or value in ("", None, [], {}):
            continue
        if not technical and _technical(key, value):
            continue
        parts.append(f"{key.replace('_', ' ')}: {_show(value, technical)}")
    text = "; ".join(parts)
    return text if len(text) <= _SUMMARY_LIMIT else text[: _SUMMARY_LIMIT - 1] + "…"


def history_rows(entries: Any, *, technical: bool = False) -> list[dict[str, Any]]:
    """Rows for includes/history.html: who, what (verb and a readable summary), when."""
    return [
        {
            "seq": entry.seq,
            "who": entry.actor_repr,
            "verb": entry.verb,
            "what": verb_label(entry.verb),
            "summary": describe_payload(entry.payload, technical=technical),
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
            for row, entry in zip(history_rows(page.object_list, technical=True), page.object_list, strict=True)
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
                    describe_payload(entry.payload, technical=True),
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
