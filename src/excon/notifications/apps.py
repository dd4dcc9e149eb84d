from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "excon.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels

        from . import enums
        from .enums import AuditVerb

        register_verbs(AuditVerb)
        register_module_labels(enums)
