from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "excon.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from excon.audit.labels import register_verb_labels
        from excon.core.navigation import register_nav_item

        register_nav_item("Inbox", "notifications:inbox", roles=None, order=90)
        register_verb_labels({"inbox.read": "Read inbox messages"})
