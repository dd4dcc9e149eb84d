from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "excon.licences"
    label = "licences"
    verbose_name = "Licences, shipments and customs"

    def ready(self) -> None:
        from excon.audit.labels import register_verb_labels
        from excon.core.backup import register_backup_part
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role

        from .signing import keys_dir

        register_backup_part("keys", keys_dir)  # the private signing keys live only in this folder

        from .policies import AUTHORITY_READERS

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
        register_verb_labels(
            {
                "licence.issued": "Issued the licence",
                "licence.suspend": "Suspended the licence",
                "licence.reinstate": "Reinstated the licence",
                "licence.revoke": "Revoked the licence",
                "licence.surrender": "Surrendered the licence",
                "licence.expire": "The licence expired",
                "licence.exhaust": "The licence was fully used",
                "licence.reopen": "Reopened the licence after a correction",
                "licence.amended": "Amended the licence",
                "licences.bulk_suspend": "Suspended licences in bulk",
                "licences.bulk_revoke": "Revoked licences in bulk",
                "licences.legacy_imported": "Imported licences from the previous system",
                "shipment.recorded": "Recorded a shipment",
                "shipment.reversed": "Reversed a shipment",
                "customs.batch_applied": "Applied a customs usage report",
                "customs.declarations_imported": "Imported customs declarations",
                "customs.discrepancy_resolved": "Resolved a customs discrepancy",
                "signing_key.created": "Created the signing key",
                "signing_key.rotated": "Rotated the signing key",
            }
        )
