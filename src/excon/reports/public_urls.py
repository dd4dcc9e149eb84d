"""Pages anyone may open without signing in: published open data and the verification of report files."""

from django.urls import path

from . import views

urlpatterns = [
    path("open-data/", views.open_data_index, name="open_data"),
    path("open-data/verify/", views.verify, name="verify_report"),
    path("open-data/<int:year>/", views.open_data_year, name="open_data_year"),
    path("open-data/<int:year>.csv", views.open_data_csv, name="open_data_csv"),
]
