"""Pages for the product registry: the manufacturer's products, registration and documents, the CSV import, the
product page, the technical experts' review queue and review actions, and the government search.

Pages hold no rules: reads go through the selectors (out of scope reads as 404), writes through the services
(which check the policy and the workflow, validate and audit), and the policies only decide which actions to
show. A DomainError from a service is shown on the form, and nothing is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from excon.accounts import selectors as accounts_selectors
from excon.accounts.models import User
from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.files import stored_download
from excon.core.pages import actor_of as _actor
from excon.core.pages import form_page, found_or_404, render_partial, shown_or_404, uploads
from excon.core.pages import is_partial as _is_partial
from excon.core.pages import paginate as _page
from excon.core.pages import posted as _posted
from excon.core.pages import require as _require
from excon.core.roles import OrganisationKind
from excon.refdata import selectors as refdata_selectors
from excon.refdata.enums import AttCategory, UnrocaCategory

from . import forms, importer, policies, selectors, services
from .enums import AliasKind, DocumentReviewStatus, LifecycleStage, ProductAction
from .models import DocumentVersion, Product

SHA_PREFIX = 12
# The workflow moves that have their own page: "decide" happens when the expert records the eligibility decision.
_MOVES_WITH_PAGE = {ProductAction.SUBMIT, ProductAction.START_REVIEW, ProductAction.RETURN, ProductAction.REOPEN}
_MOVE_TEXT = {
    ProductAction.SUBMIT: (
        "Submit for review",
        "The technical experts will review the product and its documentation. You cannot change its particulars "
        "while they do.",
    ),
    ProductAction.START_REVIEW: ("Start review", "You take the product for review."),
    ProductAction.RETURN: (
        "Return for changes",
        "The manufacturer may then change the product and its documents and submit it again. Say what must change.",
    ),
    ProductAction.REOPEN: (
        "Reopen review",
        "The product goes back under review; its eligibility decision stays in force until you decide again.",
    ),
}


def _product_or_404(actor: User, product_id: Any) -> Product:
    return found_or_404(selectors.product_get, actor=actor, product_id=product_id)


def _version_or_404(actor: User, version_id: Any) -> DocumentVersion:
    return found_or_404(selectors.document_version_get, actor=actor, version_id=version_id)


def _product_page(product: Product) -> str:
    return reverse("products:detail", kwargs={"product_id": product.pk})


def _manufacturers(actor: User) -> Any:
    return accounts_selectors.organisation_list(actor=actor, kind=OrganisationKind.EXPORTER)


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def _waiting_days(product: Product, now: dt.datetime) -> int | None:
    return (now - product.status_changed_at).days if product.status_changed_at else None


# Lists --------------------------------------------------------------------------------------------------------


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    """The manufacturer's own products for its staff; the search over every product for government readers."""
    actor = _actor(request)
    government = policies.can_search_all_products(actor)
    own = policies.is_manufacturer_staff(actor, actor.organisation_id)
    shown_or_404(government or own, "products")
    filters: forms.ProductFilterForm
    if government:
        filters = forms.GovernmentProductFilterForm(request.GET or None, manufacturers=_manufacturers(actor))
    else:
        filters = forms.ProductFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    products = selectors.product_list(
        actor=actor,
        search=(data.get("q") or "").strip(),
        status=data.get("status") or "",
        manufacturer_id=data.get("manufacturer") or None,
        control_entry=(data.get("control_entry") or "").strip(),
        needs_review=True if data.get("needs_review") else None,
    )
    page, query = _page(request, products)
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "government": government,
        "can_create": own and policies.can_create_product(actor, actor.organisation),
    }
    return render_partial(request, "products/product_list.html", "products/_product_results.html", context)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """What the technical experts must look at, the longest waiting first."""
    actor = _actor(request)
    shown_or_404(policies.can_search_all_products(actor), "review queue")
    filters = forms.ReviewQueueFilterForm(request.GET or None, manufacturers=_manufacturers(actor))
    data = filters.cleaned_data if filters.is_valid() else {}
    queue = selectors.product_review_queue(
        actor=actor,
        status=data.get("status") or "",
        manufacturer_id=data.get("manufacturer") or None,
        control_entry=(data.get("control_entry") or "").strip(),
        waiting_days_min=data.get("waiting_days"),
    )
    page, query = _page(request, queue)
    now = timezone.now()
    rows = [{"product": product, "waiting_days": _waiting_days(product, now)} for product in page.object_list]
    context = {"filters": filters, "page": page, "rows": rows, "query": query}
    return render_partial(request, "products/review_queue.html", "products/_queue_results.html", context)


# The product page -----------------------------------------------------------------------------------------------


def _documents_by_stage(actor: User, product: Product, reviewable: bool) -> list[dict[str, Any]]:
    if not policies.can_view_documents(actor, product):
        return []  # customs see the product and its classification, not its technical documents
    documents = list(selectors.product_documents(actor=actor, product=product))
    stages = []
    for stage, label in LifecycleStage.choices:
        rows = []
        for document in documents:
            if document.stage != stage:
                continue
            versions = list(document.versions.all())  # newest first (DocumentVersion.Meta.ordering)
            newest = versions[0] if versions else None
            rows.append(
                {
                    "document": document,
                    "versions": versions,
                    "newest": newest,
                    "reviewable": reviewable
                    and newest is not None
                    and newest.review_status == DocumentReviewStatus.PENDING,
                }
            )
        stages.append({"stage": stage, "label": label, "documents": rows})
    return stages


def _eligibility_answer(request: HttpRequest, product: Product) -> tuple[forms.EligibilityCheckForm, Any]:
    if "country" not in request.GET:
        return forms.EligibilityCheckForm(), None
    form = forms.EligibilityCheckForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, selectors.product_export_eligibility(product, form.cleaned_data["country"])


@login_required
@require_GET
def product_detail(request: HttpRequest, product_id: Any) -> HttpResponse:
    actor = _actor(request)
    product = _product_or_404(actor, product_id)
    check_form, answer = _eligibility_answer(request, product)
    if _is_partial(request) and "country" in request.GET:
        context = {"check_form": check_form, "answer": answer}
        return render_partial(request, "products/product_detail.html", "products/_eligibility_answer.html", context)
    stage_labels = dict(LifecycleStage.choices)
    status = selectors.documentation_status(product)
    can_review = policies.can_review_document(actor, product)
    aliases = list(product.aliases.all())
    classification = selectors.current_classification(product)
    context = {
        "product": product,
        "characteristics": list(product.characteristics.all()),
        "aliases": [alias for alias in aliases if alias.kind == AliasKind.ALIAS],
        "former": [alias for alias in aliases if alias.kind == AliasKind.FORMER],
        "stages": _documents_by_stage(actor, product, can_review),
        "sha_prefix": SHA_PREFIX,
        "documentation": status,
        "missing_labels": [
            stage_labels[stage]
            for stage in status.missing_stages
            if stage not in status.awaiting_review_stages and stage not in status.returned_stages
        ],
        "awaiting_labels": [stage_labels[stage] for stage in status.awaiting_review_stages],
        "returned_labels": [stage_labels[stage] for stage in status.returned_stages],
        "waivers": list(product.waivers.select_related("waived_by").order_by("stage")),
        "classification": classification,
        "att_label": _label(AttCategory, classification.att_category if classification else ""),
        "unroca_label": _label(UnrocaCategory, classification.unroca_category if classification else ""),
        "classification_history": list(selectors.classification_history(product)),
        "eligibility": selectors.current_eligibility(product),
        "moves": [
            {"action": action, "label": action.label}
            for action in policies.available_actions(actor, product)
            if action in _MOVES_WITH_PAGE
        ],
        "can_edit": policies.can_edit_product(actor, product),
        "can_upload": policies.can_upload_document(actor, product),
        "can_review": can_review,
        "can_waive": policies.can_waive_stage(actor, product),
        "can_classify": policies.can_classify_product(actor, product),
        "can_decide": policies.can_decide_eligibility(actor, product),
        "check_form": check_form,
        "answer": answer,
        "history": history_rows(audit_history_for(product)),
    }
    return render(request, "products/product_detail.html", context)


@login_required
@require_GET
def document_download(request: HttpRequest, version_id: Any) -> FileResponse:
    """Stream a stored document version to someone who may see its product; never from a public URL."""
    version = _version_or_404(_actor(request), version_id)
    return stored_download(version.storage_name, filename=version.original_filename, content_type=version.content_type)


# Registration and documents ------------------------------------------------------------------------------------


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _require(policies.can_create_product(actor, actor.organisation))
    form = forms.ProductForm(_posted(request), initial={"condition": "new", "marking": "unclassified"})

    def create(data: dict[str, Any]) -> Product:
        return services.product_create(
            actor=actor,
            manufacturer=actor.organisation,
            fields=form.product_fields(),
            characteristics=data["characteristics"],
            aliases=forms.split_list(data["aliases"]),
            former_designations=forms.split_list(data["former_designations"]),
        )

    return form_page(
        request,
        form,
        create,
        message=lambda product: f"{product.designation} is registered as a draft.",
        then=_product_page,
        template="products/product_form.html",
        context={"product": None},
    )


@login_required
def product_edit(request: HttpRequest, product_id: Any) -> HttpResponse:
    actor = _actor(request)
    product = _product_or_404(actor, product_id)
    _require(policies.can_edit_product(actor, product))
    initial: dict[str, Any] = {name: getattr(product, name) for name in services.PRODUCT_FIELDS}
    if product.domestic_unit_price is not None:
        initial["domestic_unit_price"] = format(product.domestic_unit_price, "f")
    initial["aliases"] = ", ".join(a.name for a in product.aliases.all() if a.kind == AliasKind.ALIAS)
    initial["characteristics"] = forms.characteristics_text(product)
    form = forms.ProductForm(_posted(request), initial=initial, editing=True)

    def update(data: dict[str, Any]) -> Product:
        return services.product_update(
            actor=actor,
            product=product,
            fields=form.product_fields(),
            characteristics=data["characteristics"],
            aliases=forms.split_list(data["aliases"]),
        )

    return form_page(
        request,
        form,
        update,
        message="The product's particulars are saved.",
        then=_product_page(product),
        template="products/product_form.html",
        context={"product": product},
    )


@login_required
def document_upload(request: HttpRequest, product_id: Any) -> HttpResponse:
    actor = _actor(request)
    product = _product_or_404(actor, product_id)
    _require(policies.can_upload_document(actor, product))
    initial = {key: request.GET[key] for key in ("stage", "title") if request.GET.get(key)}
    return form_page(
        request,
        forms.DocumentUploadForm(_posted(request), uploads(request), initial=initial),
        lambda data: services.document_upload(actor=actor, product=product, filename=data["file"].name, **data),
        message=lambda version: f"{version.document.title} version {version.version} is uploaded.",
        then=_product_page(product),
        template="products/document_upload.html",
        context={"product": product},
    )


def _import_columns() -> list[dict[str, str]]:
    """The column table from the importer's docstring, so the page and the importer cannot drift apart."""
    columns = []
    for line in (importer.__doc__ or "").splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [cell.strip() for cell in line[1:-1].split("|", 2)]  # a meaning may itself hold a `|`
        if len(cells) != 3 or cells[0] in ("column", "---"):
            continue
        columns.append({"name": cells[0], "required": cells[1], "meaning": cells[2].replace("`", "")})
    return columns


@login_required
def product_import(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _require(policies.can_create_product(actor, actor.organisation))
    form = forms.ImportForm(_posted(request), uploads(request))
    context = {"result": None, "columns": _import_columns()}

    def report(result: importer.ImportResult) -> Any:
        # A clean import goes to the list; one with errors stays here and lists them row by row.
        if result.written and not result.errors:
            return "products:list"
        return render(request, "products/product_import.html", {**context, "form": form, "result": result})

    return form_page(
        request,
        form,
        lambda data: importer.import_products(
            data["file"], manufacturer=actor.organisation, actor=actor, partial=data["partial"]
        ),
        message=lambda result: (
            f"{len(result.created)} product(s) registered as drafts." if result.written and not result.errors else None
        ),
        then=report,
        template="products/product_import.html",
        context=context,
    )


# Workflow and review --------------------------------------------------------------------------------------------


@login_required
def product_move(request: HttpRequest, product_id: Any, action: str) -> HttpResponse:
    """One workflow move (submit, start review, return for changes, reopen) through services.product_transition."""
    actor = _actor(request)
    product = _product_or_404(actor, product_id)
    if action not in _MOVES_WITH_PAGE:
        raise Http404("action")
    move = ProductAction(action)
    _require(policies.can_transition_product(actor, product, move))
    form = forms.TransitionForm(_posted(request))
    if move == ProductAction.RETURN:
        form.fields["comment"].help_text = "Required: say what the manufacturer must change."
    heading, intro = _MOVE_TEXT[move]
    return form_page(
        request,
        form,
        lambda data: services.product_transition(actor=actor, product=product, action=move, comment=data["comment"]),
        message=lambda moved: f"{moved.designation} is now {moved.get_status_display().lower()}.",
        then=_product_page,
        template="products/product_move.html",
        context={"product": product, "heading": heading, "intro": intro, "action": move},
    )


@login_required
def document_review(request: HttpRequest, version_id: Any) -> HttpResponse:
    actor = _actor(request)
    version = _version_or_404(actor, version_id)
    product = version.document.product
    _require(policies.can_review_document(actor, product))
    decision = "return" if request.GET.get("decision") == "return" else "accept"
    form = forms.DocumentReviewForm(_posted(request), initial={"decision": decision})
    return form_page(
        request,
        form,
        lambda data: services.document_review(
            actor=actor, version=version, accept=data["decision"] == "accept", comment=data["comment"]
        ),
        message=lambda reviewed: (
            f"{version.document.title} version {version.version} is "
            + ("accepted" if form.cleaned_data["decision"] == "accept" else "returned")
            + "."
        ),
        then=_product_page(product),
        template="products/document_review.html",
        context={"product": product, "version": version},
    )


@login_required
def stage_waive(request: HttpRequest, product_id: Any) -> HttpResponse:
    actor = _actor(request)
    product = _product_or_404(actor, product_id)
    _require(policies.can_waive_stage(actor, product))
    return form_page(
        request,
        forms.WaiverForm(_posted(request), initial={"stage": request.GET.get("stage", "")}),
        lambda data: services.stage_waive(actor=actor, product=product, **data),
        message="The stage is waived.",
        then=_product_page(product),
        template="products/stage_waive.html",
        context={"product": product},
    )


@login_required
def product_classify(request: HttpRequest, product_id: Any) -> HttpResponse:
    actor = _actor(request)
    product = _product_or_404(actor, product_id)
    _require(policies.can_classify_product(actor, product))
    current = selectors.current_classification(product)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "control_codes": ", ".join(entry.code for entry in current.entries.all()),
            "not_controlled": current.not_controlled,
            "att_category": current.att_category,
            "unroca_category": current.unroca_category,
        }
    form = forms.ClassificationForm(_posted(request), initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.product_classify(actor=actor, product=product, **form.service_arguments()),
        message=f"{product.designation} is classified.",
        then=_product_page(product),
        template="products/product_classify.html",
        context={"product": product, "current": current},
        field_map=forms.CLASSIFY_FIELD_MAP,
    )


@login_required
def eligibility_decide(request: HttpRequest, product_id: Any) -> HttpResponse:
    """Record the export-eligibility decision; this also moves the product to decided (services finalise it)."""
    actor = _actor(request)
    product = _product_or_404(actor, product_id)
    _require(policies.can_decide_eligibility(actor, product))
    groups = refdata_selectors.destination_group_list(actor=actor)
    form = forms.EligibilityForm(_posted(request), groups=groups)
    return form_page(
        request,
        form,
        lambda data: services.eligibility_decide(
            actor=actor, product=product, finalise=True, **form.service_arguments()
        ),
        message=f"The export-eligibility decision on {product.designation} is recorded.",
        then=_product_page(product),
        template="products/eligibility_decide.html",
        context={"product": product, "documentation": selectors.documentation_status(product)},
    )
