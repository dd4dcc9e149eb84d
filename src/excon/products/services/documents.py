"""Technical documentation: uploads (new versions, never overwrites), expert review, stage waivers."""

from __future__ import annotations

from dataclasses import asdict
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.files import store_upload

from .. import policies
from ..enums import (
    DocumentReviewStatus,
    LifecycleStage,
    ProductStatus,
)
from ..models import (
    DocumentVersion,
    Product,
    StageWaiver,
    TechnicalDocument,
)

if TYPE_CHECKING:
    from excon.accounts.models import User


from ..enums import AuditVerb
from .validation import (
    clean_choice,
    clean_text,
)

# Documents --------------------------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *,
    actor: User,
    product: Product,
    stage: str,
    title: str,
    file: IO[bytes] | Any,
    filename: str,
) -> DocumentVersion:
    """Add a document, or a new version of the document with this stage and title. Old versions stay."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not policies.can_upload_document(actor, product):
        raise PermissionDenied("only the manufacturer's staff upload its technical documentation")
    stage = clean_choice(stage, LifecycleStage, "stage", "document.invalid_stage")
    title = clean_text(title)
    if not title:
        raise ValidationError("a document needs a title", code="document.title_required", details={"field": "title"})
    stored = store_upload(file, original_filename=filename, folder=f"products/{product.pk}")
    document, _ = TechnicalDocument.objects.get_or_create(product=product, stage=stage, title=title)
    latest = document.versions.aggregate(latest=Max("version"))["latest"] or 0
    version = DocumentVersion.objects.create(
        document=document,
        version=latest + 1,
        uploaded_by=actor,
        **asdict(stored),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.DOCUMENT_UPLOADED,
        target=product,
        payload={
            "document": str(document.pk),
            "stage": stage,
            "title": title,
            "version": version.version,
            **stored.audit_fields(),
            "content_type": stored.content_type,
        },
    )
    if product.status == ProductStatus.DECIDED and not product.needs_review:
        product.needs_review = True
        product.save(update_fields=["needs_review", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PRODUCT_FLAGGED_FOR_REVIEW,
            target=product,
            payload={"reason": f"documentation changed after the decision: {title} v{version.version}"},
        )
    return version


@transaction.atomic
def document_review(*, actor: User, version: DocumentVersion, accept: bool, comment: str = "") -> DocumentVersion:
    version = DocumentVersion.objects.select_for_update().select_related("document__product").get(pk=version.pk)
    product = version.document.product
    if not policies.can_review_document(actor, product):
        raise PermissionDenied("only the reviewing technical expert accepts or returns documents")
    comment = clean_text(comment)
    if not accept and not comment:
        raise ValidationError(
            "say why the document is returned", code="document.comment_required", details={"field": "comment"}
        )
    if version.review_status != DocumentReviewStatus.PENDING:
        raise Conflict(
            f"version {version.version} was already {version.get_review_status_display().lower()}",
            code="document.already_reviewed",
        )
    newest = version.document.versions.aggregate(latest=Max("version"))["latest"]
    if version.version != newest:
        raise Conflict("only the newest version is reviewed", code="document.not_latest_version")
    version.review_status = DocumentReviewStatus.ACCEPTED if accept else DocumentReviewStatus.RETURNED
    version.review_comment = comment
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.DOCUMENT_ACCEPTED if accept else AuditVerb.DOCUMENT_RETURNED,
        target=product,
        payload={
            "document": str(version.document_id),
            "title": version.document.title,
            "version": version.version,
            "comment": comment,
        },
    )
    return version


@transaction.atomic
def stage_waive(*, actor: User, product: Product, stage: str, reason: str) -> StageWaiver:
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not policies.can_waive_stage(actor, product):
        raise PermissionDenied("only the reviewing technical expert waives a lifecycle stage")
    stage = clean_choice(stage, LifecycleStage, "stage", "document.invalid_stage")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("a waiver needs its reason", code="waiver.reason_required", details={"field": "reason"})
    if StageWaiver.objects.filter(product=product, stage=stage).exists():
        raise Conflict("this stage is already waived", code="waiver.exists")
    waiver = StageWaiver.objects.create(product=product, stage=stage, reason=reason, waived_by=actor)
    audit_record(
        actor=actor, verb=AuditVerb.PRODUCT_STAGE_WAIVED, target=product, payload={"stage": stage, "reason": reason}
    )
    return waiver
