"""excon.urls with the supply pages, for the tests, until (and harmlessly after) the project urlconf includes
them at /supply/."""

from django.urls import NoReverseMatch, include, path, reverse

from excon import urls as project_urls

try:
    reverse("supply:index", urlconf=project_urls)
    urlpatterns = list(project_urls.urlpatterns)
except NoReverseMatch:
    urlpatterns = [path("supply/", include("excon.supply.urls")), *project_urls.urlpatterns]

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
