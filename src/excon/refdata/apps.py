from django.apps import AppConfig


class RefdataConfig(AppConfig):
    name = "excon.refdata"
    label = "refdata"
    verbose_name = "Reference data"
