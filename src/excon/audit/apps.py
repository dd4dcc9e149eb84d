from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "excon.audit"
    label = "audit"
    verbose_name = "Audit log"
