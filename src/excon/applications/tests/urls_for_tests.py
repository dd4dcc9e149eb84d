"""excon.urls with the application pages and the inbox, for the tests, until (and harmlessly after) the project
urlconf includes them at /applications/ and /inbox/."""

from django.urls import NoReverseMatch, include, path, reverse

from excon import urls as project_urls

urlpatterns = list(project_urls.urlpatterns)
try:
    reverse("applications:list", urlconf="excon.urls")
except NoReverseMatch:
    urlpatterns.insert(0, path("applications/", include("excon.applications.urls")))
try:
    reverse("notifications:inbox", urlconf="excon.urls")
except NoReverseMatch:
    urlpatterns.insert(0, path("inbox/", include("excon.notifications.urls")))

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
