from __future__ import annotations

import pytest

from excon.applications.tests.factories import World, licensing_world


@pytest.fixture
def world(db: None) -> World:
    return licensing_world()
