"""Licences' Prometheus figures: public verifications of licence documents, by outcome."""

from __future__ import annotations

from prometheus_client import Counter

LICENCE_VERIFICATIONS = Counter(
    "excon_licence_verifications", "licence documents checked on the public verification page or API", ["outcome"]
)
