"""The minutes of a commission meeting as a PDF (ReportLab): who sat and who was present, the quorum, and for each
case on the agenda its goods, the consolidated advice, the votes, the decision and its countersignature."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .enums import EU_CRITERIA, ConsolidatedAdvice, DecisionStatus, Vote
from .models import CommissionMeeting
from .services.commission import quorum_problems, vote_tally
from .services.review import consolidated_advice


def _person(user: Any) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.username


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d %B %Y %H:%M") if value else "–"


def meeting_minutes_pdf(meeting: CommissionMeeting, *, invariant: bool = False, compress: bool = True) -> bytes:
    """The minutes as PDF bytes. `invariant` gives byte-identical output for the same data (fixed document
    metadata); `compress=False` leaves the page streams readable (for tests)."""
    styles = getSampleStyleSheet()
    body, heading, small = styles["BodyText"], styles["Heading2"], styles["Heading4"]

    def para(text: str, style: Any = body) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list[Any] = [
        para(f"Minutes of the interdepartmental commission: {meeting.reference}", styles["Title"]),
        para(f"Meeting of {_when(meeting.scheduled_for)}; status: {meeting.get_status_display()}."),
        para(f"Chair: {_person(meeting.chair)}."),
    ]
    if meeting.closed_at:
        story.append(para(f"Closed at {_when(meeting.closed_at)}."))
    members = list(meeting.members.select_related("user__organisation").order_by("user__last_name", "user__username"))
    present = [m for m in members if m.present]
    absent = [m for m in members if not m.present]
    story.append(para("Members", heading))
    story.append(
        para("Present: " + ("; ".join(f"{_person(m.user)} ({m.user.organisation.name})" for m in present) or "none"))
    )
    story.append(
        para("Absent: " + ("; ".join(f"{_person(m.user)} ({m.user.organisation.name})" for m in absent) or "none"))
    )
    problems = quorum_problems(meeting)
    quorum = (
        f"Quorum: met ({len(present)} present, at least {meeting.quorum_minimum} required)."
        if not problems
        else "Quorum: not met – " + "; ".join(problems) + "."
    )
    story.append(para(quorum))
    story.append(para("Agenda", heading))
    items = list(meeting.agenda.select_related("application__destination", "application__applicant"))
    if not items:
        story.append(para("No case was on the agenda."))
    for item in items:
        application = item.application
        destination = application.destination.name if application.destination else "–"
        story.append(para(f"Item {item.position}: {application.reference} – {destination}", small))
        story.append(para(f"Applicant: {application.applicant.name}."))
        goods = [
            f"line {line.line_number}: {line.quantity} × "
            f"{line.product.designation if line.product else line.description} "
            f"({line.unit_value} {line.currency} each)"
            for line in application.goods_lines.select_related("product")
        ]
        story.append(para("Goods: " + ("; ".join(goods) or "none") + "."))
        advice = consolidated_advice(application)
        story.append(para(f"Consolidated advice of the departments: {ConsolidatedAdvice(advice).label}."))
        if application.advice_resolution:
            story.append(para(f"Resolution of conflicting advice: {application.advice_resolution}"))
        tally = vote_tally(item)
        table = Table(
            [[Vote(key).label for key in tally], [str(value) for value in tally.values()]],
            hAlign="LEFT",
            colWidths=[30 * mm] * len(tally),
        )
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
        story.append(para("Votes:"))
        story.append(table)
        decisions = list(
            application.decisions.filter(agenda_item=item).select_related("recorded_by", "countersigned_by")
        )
        if not decisions:
            story.append(para("Decision: none recorded."))
        for decision in decisions:
            story.append(para(f"Decision: {decision.get_outcome_display()} ({decision.get_status_display()})."))
            if decision.conditions:
                story.append(para(f"Conditions: {decision.conditions}"))
            for number in decision.refusal_criteria:
                story.append(para(f"Criterion {number}: {EU_CRITERIA.get(int(number), '')}"))
            if decision.approved_lines:
                story.append(para("Approved lines: " + ", ".join(str(n) for n in decision.approved_lines) + "."))
            if decision.reasons:
                story.append(para(f"Reasons: {decision.reasons}"))
            story.append(para(f"Recorded by {_person(decision.recorded_by)}."))
            if decision.status == DecisionStatus.FINAL and decision.countersigned_by_id:
                story.append(
                    para(
                        f"Countersigned by {_person(decision.countersigned_by)} on {_when(decision.countersigned_at)}."
                    )
                )
            elif decision.status == DecisionStatus.AWAITING_COUNTERSIGNATURE:
                story.append(para("Awaiting a senior officer's countersignature."))
        story.append(Spacer(1, 4 * mm))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Minutes {meeting.reference}",
        author="ExCon",
        invariant=1 if invariant else 0,
        pageCompression=1 if compress else 0,
    )
    document.build(story)
    return buffer.getvalue()
