from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("national/", views.national, name="national"),
    path("att/", views.att, name="att"),
    path("unroca/", views.unroca, name="unroca"),
    path("processing/", views.processing, name="processing"),
    path("revenue/", views.revenue, name="revenue"),
    path("files/", views.file_request, name="file_request"),
    path("files/<uuid:file_id>/", views.file_detail, name="file_detail"),
    path("files/<uuid:file_id>/download/", views.file_download, name="file_download"),
    path("publish/", views.publish, name="publish"),
]
