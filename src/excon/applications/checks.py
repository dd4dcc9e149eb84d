"""The applications' own automatic checks run on submission. Each returns a CheckReport (pass / warning / fail) with
figures and reasons, and a stable code for every problem, so the case officer sees why and the exporter's tools can
react. They are registered in the check registry like any other app's checks (`register_builtin_checks`, called from
ApplicationsConfig.ready())."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from excon.products.selectors import current_classification, product_export_eligibility
from excon.refdata.enums import EmbargoLevel
from excon.refdata.models import Country
from excon.refdata.selectors import destination_embargo_status
from excon.screening.enums import HitStatus

from .check_registry import CheckReport, register_check
from .enums import ApplicationType, CheckName, CheckOutcome, PartyKind, PartyRole
from .licence_types import licensed_destinations, type_findings, type_missing
from .models import Application, DestinationRiskProfile, RiskLevel
from .party_screening import application_hits, screen_application

GOVERNMENT_KINDS = {PartyKind.GOVERNMENT, PartyKind.ARMED_FORCES}


def application_control_entries(application: Application) -> list[str]:
    """Control entries of the goods: the registry's current classification, or the line's own entry."""
    codes: list[str] = []
    for line in application.goods_lines.select_related("product", "control_entry"):
        if line.product is not None:
            classification = current_classification(line.product)
            if classification is not None:
                codes += [entry.code for entry in classification.entries.all()]
        elif line.control_entry is not None:
            codes.append(line.control_entry.code)
    return sorted(set(codes))


def missing_particulars(application: Application) -> list[dict[str, str]]:
    """What must be there before submission: each item with a stable code and the field."""
    missing: list[dict[str, str]] = []

    def need(condition: bool, code: str, field_name: str, message: str) -> None:
        if not condition:
            missing.append({"code": code, "field": field_name, "message": message})

    need(application.destination_id is not None, "application.destination_required", "destination", "the destination")
    need(
        bool(application.end_use_statement.strip()),
        "application.end_use_required",
        "end_use_statement",
        "the end-use statement",
    )
    lines = list(application.goods_lines.all())
    need(bool(lines), "application.goods_required", "goods_lines", "at least one goods line")
    parties = list(application.parties.all())
    need(
        any(party.role == PartyRole.END_USER for party in parties),
        "application.end_user_required",
        "parties",
        "the end user",
    )
    certificate = getattr(application, "end_user_certificate", None)
    need(certificate is not None, "application.euc_required", "end_user_certificate", "the end-user certificate")
    if certificate is not None:
        need(
            certificate.document_id is not None,
            "application.euc_file_required",
            "end_user_certificate",
            "the end-user certificate's file",
        )
    return missing + type_missing(application)


def check_completeness(application: Application) -> CheckReport:
    missing = missing_particulars(application)
    warnings = []
    if not application.contract_reference:
        warnings.append("no contract reference")
    if missing:
        return CheckReport(
            CheckName.COMPLETENESS,
            CheckOutcome.FAIL,
            "missing: " + ", ".join(item["message"] for item in missing),
            details={"missing": missing},
        )
    if warnings:
        return CheckReport(
            CheckName.COMPLETENESS, CheckOutcome.WARNING, "; ".join(warnings), details={"warnings": warnings}
        )
    return CheckReport(CheckName.COMPLETENESS, CheckOutcome.PASS, "all mandatory particulars and documents are there")


def _destination(application: Application) -> Country:
    """The checks after completeness run only when a destination is set (run_all sees to it)."""
    assert application.destination is not None
    return application.destination


def check_embargo(application: Application) -> CheckReport:
    destination = _destination(application)
    entries = application_control_entries(application)
    status = destination_embargo_status(destination, entries, on=timezone.localdate())
    details = {
        "destination": destination.iso2,
        "level": status.level,
        "control_entries": entries,
        "matched_entries": list(status.matched_entries),
        "legal_references": status.legal_references,
    }
    if status.level == EmbargoLevel.NONE:
        return CheckReport(
            CheckName.EMBARGO, CheckOutcome.PASS, f"no arms embargo on {destination.name}", details=details
        )
    end_user_kinds = {party.kind for party in application.parties.all() if party.role == PartyRole.END_USER}
    if status.government_exempt and end_user_kinds and end_user_kinds <= GOVERNMENT_KINDS:
        return CheckReport(
            CheckName.EMBARGO,
            CheckOutcome.WARNING,
            f"{destination.name} is under an embargo that exempts its government; the end user must be verified "
            f"({'; '.join(status.legal_references)})",
            details={**details, "code": "application.embargo_government_exemption"},
        )
    if status.level == EmbargoLevel.FULL:
        return CheckReport(
            CheckName.EMBARGO,
            CheckOutcome.FAIL,
            f"{destination.name} is under a full arms embargo ({'; '.join(status.legal_references)})",
            details={**details, "code": "application.embargoed_destination"},
        )
    if status.matched_entries:
        return CheckReport(
            CheckName.EMBARGO,
            CheckOutcome.FAIL,
            f"{destination.name} is under an arms embargo covering {', '.join(status.matched_entries)} "
            f"({'; '.join(status.legal_references)})",
            details={**details, "code": "application.embargoed_goods"},
        )
    return CheckReport(
        CheckName.EMBARGO,
        CheckOutcome.WARNING,
        f"{destination.name} is under a partial arms embargo that does not name these goods",
        details={**details, "code": "application.partial_embargo"},
    )


def check_eligibility(application: Application) -> CheckReport:
    destination = _destination(application).iso2
    lines = []
    worst = CheckOutcome.PASS
    for line in application.goods_lines.select_related("product"):
        if line.product is None:
            lines.append(
                {
                    "line": line.line_number,
                    "eligible": None,
                    "code": "eligibility.not_in_registry",
                    "reason": "second-hand item outside the product registry: needs a technical review",
                }
            )
            worst = CheckOutcome.FAIL if worst == CheckOutcome.FAIL else CheckOutcome.WARNING
            continue
        answer = product_export_eligibility(line.product, destination)
        lines.append(
            {
                "line": line.line_number,
                "product": line.product.designation,
                "eligible": answer.eligible,
                "code": answer.code,
                "reason": answer.reason,
                "conditions": answer.conditions,
            }
        )
        if not answer.eligible:
            worst = CheckOutcome.FAIL
        elif answer.conditions and worst == CheckOutcome.PASS:
            worst = CheckOutcome.WARNING
    failing = [item for item in lines if item["eligible"] is False]
    if failing:
        summary = "; ".join(f"line {item['line']}: {item['reason']}" for item in failing)
        return CheckReport(
            CheckName.ELIGIBILITY,
            CheckOutcome.FAIL,
            summary,
            details={"lines": lines, "code": "application.ineligible_product"},
        )
    summary = (
        "every product is eligible for this destination"
        if worst == CheckOutcome.PASS
        else "eligible, with conditions or items needing review"
    )
    return CheckReport(CheckName.ELIGIBILITY, worst, summary, details={"lines": lines})


def check_risk(application: Application) -> CheckReport:
    """ATT art. 6 prohibitions fail the case; high risk against ATT art. 7 / EU criteria 1–8 warns with the
    criteria, for the departments and the commission to weigh."""
    destination = _destination(application)
    profile = DestinationRiskProfile.objects.filter(country=destination).first()
    if profile is None:
        return CheckReport(
            CheckName.RISK,
            CheckOutcome.WARNING,
            f"no risk assessment of {destination.name} on record: the departments must assess it",
            details={"code": "application.no_risk_profile"},
        )
    levels = {criterion: profile.level(criterion) for criterion in range(1, 9)}
    details: dict[str, Any] = {
        "criteria": {str(c): level for c, level in levels.items()},
        "assessed_on": profile.assessed_on.isoformat(),
        "source": profile.source,
    }
    if profile.att_article_6_prohibition:
        return CheckReport(
            CheckName.RISK,
            CheckOutcome.FAIL,
            f"ATT art. 6: transfers to {destination.name} are prohibited on the authority's assessment",
            details={**details, "code": "application.att_article_6"},
        )
    high = [criterion for criterion, level in levels.items() if level >= RiskLevel.HIGH]
    elevated = [criterion for criterion, level in levels.items() if level == RiskLevel.ELEVATED]
    if high:
        return CheckReport(
            CheckName.RISK,
            CheckOutcome.WARNING,
            f"high risk against EU Common Position criteria {', '.join(map(str, high))}",
            details={**details, "high": high, "elevated": elevated, "code": "application.high_risk"},
        )
    if elevated:
        return CheckReport(
            CheckName.RISK,
            CheckOutcome.PASS,
            f"elevated risk against criteria {', '.join(map(str, elevated))}; none high",
            details={**details, "elevated": elevated},
        )
    return CheckReport(CheckName.RISK, CheckOutcome.PASS, "no elevated risk on record", details=details)


def total_value(application: Application) -> Decimal:
    return sum((line.total_value for line in application.goods_lines.all()), Decimal(0))


def check_screening(application: Application) -> CheckReport:
    """Every party and the exporter against the lists: a confirmed match fails the case; hits waiting for a
    compliance officer's review are a warning that blocks the decision until they are reviewed."""
    outcome = screen_application(application)
    hits = list(application_hits(application))
    confirmed = [hit for hit in hits if hit.status == HitStatus.CONFIRMED]
    open_hits = [hit for hit in hits if hit.status == HitStatus.OPEN]
    details: dict[str, Any] = {
        "screened": outcome.screened,
        "new_hits": outcome.new_hits,
        "suppressed_by_earlier_dismissals": outcome.suppressed,
        "hits": [
            {
                "hit": str(hit.pk),
                "party": hit.screened_name,
                "matched": hit.explanation.get("matched_name", ""),
                "source": hit.explanation.get("source", ""),
                "score": round(hit.score, 3),
                "status": hit.status,
            }
            for hit in hits
            if hit.status in (HitStatus.OPEN, HitStatus.CONFIRMED)
        ],
    }
    if confirmed:
        names = sorted({hit.screened_name for hit in confirmed})
        return CheckReport(
            CheckName.SCREENING,
            CheckOutcome.FAIL,
            f"confirmed match on a sanctions or denied-party list: {', '.join(names)}",
            details={**details, "code": "application.denied_party"},
        )
    if open_hits:
        return CheckReport(
            CheckName.SCREENING,
            CheckOutcome.WARNING,
            f"{len(open_hits)} possible match(es) await a compliance officer's review; they block the decision",
            details={**details, "code": "application.screening_hits_open"},
        )
    return CheckReport(
        CheckName.SCREENING, CheckOutcome.PASS, f"{outcome.screened} parties screened, no match", details=details
    )


def _embargo_finding(country: Country, entries: list[str], on: Any) -> tuple[str, str, list[str]] | None:
    """(outcome, code, legal references) when `country` is under an arms embargo that matters for these goods."""
    status = destination_embargo_status(country, entries, on=on)
    if status.level == EmbargoLevel.NONE:
        return None
    if status.level == EmbargoLevel.FULL or status.matched_entries:
        return CheckOutcome.FAIL, "application.party_country_embargoed", status.legal_references
    return CheckOutcome.WARNING, "application.party_country_partial_embargo", status.legal_references


def check_party_countries(application: Application) -> CheckReport:
    """Each party's own country, not only the destination's: a consignee or end user sitting in an embargoed
    country fails the case (the goods would pass through or end up there), and a party in a country other than
    the destination is flagged for the case officer with the reason (diversion and transit risk), naming the
    destination groups the two countries do not share. The exporter's own country is checked for embargoes only."""
    destination = _destination(application)
    licensed = {country.pk for country in licensed_destinations(application)}
    entries = application_control_entries(application)
    today = timezone.localdate()
    groups_of: dict[str, set[str]] = {}

    def groups(country: Country) -> set[str]:
        if country.iso2 not in groups_of:
            groups_of[country.iso2] = set(country.destination_groups.values_list("code", flat=True))
        return groups_of[country.iso2]

    findings: list[dict[str, Any]] = []
    worst: str = CheckOutcome.PASS
    parties = list(application.parties.select_related("country").order_by("role", "name"))
    subjects: list[tuple[str, str, Country | None]] = [
        (party.get_role_display(), party.name, party.country) for party in parties
    ]
    applicant = application.applicant
    exporter_country = Country.objects.filter(iso2=applicant.country).first() if applicant.country else None
    subjects.append(("Exporter", applicant.name, exporter_country))
    for role, name, country in subjects:
        if country is None:
            continue
        embargo = _embargo_finding(country, entries, today)
        if embargo is not None:
            outcome, code, references = embargo
            findings.append(
                {
                    "party": name,
                    "role": role,
                    "country": country.iso2,
                    "code": code,
                    "reason": f"{role} {name} is in {country.name}, under an arms embargo ({'; '.join(references)})",
                }
            )
            worst = CheckOutcome.FAIL if outcome == CheckOutcome.FAIL else _at_least_warning(worst)
            continue
        if role == "Exporter" or country.pk in licensed:
            continue
        outside = sorted(groups(destination) - groups(country))
        reason = f"{role} {name} is in {country.name}, not in the destination {destination.name}"
        if outside:
            reason += f"; {country.name} is outside the destination's groups {', '.join(outside)}"
        findings.append(
            {
                "party": name,
                "role": role,
                "country": country.iso2,
                "code": "application.party_country_differs",
                "reason": reason,
                "groups_not_shared": outside,
            }
        )
        worst = _at_least_warning(worst)
    details: dict[str, Any] = {"destination": destination.iso2, "parties": findings}
    if worst == CheckOutcome.PASS:
        return CheckReport(
            CheckName.PARTY_COUNTRIES,
            CheckOutcome.PASS,
            f"every party is in {destination.name}; no party's country is under an arms embargo",
            details=details,
        )
    codes = [finding["code"] for finding in findings]
    code = next(
        (c for c in ("application.party_country_embargoed", "application.party_country_partial_embargo") if c in codes),
        "application.party_country_differs",
    )
    return CheckReport(
        CheckName.PARTY_COUNTRIES,
        CheckOutcome(worst),
        "; ".join(finding["reason"] for finding in findings),
        details={**details, "code": code},
    )


def _at_least_warning(outcome: str) -> str:
    return CheckOutcome.FAIL if outcome == CheckOutcome.FAIL else CheckOutcome.WARNING


def check_licence_type(application: Application) -> CheckReport:
    """The type's own rules (licence_types.type_findings), and on an open licence the arms embargoes of every
    further destination (the embargo check covers the first)."""
    kind = ApplicationType(application.application_type)
    findings = [
        {"outcome": finding.outcome, "code": finding.code, "reason": finding.message}
        for finding in type_findings(application)
    ]
    if kind == ApplicationType.OPEN:
        entries = application_control_entries(application)
        for country in licensed_destinations(application)[1:]:
            embargo = _embargo_finding(country, entries, timezone.localdate())
            if embargo is not None:
                outcome, _, references = embargo
                findings.append(
                    {
                        "outcome": outcome,
                        "code": "application.embargoed_destination",
                        "reason": f"{country.name} is under an arms embargo ({'; '.join(references)})",
                    }
                )
    details: dict[str, Any] = {"type": kind.value, "findings": findings}
    outcomes = {finding["outcome"] for finding in findings}
    if not findings:
        return CheckReport(
            CheckName.LICENCE_TYPE, CheckOutcome.PASS, f"{kind.label}: its own rules are met", details=details
        )
    worst = CheckOutcome.FAIL if CheckOutcome.FAIL in outcomes else CheckOutcome.WARNING
    first = next(finding for finding in findings if finding["outcome"] == worst)
    return CheckReport(
        CheckName.LICENCE_TYPE,
        worst,
        "; ".join(finding["reason"] for finding in findings),
        details={**details, "code": first["code"]},
    )


def register_builtin_checks() -> None:
    """The applications' checks, in the order they run (other apps' checks take orders around these)."""
    register_check(
        CheckName.COMPLETENESS,
        label=CheckName.COMPLETENESS.label,
        order=10,
        function=check_completeness,
        needs_destination=False,
    )
    register_check(CheckName.EMBARGO, label=CheckName.EMBARGO.label, order=20, function=check_embargo)
    register_check(
        CheckName.PARTY_COUNTRIES, label=CheckName.PARTY_COUNTRIES.label, order=25, function=check_party_countries
    )
    register_check(CheckName.LICENCE_TYPE, label=CheckName.LICENCE_TYPE.label, order=27, function=check_licence_type)
    register_check(CheckName.ELIGIBILITY, label=CheckName.ELIGIBILITY.label, order=30, function=check_eligibility)
    register_check(CheckName.SCREENING, label=CheckName.SCREENING.label, order=40, function=check_screening)
    register_check(CheckName.RISK, label=CheckName.RISK.label, order=50, function=check_risk)
