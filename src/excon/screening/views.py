"""Pages of the screening app, for the compliance officers who work in them all day: the hit review queue, the
hit page (the screened party, the list entry and why the engine raised it, with Confirm and Dismiss), the
single-name search, the state of the lists, and the national denial list.

Pages hold no rules: reads go through the selectors (or, for list entries that the selectors do not cover yet,
through the small scoped reads at the end of this module), writes through the services (which check the policy,
validate and audit); the policies only decide which pages and actions to show. A DomainError from a service is
shown on the form with a 200, and nothing is stored."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from excon.accounts.models import User
from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.errors import DomainError, NotFound
from excon.core.ids import parse_uuid
from excon.core.pages import actor_of as _actor
from excon.core.pages import form_page, found_or_404, render_partial, shown_or_404
from excon.core.pages import paginate as _page
from excon.core.pages import posted as _posted

from . import forms, policies, selectors, services
from .enums import HitStatus, SourceCode
from .matching import DEFAULT_THRESHOLD, Query
from .models import ListEntry, ScreeningHit

SEARCH_LIMIT = 25

# What each part of an explanation means, in the words a reviewer uses (matching.py computes them).
NAME_PARTS: tuple[tuple[str, str, str], ...] = (
    (
        "alignment",
        "Word by word",
        "Each word of the shorter name paired with its most similar word of the longer one (spelling, initials "
        "and sound-alike words count), weighted by how much of the longer name is covered.",
    ),
    ("token_sort_ratio", "In any order", "The two names compared letter by letter with their words sorted."),
    (
        "compact_ratio",
        "Without spaces",
        "The names compared written together (Xi Jin Ping ~ Xi Jinping, Rosoboron Export ~ Rosoboronexport); "
        "it counts (× 0.98) only where the two names cut their words differently.",
    ),
    (
        "consonant_skeleton",
        "Consonants",
        "For a name in Arabic or Hebrew script, where short vowels are not written: the consonants compared (× 0.93).",
    ),
    ("token_overlap", "Words in common", "The share of distinct words the two names have in common."),
    ("coverage_query_side", "Screened name covered", "How much of the screened name found a partner word."),
    (
        "candidate_share",
        "Found by the index",
        "The share of the screened name's weighted words and sound keys that the listed name carries (how the "
        "candidate was found, not part of the score).",
    ),
)
FACTOR_LABELS = {
    "birth_date": "Birth date",
    "country": "Country",
    "identifier": "Identifier",
    "weak_alias": "Low-quality alias",
}
TARGET_LABELS = {
    "applications.party": "Party to a licence application",
    "accounts.organisation": "Exporter (the applicant)",
    "licences.licence": "Party to an active licence",
    "search": "Search",
}


def _entry_page(entry: ListEntry) -> str:
    return reverse("screening:entry", kwargs={"entry_id": entry.pk})


def _hit_or_404(actor: User, hit_id: Any) -> ScreeningHit:
    return found_or_404(selectors.hit_get, actor=actor, hit_id=hit_id)


def explanation_rows(explanation: dict[str, Any]) -> dict[str, Any]:
    """An engine explanation (matching.Hit.explanation) as rows a reviewer can read."""
    name_score = float(explanation.get("name_similarity") or 0.0)
    adjustments = [
        {
            "label": FACTOR_LABELS.get(str(item.get("factor")), str(item.get("factor", "")).replace("_", " ")),
            "value": float(item.get("value") or 0.0),
            "detail": item.get("detail", ""),
        }
        for item in explanation.get("adjustments") or []
    ]
    parts = [
        {"key": key, "label": label, "help": help_text, "value": float(explanation[key])}
        for key, label, help_text in NAME_PARTS
        if explanation.get(key) is not None
    ]
    total = max(0.0, min(1.0, name_score + sum(item["value"] for item in adjustments)))
    formula = f"name similarity {name_score:.2f}" + "".join(
        f" {'+' if item['value'] >= 0 else '−'} {item['label'].lower()} {abs(item['value']):.2f}"
        for item in adjustments
    )
    measure = str(explanation.get("measure") or "")
    measure_label = next((label for key, label, _ in NAME_PARTS if key == measure), "")
    return {
        "formula": formula,
        "name_score": name_score,
        "measure": measure,
        "measure_label": measure_label,
        "name_rules": explanation.get("name_rules") or [],
        "parts": parts,
        "adjustments": adjustments,
        "total": total,
        "query_tokens": explanation.get("query_tokens") or [],
        "ignored": explanation.get("ignored_weak_tokens") or [],
        "matched_name": explanation.get("matched_name", ""),
    }


# The review queue and the hit page ------------------------------------------------------------------------------


@login_required
@require_GET
def hit_queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_view_hits(actor), "screening hits")
    filters = forms.HitFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    hits = selectors.hit_queue(
        actor=actor,
        status=data.get("status") or "",
        source=data.get("source") or "",
        score_min=data.get("score_min"),
        score_max=data.get("score_max"),
        name=data.get("q") or "",
    )
    page, query = _page(request, hits)
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "can_review": policies.can_review_hit(actor),
        "target_labels": TARGET_LABELS,
    }
    return render_partial(request, "screening/hit_queue.html", "screening/_hit_results.html", context)


def _hit_context(
    actor: User, hit: ScreeningHit, review_form: forms.ReviewForm | None = None, action: str = ""
) -> dict[str, Any]:
    try:
        entry: ListEntry | None = selectors.entry_get(actor=actor, entry_id=hit.entry_id)
    except NotFound:
        entry = None
    can_review = policies.can_review_hit(actor) and hit.status == HitStatus.OPEN
    return {
        "hit": hit,
        "party": {
            **selectors.screened_party(actor=actor, hit=hit),
            "target_label": TARGET_LABELS.get(hit.target_type, hit.target_type),
        },
        "entry": entry,
        "explanation": explanation_rows(hit.explanation or {}),
        "can_review": can_review,
        "review_form": review_form or forms.ReviewForm(),
        "failed_action": action,
        "history": history_rows(audit_history_for(hit)),
    }


@login_required
@require_GET
def hit_detail(request: HttpRequest, hit_id: Any) -> HttpResponse:
    actor = _actor(request)
    hit = _hit_or_404(actor, hit_id)
    return render(request, "screening/hit_detail.html", _hit_context(actor, hit))


def _review(request: HttpRequest, hit_id: Any, action: str) -> HttpResponse:
    actor = _actor(request)
    hit = _hit_or_404(actor, hit_id)
    if not policies.can_review_hit(actor):
        raise PermissionDenied
    review = services.hit_confirm if action == "confirm" else services.hit_dismiss
    done = "confirmed as a true match" if action == "confirm" else "dismissed"

    def refused(form: forms.ReviewForm) -> HttpResponse:
        label = "Reason for confirming (optional)" if action == "confirm" else "Reason for dismissing"
        form.fields["reason"].label = form["reason"].label = label
        fresh = _hit_or_404(actor, hit_id)  # as it is now, after the refused review
        return render(request, "screening/hit_detail.html", _hit_context(actor, fresh, form, action))

    return form_page(
        request,
        forms.ReviewForm(request.POST),
        lambda data: review(actor=actor, hit_id=hit.pk, reason=data.get("reason") or ""),
        message=f"The hit on {hit.screened_name} is {done}.",
        then=f"{reverse('screening:queue')}?status={HitStatus.OPEN}",
        template=refused,
    )


@login_required
@require_POST
def hit_confirm(request: HttpRequest, hit_id: Any) -> HttpResponse:
    return _review(request, hit_id, "confirm")


@login_required
@require_POST
def hit_dismiss(request: HttpRequest, hit_id: Any) -> HttpResponse:
    return _review(request, hit_id, "dismiss")


# Search -------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_search_lists(actor), "screening search")
    form = forms.SearchForm(request.GET if "name" in request.GET else None)
    results = None
    threshold = DEFAULT_THRESHOLD
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = data.get("threshold")
        threshold = float(chosen) if chosen is not None else DEFAULT_THRESHOLD
        query = Query(
            name=data.get("name") or "",
            kind=data.get("kind") or "",
            country=(data.get("country") or "").strip(),
            birth_date=(data.get("birth_date") or "").strip(),
        )
        try:
            hits = services.screening_search(actor=actor, query=query, threshold=threshold, limit=SEARCH_LIMIT)
        except DomainError as exc:
            form.add_domain_error(exc, field_map={"threshold": "threshold"})
        else:
            keys = [parse_uuid(hit.entry_key) for hit in hits]
            known = selectors.known_entry_ids(actor=actor, entry_ids=[key for key in keys if key])
            results = [
                {
                    "hit": hit,
                    "entry_id": key if key in known else None,
                    "explanation": explanation_rows({**hit.explanation, "matched_name": hit.matched_name}),
                }
                for hit, key in zip(hits, keys, strict=True)
            ]
    context = {"form": form, "results": results, "threshold": threshold}
    return render_partial(request, "screening/search.html", "screening/_search_results.html", context)


# The lists -------------------------------------------------------------------------------------------------------


def _may_read_lists(actor: User) -> bool:
    return policies.can_read_lists(actor)


@login_required
@require_GET
def list_status(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(_may_read_lists(actor), "lists")
    failures = selectors.failed_imports(actor=actor)
    context = {"rows": selectors.list_status(), "failures": failures}
    return render(request, "screening/list_status.html", context)


@login_required
@require_GET
def entry_detail(request: HttpRequest, entry_id: Any) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(_may_read_lists(actor), "list entry")
    entry = found_or_404(selectors.entry_get, actor=actor, entry_id=entry_id)
    national = entry.source.code == SourceCode.NATIONAL
    context = {
        "entry": entry,
        "can_manage": national and entry.active and policies.can_manage_national_list(actor),
        "history": history_rows(audit_history_for(entry)) if national else [],
    }
    return render(request, "screening/entry_detail.html", context)


# The national denial list ----------------------------------------------------------------------------------------


@login_required
@require_GET
def national_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(_may_read_lists(actor), "national list")
    q = (request.GET.get("q") or "").strip()
    show_removed = request.GET.get("removed") == "1"
    entries = selectors.national_entry_list(actor=actor, q=q, include_removed=show_removed)
    page, query = _page(request, entries)
    context = {
        "page": page,
        "query": query,
        "q": q,
        "show_removed": show_removed,
        "can_manage": policies.can_manage_national_list(actor),
    }
    return render_partial(request, "screening/national_list.html", "screening/_national_results.html", context)


def _require_manager(actor: User) -> None:
    if not policies.can_manage_national_list(actor):
        if _may_read_lists(actor):
            raise PermissionDenied
        raise Http404("national list")


@login_required
@require_http_methods(["GET", "POST"])
def national_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _require_manager(actor)
    form = forms.NationalEntryForm(_posted(request))
    return form_page(
        request,
        form,
        lambda data: services.national_entry_create(actor=actor, data=form.to_input()),
        message=lambda entry: f"{entry.primary_name} is on the national denial list.",
        then=_entry_page,
        template="screening/national_form.html",
        context={"entry": None},
    )


def _national_or_404(actor: User, entry_id: Any) -> ListEntry:
    return found_or_404(selectors.national_entry_get, actor=actor, entry_id=entry_id)


@login_required
@require_http_methods(["GET", "POST"])
def national_edit(request: HttpRequest, entry_id: Any) -> HttpResponse:
    actor = _actor(request)
    _require_manager(actor)
    entry = _national_or_404(actor, entry_id)
    form = forms.NationalEntryForm(_posted(request), initial=forms.NationalEntryForm.initial_for(entry))
    return form_page(
        request,
        form,
        lambda data: services.national_entry_update(actor=actor, entry_id=entry.pk, data=form.to_input()),
        message=lambda saved: f"The entry for {saved.primary_name} is saved.",
        then=_entry_page,
        template="screening/national_form.html",
        context={"entry": entry},
    )


@login_required
@require_http_methods(["GET", "POST"])
def national_remove(request: HttpRequest, entry_id: Any) -> HttpResponse:
    actor = _actor(request)
    _require_manager(actor)
    entry = _national_or_404(actor, entry_id)
    return form_page(
        request,
        forms.RemoveForm(_posted(request)),
        lambda data: services.national_entry_remove(actor=actor, entry_id=entry.pk, reason=data.get("reason") or ""),
        message=f"{entry.primary_name} is removed from the national denial list.",
        then="screening:national",
        template="screening/national_remove.html",
        context={"entry": entry},
    )
