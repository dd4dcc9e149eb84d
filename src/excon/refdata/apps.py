from django.apps import AppConfig


class RefdataConfig(AppConfig):
    name = "excon.refdata"
    label = "refdata"
    verbose_name = "Reference data"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.pickers import register_picker_source
        from excon.core.roles import Role

        from . import enums
        from .enums import AuditVerb
        from .pickers import control_entry_options, country_options
        from .policies import GOVERNMENT_ROLES

        register_nav_item("Reference data", "refdata:index", roles=GOVERNMENT_ROLES, order=60)
        register_home_section(
            "Reference data: embargoes, destination groups",
            "You keep the arms embargoes and destination groups that every licensing check relies on up to date; "
            "each change is recorded with its reason.",
            [
                ("Arms embargoes", "refdata:embargo_list"),
                ("Destination groups", "refdata:group_list"),
                ("Control list", "refdata:control_list"),
            ],
            roles={Role.SYSTEM_ADMIN, Role.SENIOR_OFFICER},
            order=50,
        )
        register_verbs(AuditVerb)
        register_module_labels(enums)
        register_picker_source("country", country_options)
        register_picker_source("control_entry", control_entry_options)
