"""The register of authorised exporters as published: no login (names and scope only)."""

from django.urls import path

from . import views

urlpatterns = [path("authorised-exporters/", views.register_public, name="authorised_exporters")]
