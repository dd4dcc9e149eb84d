"""Test settings with the screening app installed, for use until it is registered in excon.settings.base."""

from __future__ import annotations

from excon.settings.test import *  # noqa: F403
from excon.settings.test import INSTALLED_APPS

if "excon.screening" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "excon.screening"]
