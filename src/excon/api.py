"""The REST API at /api/v1/: every app's router, one error shape, session or bearer-token authentication."""

from __future__ import annotations

from excon.accounts.api import router as accounts_router
from excon.accounts.auth import SessionAuth, TokenAuth
from excon.applications.api import router as applications_router
from excon.audit.api import router as audit_router
from excon.core.api import ExconApi, install_error_handlers
from excon.licences.api import public_router as verification_router
from excon.licences.api import router as licences_router
from excon.notifications.api import router as notifications_router
from excon.products.api import router as products_router
from excon.refdata.api import router as refdata_router
from excon.regime.api import public_router as regime_public_router
from excon.regime.api import router as regime_router
from excon.reports.api import router as reports_router
from excon.screening.api import router as screening_router
from excon.supply.api import router as supply_router

api = ExconApi(
    title="ExCon API",
    version="1",
    description=(
        "Export-control and licensing. Authenticate with a personal API token (`Authorization: Bearer excon_…`) "
        "or the browser session. Errors always have the shape `{code, message, details}`; an object outside your "
        "scope answers 404 exactly like a missing one."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/refdata", refdata_router)
api.add_router("/audit", audit_router)
api.add_router("/", products_router)
api.add_router("/screening", screening_router)
api.add_router("/", applications_router)
api.add_router("/", notifications_router)
api.add_router("/", licences_router)
api.add_router("/", verification_router)
api.add_router("/", supply_router)
api.add_router("/", regime_router)
api.add_router("/", regime_public_router)
api.add_router("/", reports_router)
