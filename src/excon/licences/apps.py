from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "excon.licences"
    label = "licences"
    verbose_name = "Licences, shipments and customs"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.backup import register_backup_part
        from excon.core.labels import register_module_labels
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role
        from excon.core.workflow import register_workflow
        from excon.screening.registry import register_hit_describer, register_party_source
        from excon.supply.providers import register_licensed_quantities

        from . import enums, policies, workflow
        from .enums import AuditVerb
        from .models import Licence
        from .party_screening import LICENCE_TARGET, active_licence_parties, describe_licence
        from .policies import AUTHORITY_READERS
        from .services.lifecycle import notify_licence_move, refuse_expired_licence
        from .signing import keys_dir
        from .supply_quantities import PROVIDER

        register_backup_part("keys", keys_dir)  # the private signing keys live only in this folder
        register_licensed_quantities(PROVIDER)
        register_party_source("licences", active_licence_parties)
        register_hit_describer(LICENCE_TARGET, describe_licence)

        # Exporters see theirs, the authority's readers all, customs officers the issued ones (selectors).
        register_nav_item("Licences", "licences:list", roles=set(EXPORTER_ROLES), order=60)
        register_nav_item(
            "Licences",
            "licences:list",
            roles=set(AUTHORITY_READERS),
            order=60,
            organisation_kinds={OrganisationKind.AUTHORITY},
        )
        register_nav_item("Licences", "licences:list", roles={Role.CUSTOMS_OFFICER}, order=60)
        register_nav_item("Discrepancies", "licences:discrepancies", roles={Role.COMPLIANCE_OFFICER}, order=61)
        register_nav_item("Signing keys", "licences:keys", roles={Role.SYSTEM_ADMIN}, order=90)
        register_home_section(
            "Your licences",
            "See your export licences and what remains on each line, download the signed licence document, and "
            "record each export as it leaves.",
            [("My licences", "licences:list")],
            roles=set(EXPORTER_ROLES),
            order=7,
        )
        register_home_section(
            "Customs",
            "Check goods against licences, record exports, report usage.",
            [
                ("Check a licence", "licences:list"),
                ("Import customs declarations (CSV)", "licences:declarations_import"),
                ("Trace a serial number", "licences:serial_trace"),
            ],
            roles={Role.CUSTOMS_OFFICER},
            order=5,
        )
        register_home_section(
            "Compliance",
            "Reconcile customs declarations with licences, resolve discrepancies and trace serial numbers.",
            [
                ("Discrepancy queue", "licences:discrepancies"),
                ("Import customs declarations (CSV)", "licences:declarations_import"),
                ("Trace a serial number", "licences:serial_trace"),
            ],
            roles={Role.COMPLIANCE_OFFICER},
            order=20,
        )
        register_home_section(
            "Licences in force",
            "Suspend or revoke licences in bulk when an embargo or a domestic priority demands it.",
            [("Licences", "licences:list"), ("Bulk suspension or revocation", "licences:bulk")],
            roles={Role.SENIOR_OFFICER},
            order=30,
            organisation_kinds={OrganisationKind.AUTHORITY},
        )
        register_verbs(AuditVerb)
        register_module_labels(enums)
        register_workflow(
            Licence,
            workflow.TABLE,
            policy=policies.can_transition_licence,
            check=refuse_expired_licence,
            after=notify_licence_move,
        )
