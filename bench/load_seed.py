"""Seed a stack's database for the load test (run inside the stack's environment by bench/load.py):
`python -m bench.load_seed OUT.json [drafts] [licences]`. Writes the API tokens, draft and referral ids and licence
verification links the locust users work with. Uses the test factories, which go through the services."""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

import django


def main() -> None:
    django.setup()
    from django.db import transaction

    from excon.accounts.services import api_token_create
    from excon.accounts.tests.factories import CustomsFactory, UserFactory
    from excon.applications import services
    from excon.applications.models import Referral
    from excon.applications.tests.factories import complete_draft, licensing_world
    from excon.core.roles import Role
    from excon.licences.document import verification_url
    from excon.licences.models import Licence
    from excon.licences.tests.factories import direct_licence
    from excon.screening.shipped import load_shipped_lists

    out, drafts, licences = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300, 20
    # The shipped UN and OFAC lists, as production screens against: submissions screen their parties, and the
    # nightly re-screening the worker_kill fault interrupts runs long enough to be killed in the middle.
    load_shipped_lists()
    with transaction.atomic():
        world = licensing_world()
        customs = UserFactory(organisation=CustomsFactory(), roles=[Role.CUSTOMS_OFFICER])  # customs' own service
        draft_ids = [str(complete_draft(world).pk) for _ in range(drafts)]
        # A quarter submitted now, so officers have cases to read and departments referrals to advise on.
        submitted = draft_ids[: drafts // 4]
        for draft_id in submitted:
            services.application_submit(actor=world.exporter, application=services_get(draft_id))
        numbers = []
        for index in range(licences):
            licence = direct_licence(holder=world.exporter_org, number=f"LIC-LOAD-{index:06d}", quantity=10_000_000)
            numbers.append(licence.number)
    links = []
    for licence in Licence.objects.filter(number__in=numbers):
        parts = urlsplit(verification_url(licence))
        links.append(f"{parts.path}?{parts.query}")
    referrals = {
        kind: [str(pk) for pk in Referral.objects.filter(department=org, status="pending").values_list("pk", flat=True)]
        for kind, org in world.departments.items()
    }
    tokens = {
        "exporter": api_token_create(actor=world.exporter, name="load test")[1],
        "officer": api_token_create(actor=world.officer, name="load test")[1],
        "customs": api_token_create(actor=customs, name="load test")[1],
        "departments": {
            kind: api_token_create(actor=user, name="load test")[1] for kind, user in world.members.items()
        },
    }
    seed = {
        "tokens": tokens,
        "drafts": draft_ids[drafts // 4 :],
        "cases": submitted,
        "referrals": referrals,
        "licences": numbers,
        "verify_links": links,
    }
    with open(out, "w") as handle:
        json.dump(seed, handle)
    print(
        f"seeded the shipped lists, {drafts} drafts ({len(submitted)} submitted), {licences} licences, "
        f"{sum(map(len, referrals.values()))} referrals"
    )


def services_get(pk: str):  # type: ignore[no-untyped-def]
    from excon.applications.models import Application

    return Application.objects.get(pk=pk)


if __name__ == "__main__":
    main()
