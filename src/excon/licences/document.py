"""The licence document: a PDF with the licence's data, conditions, and a QR code carrying the verification URL
with the Ed25519 signature, so a foreign customs officer can check it without an account."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from excon.core.addresses import public_base_url

from . import types
from .models import Licence


def verification_url(licence: Licence) -> str:
    query = urlencode(
        {"v": licence.version, "k": licence.signing_key.key_id if licence.signing_key else "", "s": licence.signature}
    )
    return f"{public_base_url()}/verify/{licence.number}/?{query}"


def _qr_image(url: str) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=38 * mm, height=38 * mm)


def licence_pdf(licence: Licence, *, compress: bool = True) -> bytes:
    """The signed document; `compress=False` leaves the page streams readable (for tests)."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{types.title_of(licence)} {licence.number}",
        author=settings.EXCON_AUTHORITY_NAME,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        pageCompression=1 if compress else 0,
    )
    url = verification_url(licence)
    key_id = licence.signing_key.key_id if licence.signing_key else "—"
    heading = [
        Paragraph(settings.EXCON_AUTHORITY_NAME, styles["Heading3"]),
        Paragraph(f"{types.title_of(licence)} {licence.number}", styles["Title"]),
        Paragraph(f"Version {licence.version} · {licence.get_effective_status_display()}", styles["Normal"]),
    ]
    header = Table([[heading, _qr_image(url)]], colWidths=[130 * mm, 44 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    particulars: list[list[Any]] = [
        ["Licence type", licence.get_licence_type_display()],
        ["Holder", f"{licence.holder.name} ({licence.holder.registration_number})"],
        ["Destination", f"{licence.destination.name} ({licence.destination.iso2})"],
        ["End user", licence.end_user],
        ["Consignees", "; ".join(f"{c['name']} ({c['country']})" for c in licence.consignees) or "—"],
        ["Issued", licence.issued_on.isoformat()],
        [
            "Valid",
            f"{licence.valid_from.isoformat()} to {licence.valid_until.isoformat() if licence.valid_until else '—'}",
        ],
        ["Application", licence.application.reference if licence.application else "—"],
        *[[label, Paragraph(value, styles["BodyText"])] for label, value in types.terms_rows(licence)],
    ]
    table = Table(particulars, colWidths=[35 * mm, 139 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    goods: list[list[Any]] = [["Line", "Goods", "Control entry", "Quantity", "Value"]]
    for line in licence.lines.select_related("control_entry").order_by("line_number"):
        goods.append(
            [
                str(line.line_number),
                Paragraph(line.description, styles["BodyText"]),
                line.control_entry.code if line.control_entry else "",
                ("" if line.quantity is None else f"{line.quantity:,}") + ("" if line.capped else " (no cap)"),
                f"{line.value:,.2f} {line.currency}" + ("" if line.capped else " (estimate)"),
            ]
        )
    goods_table = Table(goods, colWidths=[12 * mm, 82 * mm, 26 * mm, 20 * mm, 34 * mm], repeatRows=1)
    goods_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    story = [
        header,
        Spacer(1, 4 * mm),
        Paragraph(f"<b>What this licence allows.</b> {types.allows_of(licence)}", styles["BodyText"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph("Goods", styles["Heading2"]),
        goods_table,
        Spacer(1, 6 * mm),
        Paragraph("Conditions and provisos", styles["Heading2"]),
        *[Paragraph(text, styles["BodyText"]) for text in (licence.conditions or "None.").splitlines() if text],
        Spacer(1, 8 * mm),
        Paragraph(
            "Verify this document: scan the QR code or open the address below. The signature covers the whole "
            f"document, every particular and goods line on it (key {key_id}).",
            styles["Italic"],
        ),
        Paragraph(url.replace("&", "&amp;"), styles["Code"]),
    ]
    document.build(story)
    return buffer.getvalue()
