from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "excon.applications"
    label = "applications"
    verbose_name = "Licence applications and the commission"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels
        from excon.core.metrics import register_metric_source
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role
        from excon.core.workflow import register_workflow
        from excon.screening.registry import register_hit_describer, register_party_source

        from . import enums, policies, workflow
        from .checks import register_builtin_checks
        from .enums import AuditVerb
        from .metrics import advice_gauges, case_gauges
        from .models import Application
        from .party_screening import (
            EXPORTER_TARGET,
            PARTY_TARGET,
            describe_exporter,
            describe_party,
            open_case_parties,
        )
        from .services.transitions import stamp_application_move

        register_builtin_checks()
        register_party_source("applications", open_case_parties)
        register_hit_describer(PARTY_TARGET, describe_party)
        register_hit_describer(EXPORTER_TARGET, describe_exporter)
        register_metric_source("applications.cases", case_gauges)
        register_metric_source("applications.advice", advice_gauges)

        officers: set[str] = {Role.CASE_OFFICER, Role.SENIOR_OFFICER}
        exporters: set[str] = set(EXPORTER_ROLES)
        register_nav_item("Licence applications", "applications:list", roles=exporters, order=30)
        authority, department = {OrganisationKind.AUTHORITY}, {OrganisationKind.DEPARTMENT}
        register_nav_item("Work queue", "applications:queue", roles=officers, order=30, organisation_kinds=authority)
        # The auditor reads every case: the same queue, under the name of what it is to them.
        register_nav_item("Cases", "applications:queue", roles={Role.AUDITOR}, order=30, organisation_kinds=authority)
        register_nav_item(
            "Referred cases",
            "applications:referred",
            roles={Role.COMMISSION_MEMBER, Role.SENIOR_OFFICER},
            order=31,
            organisation_kinds=department,
        )
        register_nav_item(
            "Commission",
            "applications:meetings",
            roles=officers | {Role.COMMISSION_MEMBER},
            order=32,
            organisation_kinds=authority,
        )
        register_nav_item(
            "Commission",
            "applications:meetings",
            roles={Role.COMMISSION_MEMBER},
            order=32,
            organisation_kinds=department,
        )
        # One navigation item for the senior officers' case settings (three items made their navigation take two
        # lines at 1366 px); the home section links each settings page.
        register_nav_item(
            "Case rules",
            "applications:routing_rules",
            roles={Role.SENIOR_OFFICER},
            order=60,
            organisation_kinds=authority,
        )
        register_home_section(
            "Case rules",
            "How cases are handled: which departments must advise (routing rules), the destination risk profiles "
            "the checks read, and the rules of each licence type (maximum validity, returns).",
            [
                ("Routing rules", "applications:routing_rules"),
                ("Risk profiles", "applications:risk_profiles"),
                ("Licence types", "applications:licence_types"),
            ],
            roles={Role.SENIOR_OFFICER},
            order=5,
            organisation_kinds=authority,
        )
        register_home_section(
            "Licence applications",
            "Apply for an export licence: name the destination, the goods from your decided products, the parties "
            "and the end-user certificate, then submit. Follow the case, answer the authority's questions and read "
            "the decision; a refusal may be appealed.",
            [("My applications", "applications:list"), ("Start an application", "applications:create")],
            roles=exporters,
            order=4,
        )
        register_home_section(
            "Casework",
            "Work the submitted cases: the automatic checks, the departments' advice and its consolidation, "
            "requests for information, and sending ready cases to the commission, which you convene and minute.",
            [("Work queue", "applications:queue"), ("Commission meetings", "applications:meetings")],
            roles=officers,
            order=4,
            organisation_kinds=authority,
        )
        register_home_section(
            "Advice on licence applications",
            "Advise on the cases referred to your department before they are due; your senior officer "
            "countersigns refusals and advice the routing rules mark for countersignature. Commission members "
            "vote in the commission's sessions.",
            [("Referred cases", "applications:referred"), ("Commission meetings", "applications:meetings")],
            roles={Role.COMMISSION_MEMBER},
            order=4,
            organisation_kinds=department,
        )
        register_home_section(
            "Countersigning your department's advice",
            "Countersign the refusals your department's members advise, and the advice the routing rules mark "
            "for countersignature, on the cases referred to your department.",
            [("Referred cases", "applications:referred")],
            roles={Role.SENIOR_OFFICER},
            order=5,
            organisation_kinds=department,
        )
        register_home_section(
            "Licensing configuration",
            "Decide which departments advise on which cases (routing rules) and keep the destinations' risk "
            "assessments against ATT art. 6 and the EU Common Position's eight criteria up to date.",
            [("Routing rules", "applications:routing_rules"), ("Risk profiles", "applications:risk_profiles")],
            roles={Role.SENIOR_OFFICER, Role.SYSTEM_ADMIN},
            order=50,
            organisation_kinds=authority,
        )
        register_verbs(AuditVerb)
        register_module_labels(enums)
        register_workflow(
            Application, workflow.TABLE, policy=policies.can_transition_application, stamp=stamp_application_move
        )
