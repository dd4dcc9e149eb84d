from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "excon.applications"
    label = "applications"
    verbose_name = "Licence applications and the commission"
