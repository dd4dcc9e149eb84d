"""Until excon.screening is in INSTALLED_APPS (run with excon.screening.tests.settings_for_tests meanwhile), the
default test settings cannot load these models: leave the screening tests out of such a run instead of erroring."""

from __future__ import annotations

from django.conf import settings

collect_ignore_glob = [] if "excon.screening" in settings.INSTALLED_APPS else ["test_*.py"]
