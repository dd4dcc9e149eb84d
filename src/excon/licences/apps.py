from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "excon.licences"
    label = "licences"
    verbose_name = "Licences, shipments and customs"
