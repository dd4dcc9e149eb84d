"""/metrics: django-prometheus's figures and the domain's own, only for the token or the allowed networks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from excon.applications.enums import ReferralStatus
from excon.applications.models import Application, Referral
from excon.applications.tests.factories import complete_draft, licensing_world
from excon.licences.selectors import verify_document


@pytest.mark.django_db
def test_metrics_refuse_a_client_outside_the_allow_list_without_the_token(client: Client, settings: Any) -> None:
    settings.EXCON_METRICS_TOKEN = "metrics-token-for-the-test"
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 403
    assert response.json()["code"] == "metrics.forbidden"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    allowed = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer metrics-token-for-the-test")
    assert allowed.status_code == 200


@pytest.mark.django_db
def test_an_allowed_network_reads_the_metrics_without_a_token(client: Client, settings: Any) -> None:
    settings.EXCON_METRICS_TOKEN = ""
    settings.EXCON_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_the_domain_figures_are_exported(client: Client) -> None:
    world = licensing_world()
    draft = complete_draft(world)
    Application.objects.filter(pk=draft.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    Referral.objects.create(
        application=draft,
        department=next(iter(world.departments.values())),
        status=ReferralStatus.PENDING,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    verify_document(number="LIC-NONE", version="1", key_id="k", signature="s")
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'excon_cases{age="31-90d",status="draft"} 1.0' in body
    assert 'excon_cases{age="0-7d",status="draft"} 0.0' in body
    department = next(iter(world.departments.values())).name
    assert f'excon_advice_overdue{{department="{department}"}} 1.0' in body
    assert 'excon_licence_verifications_total{outcome="not_authentic"}' in body
    assert "# TYPE excon_screening_seconds histogram" in body
    assert 'excon_metric_source_failed{source="applications.cases"} 0.0' in body
    assert "django_http_requests_total_by_method_total" in body
