from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "excon.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.navigation import register_nav_item

        from .enums import AuditVerb

        register_nav_item("Inbox", "notifications:inbox", roles=None, order=90)
        register_verbs(AuditVerb)
