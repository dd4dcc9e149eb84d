"""Continuous re-screening: a list import that newly lists a party of an open case raises a hit and alerts the
compliance officers; a dismissed hit stays dismissed; running twice raises nothing new; active licences too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from excon.audit.models import AuditEntry
from excon.notifications.models import InboxMessage
from excon.screening import services
from excon.screening.enums import HitStatus
from excon.screening.index import forget_index
from excon.screening.models import ScreeningHit
from excon.screening.rescreening import rescreen_open_cases
from excon.screening.tasks import rescreen_all

from .factories import FIXTURES, list_entry

pytestmark = pytest.mark.django_db

LISTED_CONSIGNEE = "Kalashnikov Trading House"
NEW_ENTRY = """  <sdnEntry>
    <uid>990001</uid>
    <lastName>KALASHNIKOV TRADING HOUSE</lastName>
    <sdnType>Entity</sdnType>
    <programList>
      <program>RUSSIA-EO14024</program>
    </programList>
  </sdnEntry>
</sdnList>"""


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    forget_index()
    yield
    forget_index()


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import licensing_world

    return licensing_world()


def _open_case(world: Any) -> Any:
    from excon.applications import services as application_services
    from excon.applications.tests.factories import complete_draft

    application = complete_draft(world)
    application_services.party_add(
        actor=world.exporter,
        application=application,
        role="consignee",
        name=LISTED_CONSIGNEE,
        country="PL",
        kind="commercial",
        address="Gdansk",
    )
    application = application_services.application_submit(actor=world.exporter, application=application)
    assert application.status in ("submitted", "checks_failed", "under_review")
    return application


def _ofac_with_new_entry(tmp_path: Path) -> Path:
    text = (FIXTURES / "ofac_sdn_sample.xml").read_text(encoding="utf-8")
    target = tmp_path / "sdn.xml"
    target.write_text(text.replace("</sdnList>", NEW_ENTRY), encoding="utf-8")
    return target


def _alerts(user: Any) -> list[InboxMessage]:
    return list(InboxMessage.objects.filter(recipient=user, event="screening.rescreen_hit"))


def test_importing_a_list_that_newly_lists_a_party_raises_a_hit_and_alerts_compliance(
    world: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    application = _open_case(world)
    assert not ScreeningHit.objects.filter(screened_name=LISTED_CONSIGNEE).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.list_import(actor=None, source="ofac", paths=[_ofac_with_new_entry(tmp_path)])
    hit = ScreeningHit.objects.get(screened_name=LISTED_CONSIGNEE)
    assert hit.status == HitStatus.OPEN
    assert hit.target_type == "applications.party"
    assert hit.entry.primary_name == "KALASHNIKOV TRADING HOUSE"
    alerts = _alerts(world.compliance)
    assert len(alerts) == 1
    assert LISTED_CONSIGNEE in alerts[0].subject
    assert application.reference in alerts[0].body
    assert "KALASHNIKOV TRADING HOUSE" in alerts[0].body
    assert str(hit.pk) in alerts[0].link
    assert not _alerts(world.officer)  # case officers are not alerted; the compliance officers review
    audit = AuditEntry.objects.get(verb="screening.rescreen_alert", target_id=str(hit.pk))
    assert audit.payload["cases"] == [f"application {application.reference}"]


def test_a_dismissed_hit_is_not_raised_again_and_a_second_run_raises_nothing(world: Any) -> None:
    _open_case(world)
    list_entry("Kalashnikov Trading House", kind="organisation", programme="Denial by the authority")
    first = rescreen_open_cases()
    assert first.result.new_hits == 1
    assert len(_alerts(world.compliance)) == 1
    again = rescreen_open_cases()
    assert again.result.new_hits == 0
    assert again.result.already_open == 1
    assert len(_alerts(world.compliance)) == 1
    hit = first.new_hits[0]
    services.hit_dismiss(actor=world.compliance, hit_id=hit.pk, reason="a different company, registered in PL")
    after = rescreen_open_cases()
    assert after.result.new_hits == 0
    assert after.result.suppressed == 1
    assert ScreeningHit.objects.filter(screened_name=LISTED_CONSIGNEE).count() == 1
    assert len(_alerts(world.compliance)) == 1


def test_the_celery_task_runs_eagerly_and_reports(world: Any) -> None:
    _open_case(world)
    list_entry("Kalashnikov Trading House", kind="organisation")
    summary = rescreen_all.delay().get()
    assert summary["new_hits"] == 1
    assert summary["officers_alerted"] == 1
    assert summary["parties"] >= 3  # end user, consignee and the exporter


def test_end_users_and_consignees_of_active_licences_are_rescreened(world: Any) -> None:
    from excon.licences.models import Licence
    from excon.products.tests.factories import country

    licence = Licence.objects.create(
        number="LIC-2026-000901",
        holder=world.exporter_org,
        destination=country("DE"),
        end_user="Rheinmetall Landsysteme",
        end_user_kind="commercial",
        consignees=[{"name": "Zala Aero Group", "country": "DE", "role": "consignee"}],
        issued_on=dt.date(2026, 1, 5),
        valid_from=dt.date(2026, 1, 5),
        status="active",
    )
    Licence.objects.create(
        number="LIC-2026-000902",
        holder=world.exporter_org,
        destination=country("DE"),
        end_user="Zala Aero Group",
        issued_on=dt.date(2026, 1, 5),
        valid_from=dt.date(2026, 1, 5),
        status="revoked",
    )
    list_entry("ZALA AERO GROUP LLC", kind="organisation", countries=("RU",))
    run = rescreen_open_cases()
    hits = ScreeningHit.objects.filter(target_type="licences.licence")
    assert [hit.target_id for hit in hits] == [str(licence.pk)]
    assert run.result.new_hits == 1
    alert = _alerts(world.compliance)[0]
    assert "LIC-2026-000901" in alert.body
