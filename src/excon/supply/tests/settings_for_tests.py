"""Test settings with the supply app installed and its pages mounted, until the lead registers them."""

from __future__ import annotations

from excon.settings.test import *  # noqa: F403
from excon.settings.test import INSTALLED_APPS

if "excon.supply" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "excon.supply"]
ROOT_URLCONF = "excon.supply.tests.urls_for_tests"
