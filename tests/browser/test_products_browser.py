"""End to end in a real browser: a technical expert takes a submitted product, documented for every lifecycle
stage, from the review queue to an export-eligibility decision."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD, user_with_role
from excon.audit.models import AuditEntry
from excon.core.markings import ProtectiveMarking
from excon.core.roles import Role
from excon.products import services
from excon.products.enums import LifecycleStage, ProductAction, ProductStatus
from excon.products.models import Product
from excon.products.tests.factories import ProductFactory, control_entry, destination_group, pdf_bytes
from tests.browser.support import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_technical_expert_decides_a_submitted_product(page: Any, results_dir: Path) -> None:
    exporter = user_with_role(Role.EXPORTER_USER)
    expert = user_with_role(Role.TECHNICAL_EXPERT, clearance=ProtectiveMarking.SECRET, first_name="Olena")
    product = ProductFactory(manufacturer=exporter.organisation, designation="BTR-4E", name="Armoured carrier")
    for stage in LifecycleStage.values:
        services.document_upload(
            actor=exporter,
            product=product,
            stage=stage,
            title=f"{stage} documentation",
            file=io.BytesIO(pdf_bytes(stage)),
            filename=f"{stage}.pdf",
        )
    services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    control_entry("ML6.a")
    destination_group("nato", ["PL", "DE"])

    sign_in(page, expert.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Product review")).to_be_visible()

    # The review queue lists the product; open it and start the review.
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    page.get_by_role("link", name="BTR-4E").click()
    expect(page.locator("#product-status")).to_contain_text("Submitted")
    page.get_by_role("button", name="Start review").click()
    expect(page.locator("#product-status")).to_contain_text("Under expert review")

    # Accept the newest version of every document.
    accept = page.get_by_role("button", name=re.compile(r"^Accept"))
    expect(accept).to_have_count(4)
    for remaining in (3, 2, 1, 0):
        accept.first.click()
        expect(accept).to_have_count(remaining)
    expect(page.locator("#documentation-status")).to_contain_text("Complete")

    # Classify.
    page.locator(".excon-actions").get_by_role("link", name="Classify").click()
    page.get_by_label("Control-list entries").fill("ML6.a")
    page.get_by_label("Arms Trade Treaty category").select_option("b")
    page.get_by_label("UN Register category").select_option("II")
    page.get_by_label("Rationale").fill("Wheeled armoured personnel carrier with a 30 mm cannon.")
    page.get_by_role("button", name="Classify").click()
    expect(page.locator("#classification").locator("xpath=following-sibling::dl[1]")).to_contain_text("ML6.a")

    # Decide eligibility: this completes the review.
    page.get_by_role("link", name="Decide eligibility").click()
    page.get_by_label("Eligible", exact=True).check()
    page.get_by_label("NATO (nato)").check()
    page.get_by_role("textbox", name=re.compile(r"^Conditions")).fill("End-user certificate required")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#product-status")).to_contain_text("Decided")
    expect(page.locator(".excon-history")).to_contain_text("Decided the product's review")
    page.screenshot(path=str(results_dir / "products-decided.png"), full_page=True)

    product.refresh_from_db()
    assert product.status == ProductStatus.DECIDED
    verbs = set(AuditEntry.objects.filter(target_id=str(product.pk), actor=expert).values_list("verb", flat=True))
    assert {
        "product.start_review",
        "document.accepted",
        "product.classified",
        "product.eligibility_decided",
        "product.decide",
    } <= verbs
    assert Product.objects.get(pk=product.pk).eligibility_decisions.get().allowed_groups.get().code == "nato"
