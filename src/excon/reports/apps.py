from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "excon.reports"
    label = "reports"
    verbose_name = "Reports and analytics"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import OrganisationKind, Role

        from . import enums
        from .enums import AuditVerb
        from .policies import NAVIGATION_ROLES
        from .services import on_file_requested
        from .tasks import generate_report_file

        on_file_requested(generate_report_file.delay)

        # Analysts of any government body; the authority's own staff.
        register_nav_item("Reports", "reports:index", roles={Role.ANALYST}, order=80)
        register_nav_item(
            "Reports",
            "reports:index",
            roles=NAVIGATION_ROLES,
            order=80,
            organisation_kinds={OrganisationKind.AUTHORITY},
        )
        register_home_section(
            "Reports and analytics",
            "The national annual report, the ATT and UN Register reports, processing times, revenue and prices; "
            "signed downloads and open data.",
            [("Reports", "reports:index"), ("National annual report", "reports:national")],
            roles={Role.ANALYST},
            order=20,
        )
        register_home_section(
            "Reports and analytics",
            "The national annual report, the ATT and UN Register reports, processing times, revenue and prices.",
            [("Reports", "reports:index")],
            roles=NAVIGATION_ROLES - {Role.ANALYST},
            order=20,
            organisation_kinds={OrganisationKind.AUTHORITY},
        )
        register_verbs(AuditVerb)
        register_module_labels(enums)
