"""Shared pytest configuration: where ../shared lives, and the browser for Playwright tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests check properties, never speed: no per-example deadline and no "input generation too slow" health
# check, which a loaded CI machine trips (performance is measured by the benchmarks in bench/).
hypothesis_settings.register_profile("excon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("excon")

REPO_ROOT = Path(__file__).resolve().parent
SHARED_DATA = Path(os.environ.get("EXCON_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    """The real public datasets beside the repository; tests that need them skip when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is not present at {SHARED_DATA}: real-data test skipped")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """Each test gets its own append-only checkpoint file: the database is rolled back after a test, and a
    checkpoint left in a shared file would describe leaves that no longer exist (which verification reports)."""
    settings.EXCON_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    return settings.EXCON_AUDIT_CHECKPOINT_FILE
