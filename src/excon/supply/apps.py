from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "excon.supply"
    label = "supply"
    verbose_name = "Domestic supply first"

    def ready(self) -> None:
        from excon.applications.check_registry import register_check
        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import EXPORTER_ROLES

        from . import enums
        from .checks import CHECK_LABEL, CHECK_NAME, CHECK_ORDER, check_domestic_supply
        from .enums import AuditVerb
        from .policies import DASHBOARD_READERS, MINISTRY_ROLES

        register_check(CHECK_NAME, label=CHECK_LABEL, order=CHECK_ORDER, function=check_domestic_supply)

        register_nav_item("Domestic supply", "supply:index", roles=set(EXPORTER_ROLES) | DASHBOARD_READERS, order=45)
        register_home_section(
            "Domestic supply first",
            "Declare your production capacity and stock per product and quarter: exports draw only on what the "
            "armed forces do not need.",
            [("Capacity declarations", "supply:declarations")],
            roles=set(EXPORTER_ROLES),
            order=6,
        )
        register_home_section(
            "Domestic supply",
            "The armed forces' requirements, domestic priorities, surplus equipment and the exportable surplus.",
            [
                ("Surplus dashboard", "supply:dashboard"),
                ("Requirements", "supply:requirements"),
                ("Domestic prices", "supply:prices"),
                ("Domestic priorities", "supply:priorities"),
                ("Surplus equipment", "supply:equipment"),
            ],
            roles=set(MINISTRY_ROLES),
            order=6,
        )
        register_verbs(AuditVerb)
        register_module_labels(enums)
