"""Applications' gauges for Prometheus (registered in AppConfig.ready into excon.core.metrics), computed at scrape
time from the database in a few grouped queries: cases by status and age, and advice overdue per department."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from .enums import ReferralStatus
from .models import Application, Referral

# Age bands in days since submission (drafts: since they were started). The last band is open-ended.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7d", 0, 7),
    ("8-30d", 8, 30),
    ("31-90d", 31, 90),
    ("over-90d", 91, None),
)


def case_gauges() -> Iterator[Metric]:
    now = timezone.now()
    cases = GaugeMetricFamily("excon_cases", "licence applications by status and age band", labels=["status", "age"])
    started = Coalesce("submitted_at", "created_at")
    aggregates = {}
    for label, low, high in AGE_BANDS:
        condition = Q(started_on__lte=now - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(started_on__gt=now - dt.timedelta(days=high + 1))
        aggregates[label] = Count("id", filter=condition)
    rows = Application.objects.annotate(started_on=started).values("status").annotate(**aggregates).order_by()
    for row in rows:
        counts: dict[str, int] = dict(row)  # type: ignore[arg-type]  # the band names are computed keys
        for label, _low, _high in AGE_BANDS:
            cases.add_metric([str(row["status"]), label], counts[label])
    yield cases


def advice_gauges() -> Iterator[Metric]:
    today = timezone.localdate()
    overdue = GaugeMetricFamily(
        "excon_advice_overdue", "referrals past their due date without advice, per department", labels=["department"]
    )
    rows = (
        Referral.objects.filter(status=ReferralStatus.PENDING, due_date__lt=today)
        .values("department__name")
        .annotate(count=Count("id"))
        .order_by("department__name")
    )
    for row in rows:
        overdue.add_metric([row["department__name"]], row["count"])
    yield overdue
