"""Pages for domestic supply: capacity declarations (manufacturers), corrections, requirements, priorities,
surplus rules and surplus equipment (ministry and authority), a product's surplus and the category dashboard with
its CSV/XLSX downloads. Pages hold no rules: reads through the selectors, writes through the services, and a
service's DomainError is shown on the form with nothing stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from excon.accounts.models import User
from excon.accounts.selectors import organisation_list
from excon.core.errors import DomainError, NotFound
from excon.core.errors import PermissionDenied as DomainPermissionDenied
from excon.core.pages import actor_of as _actor
from excon.core.pages import form_page, shown_or_404
from excon.core.pages import posted as _posted
from excon.core.roles import OrganisationKind
from excon.products.selectors import product_list

from . import exports, forms, policies, selectors, services
from .checks import assess


def _get(fetch: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return fetch(**kwargs)
    except (NotFound, DomainPermissionDenied) as exc:
        raise Http404("not found") from exc


def _form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    button: str,
    then: str,
    message: str,
) -> HttpResponse:
    """Every supply form page: the shared template, a back link to the list it came from and the list after."""
    return form_page(
        request,
        form,
        save,
        message=message,
        then=then,
        template="supply/form_page.html",
        context={"title": title, "back": then, "button": button},
        field_map=forms.FIELD_MAP,
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.is_exporter(actor) or policies.can_view_declarations_of_all(actor))
    context = {
        "exporter": policies.is_exporter(actor),
        "requirements": policies.can_read_requirements(actor),
        "rules": policies.can_view_rules(actor),
        "equipment": policies.can_view_equipment(actor),
        "dashboard": policies.can_view_dashboard(actor),
        "period": selectors.current_period(),
    }
    return render(request, "supply/index.html", context)


# Capacity declarations ----------------------------------------------------------------------------------------


def _own_products(actor: User) -> Any:
    return product_list(actor=actor).filter(manufacturer_id=actor.organisation_id)


@login_required
@require_GET
def declaration_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.is_exporter(actor) or policies.can_view_declarations_of_all(actor))
    history = request.GET.get("history") == "1"
    declarations = selectors.declaration_list(
        actor=actor, product_id=request.GET.get("product") or None, include_superseded=history
    )
    context = {
        "declarations": declarations[:500],
        "history": history,
        "can_declare": policies.is_exporter(actor),
        "can_correct": policies.can_correct_declaration(actor),
    }
    return render(request, "supply/declaration_list.html", context)


@login_required
def declaration_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.is_exporter(actor))
    period = selectors.current_period()
    form = forms.DeclarationForm(
        _posted(request), products=_own_products(actor), initial={"year": period.year, "quarter": period.quarter}
    )

    def call(data: dict[str, Any]) -> Any:
        return services.capacity_declare(
            actor=actor,
            product_id=data["product"],
            year=data["year"],
            quarter=data["quarter"],
            capacity=data["capacity"],
            stock=data["stock"],
        )

    return _form_page(
        request,
        form,
        call,
        title="Declare capacity and stock",
        button="Declare",
        then="supply:declarations",
        message="Declaration recorded",
    )


@login_required
def declaration_correct(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_correct_declaration(actor))
    declaration = _get(selectors.declaration_get, actor=actor, declaration_id=declaration_id)
    form = forms.CorrectionForm(
        _posted(request), initial={"capacity": declaration.capacity, "stock": declaration.stock}
    )

    def call(data: dict[str, Any]) -> Any:
        return services.capacity_correct(
            actor=actor, declaration=declaration, capacity=data["capacity"], stock=data["stock"], reason=data["reason"]
        )

    title = (
        f"Correct {declaration.product.designation}, {declaration.year}-Q{declaration.quarter} v{declaration.version}"
    )
    return _form_page(
        request,
        form,
        call,
        title=title,
        button="Record the correction",
        then="supply:declarations",
        message="Correction recorded",
    )


# Requirements -------------------------------------------------------------------------------------------------


@login_required
def requirement_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_read_requirements(actor))
    requirements = selectors.requirement_list(actor=actor, include_withdrawn=request.GET.get("withdrawn") == "1")
    context = {"requirements": requirements[:500], "can_manage": policies.can_manage_requirements(actor)}
    return render(request, "supply/requirement_list.html", context)


@login_required
def price_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_read_domestic_prices(actor))
    prices = selectors.domestic_price_list(actor=actor)
    context = {"prices": prices[:500], "can_record": policies.can_record_domestic_prices(actor)}
    return render(request, "supply/price_list.html", context)


@login_required
def price_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_record_domestic_prices(actor))
    form = forms.DomesticPriceForm(
        _posted(request), products=product_list(actor=actor), initial={"year": selectors.current_period().year}
    )

    def call(data: dict[str, Any]) -> Any:
        return services.domestic_price_record(
            actor=actor,
            product_id=data["product"],
            contract_reference=data["contract_reference"],
            year=data["year"],
            unit_price=data["unit_price"],
            currency=data["currency"],
            marking=data["marking"],
        )

    return _form_page(
        request,
        form,
        call,
        title="Record a domestic procurement price",
        button="Record",
        then="supply:prices",
        message="Domestic price recorded",
    )


@login_required
def requirement_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_manage_requirements(actor))
    period = selectors.current_period()
    form = forms.RequirementForm(
        _posted(request), products=product_list(actor=actor), initial={"year": period.year, "quarter": period.quarter}
    )

    def call(data: dict[str, Any]) -> Any:
        return services.requirement_record(
            actor=actor,
            product_id=data["product"],
            control_code=data["control_code"],
            year=data["year"],
            quarter=data["quarter"],
            quantity=data["quantity"],
            kind=data["kind"],
            priority=data["priority"],
            reference=data["reference"],
            marking=data["marking"],
        )

    return _form_page(
        request,
        form,
        call,
        title="Record a requirement of the armed forces",
        button="Record",
        then="supply:requirements",
        message="Requirement recorded",
    )


@login_required
def requirement_withdraw(request: HttpRequest, requirement_id: Any) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_manage_requirements(actor))
    requirement = _get(selectors.requirement_get, actor=actor, requirement_id=requirement_id)
    form = forms.ReasonForm(_posted(request))

    def call(data: dict[str, Any]) -> Any:
        return services.requirement_withdraw(actor=actor, requirement=requirement, reason=data["reason"])

    return _form_page(
        request,
        form,
        call,
        title=f"Withdraw {requirement.reference}",
        button="Withdraw",
        then="supply:requirements",
        message="Requirement withdrawn",
    )


# Domestic priorities ------------------------------------------------------------------------------------------


@login_required
@require_GET
def priority_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_view_priorities(actor))
    context = {
        "priorities": selectors.priority_list(actor=actor),
        "can_manage": policies.can_manage_priorities(actor),
        "can_suspend": policies.can_suspend_for_priority(actor),
    }
    return render(request, "supply/priority_list.html", context)


@login_required
def priority_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_manage_priorities(actor))
    form = forms.PriorityForm(_posted(request), products=product_list(actor=actor))

    def call(data: dict[str, Any]) -> Any:
        return services.priority_place(
            actor=actor,
            product_id=data["product"],
            control_code=data["control_code"],
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
        )

    return _form_page(
        request,
        form,
        call,
        title="Place on domestic priority",
        button="Place",
        then="supply:priorities",
        message="Domestic priority placed",
    )


@login_required
def priority_lift(request: HttpRequest, priority_id: Any) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_manage_priorities(actor))
    priority = _get(selectors.priority_get, actor=actor, priority_id=priority_id)
    form = forms.ReasonForm(_posted(request))

    def call(data: dict[str, Any]) -> Any:
        return services.priority_lift(actor=actor, priority=priority, reason=data["reason"])

    return _form_page(
        request,
        form,
        call,
        title=f"Lift the priority on {priority.subject}",
        button="Lift",
        then="supply:priorities",
        message="Domestic priority lifted",
    )


# Surplus rules and equipment ----------------------------------------------------------------------------------


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_view_rules(actor))
    can_manage = policies.can_manage_rules(actor)
    form = forms.RuleForm(_posted(request)) if can_manage else None
    if request.method == "POST" and not can_manage:
        raise Http404("rules")

    def call(data: dict[str, Any]) -> Any:
        return services.rule_set(actor=actor, prefix=data["entry_prefix"], mode=data["mode"], note=data["note"])

    context = {"rules": selectors.rule_list(actor=actor), "form": form}
    if form is None:
        return render(request, "supply/rule_list.html", context)
    return form_page(
        request,
        form,
        call,
        message="Rule saved",
        then="supply:rules",
        template="supply/rule_list.html",
        context=context,
        field_map=forms.FIELD_MAP,
    )


@login_required
@require_GET
def equipment_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_view_equipment(actor) or policies.is_exporter(actor))
    context = {"items": selectors.equipment_list(actor=actor), "can_list": policies.can_list_equipment(actor)}
    return render(request, "supply/equipment_list.html", context)


@login_required
def equipment_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_list_equipment(actor))
    traders = organisation_list(actor=actor, kind=OrganisationKind.EXPORTER)
    form = forms.EquipmentForm(_posted(request), traders=traders)

    def call(data: dict[str, Any]) -> Any:
        return services.equipment_list_item(actor=actor, **data)

    return _form_page(
        request,
        form,
        call,
        title="List surplus equipment",
        button="List",
        then="supply:equipment",
        message="Equipment listed; its registry product awaits classification",
    )


# Surplus on a product and the dashboard -----------------------------------------------------------------------


@login_required
@require_GET
def product_surplus(request: HttpRequest, product_id: Any) -> HttpResponse:
    actor = _actor(request)
    product = _get(selectors.supply_product_get, actor=actor, product_id=product_id)
    breakdowns = selectors.product_surplus(actor=actor, product=product, periods=selectors.upcoming_periods(4))
    return render(request, "supply/product_surplus.html", {"product": product, "breakdowns": breakdowns})


def _dashboard_data(request: HttpRequest) -> tuple[forms.DashboardForm, Any]:
    actor = _actor(request)
    shown_or_404(policies.can_view_dashboard(actor))
    today = dt.date.today()
    # Missing parameters take their defaults (ML6, this year), so a link with only a category works.
    form = forms.DashboardForm({"category": "ML6", "year": today.year, **request.GET.dict()})
    if not form.is_valid():
        return form, None
    try:
        data = selectors.dashboard(actor=actor, category=form.cleaned_data["category"], year=form.cleaned_data["year"])
    except DomainError as exc:
        form.add_domain_error(exc, {"control_entry": "category"})
        return form, None
    return form, data


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, data = _dashboard_data(request)
    chart = None
    if data is not None:
        chart = {
            "labels": [row.period for row in data.totals],
            "series": [
                {"label": "Capacity + stock", "data": [row.capacity + row.stock for row in data.totals]},
                {"label": "Domestic requirements", "data": [row.domestic_requirement for row in data.totals]},
                {"label": "Licensed, not shipped", "data": [row.licensed_outstanding for row in data.totals]},
                {"label": "Shipped", "data": [row.shipped for row in data.totals]},
                {"label": "Exportable surplus", "data": [row.surplus for row in data.totals]},
            ],
        }
    query = request.GET.urlencode() or (f"category={data.category}&year={data.year}" if data else "")
    return render(request, "supply/dashboard.html", {"form": form, "data": data, "chart": chart, "query": query})


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    _form, data = _dashboard_data(request)
    if data is None:
        raise Http404("dashboard")
    response = HttpResponse(exports.dashboard_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supply-{data.category}-{data.year}.csv"'
    return response


@login_required
@require_GET
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    _form, data = _dashboard_data(request)
    if data is None:
        raise Http404("dashboard")
    response = HttpResponse(
        exports.dashboard_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="supply-{data.category}-{data.year}.xlsx"'
    return response


def application_supply_context(application: Any) -> dict[str, Any]:
    """For the application's case page include (supply/_application_supply.html): the check's figures now."""
    outcome, summary, details = assess(application)
    return {"supply_outcome": outcome, "supply_summary": summary, "supply_details": details}


@login_required
def equipment_adjust(request: HttpRequest, equipment_id: Any) -> HttpResponse:
    """The ministry corrects how much of a listing is still available (sold, written off, or returned to service)."""
    actor = _actor(request)
    shown_or_404(policies.can_list_equipment(actor))
    equipment = _get(selectors.equipment_get, actor=actor, equipment_id=equipment_id)
    form = forms.AvailabilityForm(_posted(request), initial={"quantity_available": equipment.quantity_available})

    def call(data: dict[str, Any]) -> Any:
        return services.equipment_adjust(
            actor=actor, equipment=equipment, quantity_available=data["quantity_available"], reason=data["reason"]
        )

    return _form_page(
        request,
        form,
        call,
        title=f"Availability of {equipment.reference} ({equipment.item})",
        button="Save",
        then="supply:equipment",
        message="Availability changed",
    )
