from django.urls import include, path

from excon.api import api
from excon.core import views as core_views
from excon.core.metrics import metrics_view
from excon.licences.views_public import verify_page

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/", api.urls),
    path("verify/<str:number>/", verify_page, name="verify_licence"),
    path("accounts/", include("excon.accounts.urls")),
    path("refdata/", include("excon.refdata.urls")),
    path("audit/", include("excon.audit.urls")),
    path("products/", include("excon.products.urls")),
    path("applications/", include("excon.applications.urls")),
    path("inbox/", include("excon.notifications.urls")),
    path("screening/", include("excon.screening.urls")),
    path("licences/", include("excon.licences.urls")),
    path("supply/", include("excon.supply.urls")),
    path("regime/", include("excon.regime.urls")),
    path("", include("excon.regime.public_urls")),
    path("reports/", include("excon.reports.urls")),
    path("", include("excon.reports.public_urls")),
    path("", include("excon.core.urls")),
]

handler400 = "excon.core.views.bad_request"
handler403 = "excon.core.views.forbidden"
handler404 = "excon.core.views.page_not_found"
handler500 = "excon.core.views.server_error"
