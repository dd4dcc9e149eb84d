"""In a real browser: an analyst opens every report page from the navigation (each opens on the latest year with
data), sees the national report's chart and totals per region, the UN Register's intermediate locations and the
capacity-per-category chart, downloads each report in each format (each file recorded, signed, and its SHA-256
the one shown), publishes the year; an anonymous visitor reads the open data and verifies a downloaded file; an
exporter reaches none of it."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD, UserFactory
from excon.products.tests.factories import ProductFactory
from excon.reports.models import ReportFile
from excon.reports.tests.factories import analyst, exporter_user, licence, mapped_entries, shipment
from tests.browser.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = dt.date.today().year - 1
REPORTS = [
    ("National annual report (EU COARM layout)", f"National annual report {YEAR}"),
    ("Arms Trade Treaty annual report", f"Arms Trade Treaty annual report {YEAR}"),
    ("UN Register of Conventional Arms: exports", f"UN Register of Conventional Arms: exports {YEAR}"),
    ("Processing times", f"Processing times {YEAR}"),
    ("Revenue and prices", f"Revenue and prices {YEAR}"),
]


def _data() -> None:
    mapped_entries()
    on = dt.date(YEAR, 4, 2)
    product = ProductFactory(designation="BTR-4E")
    first = licence(
        on=on, destination="PL", lines=[{"entry": "ML6.a", "value": "2400000", "quantity": 4, "product": product}]
    )
    licence(on=on, destination="DE", lines=[{"entry": "ML1.a", "value": "85000", "quantity": 120}])
    licence(on=on, destination="DE", lines=[{"entry": "ML4.a", "value": "990000", "quantity": 6}], legacy="issued")
    licence(on=on, destination="PL", lines=[{"entry": "ML6.a", "value": "0"}], legacy="refused", criteria=[2, 7])
    shipment(first.lines.get(), on=dt.date(YEAR, 6, 1), quantity=2, value="1200000", recorded_by=UserFactory(roles=[]))


def test_analyst_opens_and_downloads_every_report(page: Any, results_dir: Path) -> None:
    _data()
    reader = analyst()
    sign_in(page, str(reader.username), TEST_PASSWORD)
    for link, heading in REPORTS:
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Reports").click()
        page.get_by_role("link", name=link).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if link.startswith("National"):
            expect(page.locator("canvas[data-chart]")).to_be_visible()
            expect(page.locator("table[data-region-totals]")).to_contain_text("Eastern Europe")
            expect(page.locator("table[data-region-totals]")).to_contain_text("Western Europe")
            expect(page.get_by_role("table").last).to_contain_text("(PL)")
            page.screenshot(path=str(results_dir / "reports-national.png"), full_page=True)
        if link.startswith("UN Register"):
            expect(page.get_by_role("columnheader", name="Intermediate locations")).to_be_visible()
        if link.startswith("Revenue"):
            expect(page.locator("canvas[data-chart=capacity-chart-data]")).to_be_visible()
            expect(page.locator("table[data-capacity-by-category]")).to_contain_text("ML6")
        for label in ("CSV", "XLSX", "PDF"):
            page.get_by_role("button", name=label, exact=True).click()
            expect(page.locator("#file-status")).to_have_attribute("data-status", "done")
            with page.expect_download() as caught:
                page.get_by_role("link", name="Download").click()
            download = caught.value
            assert download.suggested_filename.endswith("." + label.lower())
            content = Path(download.path()).read_bytes()
            recorded = ReportFile.objects.get(sha256=hashlib.sha256(content).hexdigest())
            assert (recorded.requested_by_id, recorded.file_format) == (reader.pk, label.lower())
            expect(page.locator("#file-status")).to_contain_text(recorded.sha256)
            page.go_back()
    assert ReportFile.objects.filter(status="done").count() == 15

    page.locator("nav[aria-label=Main]").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="National annual report (EU COARM layout)").first.click()
    page.get_by_role("button", name=f"Publish {YEAR} as open data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"National report on arms exports {YEAR}")

    anonymous = page.context.browser.new_context(base_url=page.url.split("/open-data")[0])
    visitor = anonymous.new_page()
    visitor.goto(f"/open-data/{YEAR}/")
    expect(visitor.get_by_role("table")).to_contain_text("2,400,000.00")
    with visitor.expect_download() as caught:
        visitor.get_by_role("link", name="Download CSV").click()
    assert Path(caught.value.path()).read_text().startswith("year,destination,destination_iso,category")
    signed = ReportFile.objects.filter(kind="national", file_format="csv").first()
    assert signed is not None
    from excon.reports.services import read_report_file

    path = results_dir / "national.csv"
    path.write_bytes(read_report_file(signed))
    visitor.goto("/open-data/verify/")
    visitor.get_by_label("Report file").set_input_files(str(path))
    visitor.get_by_role("button", name="Verify").click()
    expect(visitor.locator("[data-verification]")).to_have_attribute("data-verification", "authentic")
    anonymous.close()


def test_an_exporter_reaches_no_report(page: Any) -> None:
    outsider = exporter_user()
    sign_in(page, str(outsider.username), TEST_PASSWORD)
    expect(page.locator("nav[aria-label=Main]")).not_to_contain_text("Reports")
    for path in (
        "/reports/",
        "/reports/national/",
        "/reports/att/",
        "/reports/unroca/",
        "/reports/processing/",
        "/reports/revenue/",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == 404, path
