from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "excon.core"
    label = "core"
    verbose_name = "ExCon core"
