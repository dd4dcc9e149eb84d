from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "excon.screening"
    label = "screening"
    verbose_name = "Sanctions and denied-party screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.readiness import register_readiness_probe
        from excon.core.roles import Role

        from . import enums
        from .enums import AuditVerb
        from .metrics import probe_screening_index
        from .policies import SEARCH_ROLES
        from .services import on_lists_changed
        from .tasks import rescreen_all

        on_lists_changed(rescreen_all.delay)

        register_readiness_probe("screening_index", probe_screening_index)

        register_nav_item("Screening", "screening:queue", roles={Role.COMPLIANCE_OFFICER}, order=45)
        register_nav_item(
            "Screening search", "screening:search", roles=set(SEARCH_ROLES - {Role.COMPLIANCE_OFFICER}), order=46
        )
        register_home_section(
            "Screening",
            "Review the possible matches that screening raises between the parties of cases and licences and the "
            "sanctions and denied-party lists, search the lists for a name, and keep the national denial list.",
            [
                ("Screening hits to review", "screening:queue"),
                ("Search the lists", "screening:search"),
                ("Lists in force", "screening:lists"),
                ("National denial list", "screening:national"),
            ],
            roles={Role.COMPLIANCE_OFFICER},
            order=9,
        )
        register_verbs(AuditVerb)
        register_module_labels(enums)
