"""Public licence-document verification: requests per second through selectors.verify_document (an authentic
document, and a tampered signature), and through Django's test Client on /api/v1/verify/<number>.

Scale: BENCH_VERIFY_LICENCES signed licences (default 200) and BENCH_VERIFY_REQUESTS requests (default 3,000)."""

from __future__ import annotations

import os
import time
from urllib.parse import urlencode

from bench._django import benchmark_database


def main() -> None:
    licences_count = int(os.environ.get("BENCH_VERIFY_LICENCES", "200"))
    requests = int(os.environ.get("BENCH_VERIFY_REQUESTS", "3000"))
    # One client address sends every request here: measure the check itself, not the per-address rate limit.
    os.environ.setdefault("EXCON_VERIFY_RATE_LIMIT", f"{requests * 10}/m")
    with benchmark_database() as database:
        from django.test import Client

        from excon.accounts.tests.factories import OrganisationFactory
        from excon.licences import selectors
        from excon.licences.tests.factories import direct_licence

        holder = OrganisationFactory.create()
        licences = [direct_licence(holder, number=f"LIC-2026-{index:06d}") for index in range(licences_count)]
        params = [(lic.number, str(lic.version), lic.signing_key.key_id, lic.signature) for lic in licences]  # type: ignore[union-attr]

        def direct(tamper: bool) -> float:
            started = time.perf_counter()
            for index in range(requests):
                number, version, key_id, signature = params[index % len(params)]
                if tamper:
                    signature = signature[:-2] + ("AA" if not signature.endswith("AA") else "BB")
                result = selectors.verify_document(number=number, version=version, key_id=key_id, signature=signature)
                assert result.authentic is not tamper, result
            return requests / (time.perf_counter() - started)

        authentic = direct(False)
        tampered = direct(True)
        client = Client()
        started = time.perf_counter()
        statuses: dict[int, int] = {}
        for index in range(requests):
            number, version, key_id, signature = params[index % len(params)]
            query = urlencode({"v": version, "k": key_id, "s": signature})
            response = client.get(f"/api/v1/verify/{number}?{query}", HTTP_HOST="localhost")
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        http = requests / (time.perf_counter() - started)
        print(f"licences_verification on {database}")
        print(f"  signed licences         {licences_count:>12,}   requests per measure {requests:,}")
        print(f"  verify_document, valid  {authentic:>12,.0f} requests/s")
        print(f"  verify_document, forged {tampered:>12,.0f} requests/s")
        print(f"  HTTP /api/v1/verify     {http:>12,.0f} requests/s  (Django test Client; statuses {statuses})")


if __name__ == "__main__":
    main()
