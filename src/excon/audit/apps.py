from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "excon.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from excon.core.backup import register_backup_part
        from excon.core.metrics import register_metric_source
        from excon.core.navigation import register_nav_item
        from excon.core.readiness import register_readiness_probe
        from excon.core.roles import Role
        from excon.core.workflow import register_recorder

        from .health import audit_gauges, checkpoint_folder, probe_audit_sequencing
        from .services import audit_record

        register_recorder(audit_record)  # the workflow engine in core audits every move without importing audit
        register_readiness_probe("audit_sequencing", probe_audit_sequencing)
        register_metric_source("audit", audit_gauges)
        # The append-only checkpoint file outlives a trimmed database; a restore must bring it back with the rows.
        register_backup_part("audit", checkpoint_folder)

        register_nav_item("Audit log", "audit:entry_list", roles={Role.AUDITOR, Role.SYSTEM_ADMIN}, order=80)
