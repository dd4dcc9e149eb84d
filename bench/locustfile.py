"""The load test's users (locust): exporters drafting and submitting, officers reading queues and cases,
departments advising, customs posting usage batches, the public verifying licences. Driven by bench/load.py, which
seeds the data (EXCON_LOAD_SEED) and reads every request's outcome from EXCON_LOAD_EVENTS (one JSON line each)."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import uuid
from typing import Any

from locust import HttpUser, between, events, task

SEED: dict[str, Any] = json.loads(open(os.environ["EXCON_LOAD_SEED"]).read())  # noqa: SIM115
_events = open(os.environ["EXCON_LOAD_EVENTS"], "a", buffering=1)  # noqa: SIM115 - open for the whole run
DRAFTS: list[str] = list(SEED["drafts"])
REFERRALS: list[tuple[str, str]] = [(kind, pk) for kind, pks in SEED["referrals"].items() for pk in pks]
random.shuffle(REFERRALS)


@events.request.add_listener
def _record(
    request_type: str, name: str, response_time: float, response: Any, exception: Any, start_time: float, **kwargs: Any
) -> None:
    status = getattr(response, "status_code", 0) or 0
    _events.write(
        json.dumps(
            {
                "t": start_time,
                "name": name,
                "status": status,
                "ms": response_time,
                "error": type(exception).__name__ if exception and not status else "",
            }
        )
        + "\n"
    )


class _ApiUser(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    token = ""

    def api(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        with self.client.request(method, path, name=name, headers=headers, catch_response=True, **kwargs) as response:
            # 4xx answers to a race (a draft another user submitted first) are the API working, not failing.
            if response.status_code < 500 and response.status_code != 0:
                response.success()
            return response


class Exporter(_ApiUser):
    weight = 3

    def on_start(self) -> None:
        self.token = SEED["tokens"]["exporter"]

    @task(3)
    def draft(self) -> None:
        self.api(
            "POST",
            "/api/v1/applications",
            "exporter: start draft",
            json={
                "destination": "PL",
                "end_use_statement": "Land forces; no re-export.",
                "contract_reference": "LOAD",
                "contract_value": "1000.00",
                "contract_currency": "EUR",
            },
        )

    @task(2)
    def submit(self) -> None:
        if DRAFTS:
            self.api("POST", f"/api/v1/applications/{DRAFTS.pop()}/submit", "exporter: submit")

    @task(2)
    def mine(self) -> None:
        self.api("GET", "/api/v1/applications", "exporter: my applications")


class Officer(_ApiUser):
    weight = 3

    def on_start(self) -> None:
        self.token = SEED["tokens"]["officer"]

    @task(2)
    def queue(self) -> None:
        self.api("GET", "/api/v1/applications?status=under_review", "officer: queue")

    @task(3)
    def case(self) -> None:
        case = random.choice(SEED["cases"])
        self.api("GET", f"/api/v1/applications/{case}", "officer: case")

    @task(1)
    def timeline(self) -> None:
        case = random.choice(SEED["cases"])
        self.api("GET", f"/api/v1/applications/{case}/timeline", "officer: timeline")


class Department(_ApiUser):
    weight = 2

    @task(2)
    def referrals(self) -> None:
        self.token = random.choice(list(SEED["tokens"]["departments"].values()))
        self.api("GET", "/api/v1/referrals", "department: referrals")

    @task(1)
    def advise(self) -> None:
        if REFERRALS:
            kind, referral = REFERRALS.pop()
            self.token = SEED["tokens"]["departments"][kind]
            self.api(
                "POST",
                f"/api/v1/referrals/{referral}/advice",
                "department: advise",
                json={"advice_type": "no_objection", "rationale": "No concerns for this destination."},
            )


class Customs(_ApiUser):
    # A fixed count, not a weight: with ten users a weight of 1 in 13 could leave customs without a single user,
    # and then the after-run check of acknowledged batches has nothing to check.
    fixed_count = 2

    def on_start(self) -> None:
        self.token = SEED["tokens"]["customs"]

    @task
    def usage_batch(self) -> None:
        batch_id = f"LOAD-{uuid.uuid4().hex}"
        entries = [
            {
                "licence_number": random.choice(SEED["licences"]),
                "shipped_on": dt.date.today().isoformat(),
                "declaration_number": f"D-{uuid.uuid4().hex[:12]}",
                "lines": [{"line_number": 1, "quantity": 1, "value": "1.00"}],
            }
            for _ in range(3)
        ]
        response = self.api(
            "POST",
            "/api/v1/customs/usage-batches",
            "customs: usage batch",
            json={"batch_id": batch_id, "entries": entries},
        )
        # What customs was told: an acknowledged batch must be in the database with its shipments afterwards.
        _events.write(json.dumps({"batch_ack": batch_id, "status": response.status_code}) + "\n")


class Public(HttpUser):
    weight = 4
    wait_time = between(0.2, 1.0)

    @task
    def verify(self) -> None:
        self.client.get(random.choice(SEED["verify_links"]), name="public: verify licence")
