from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "excon.notifications"
    label = "notifications"
    verbose_name = "Notifications"
