"""The embedded default: SQLite under EXCON_DATA_DIR, tasks run eagerly, e-mail to the console."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env_bool

# The demo serves as production does: DEBUG off (a 404 is the branded page, not Django's list of every URL) and
# static files through WhiteNoise. DEBUG=1 switches Django's debug pages on for development.
DEBUG = env_bool("DEBUG", False)
# DEMO ONLY: two-factor authentication is off so the printed demo logins work at once.
# Production settings always require it for government users (see settings/prod.py).
EXCON_REQUIRE_MFA_FOR_GOVERNMENT = env_bool("EXCON_REQUIRE_MFA_FOR_GOVERNMENT", False)
EXCON_DEMO_MODE = env_bool("EXCON_DEMO_MODE", True)

# WhiteNoise warns when STATIC_ROOT is missing; assets are served from the finders here.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
