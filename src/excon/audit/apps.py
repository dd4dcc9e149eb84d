from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "excon.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from excon.core.navigation import register_nav_item
        from excon.core.roles import Role
        from excon.core.workflow import register_recorder

        from .services import audit_record

        register_recorder(audit_record)  # the workflow engine in core audits every move without importing audit

        register_nav_item("Audit log", "audit:entry_list", roles={Role.AUDITOR, Role.SYSTEM_ADMIN}, order=80)
