from django.apps import AppConfig


class RegimeConfig(AppConfig):
    name = "excon.regime"
    label = "regime"
    verbose_name = "Export regime: authorisations, destination policy, quotas"

    def ready(self) -> None:
        from excon.applications.check_registry import register_check
        from excon.applications.decision_registry import register_approval_hook
        from excon.audit.labels import register_verbs
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role
        from excon.core.workflow import register_workflow

        from . import checks, policies, workflow
        from .enums import AuditVerb
        from .models import ExportAuthorisation

        register_verbs(AuditVerb)
        register_workflow(ExportAuthorisation, workflow.TABLE, policy=policies.can_transition_authorisation)
        register_check(
            checks.AUTHORISATION_CHECK,
            label="Export authorisation",
            order=55,
            function=checks.check_export_authorisation,
            needs_destination=True,
        )
        register_check(
            checks.POLICY_CHECK, label="Destination policy", order=56, function=checks.check_destination_policy
        )
        register_check(checks.QUOTA_CHECK, label="Export quotas", order=57, function=checks.check_quota)
        register_approval_hook("regime.quotas", checks.count_approval)

        readers: set[str] = set(policies.AUTHORITY_READERS)
        register_nav_item("Export authorisation", "regime:authorisations", roles=set(EXPORTER_ROLES), order=25)
        register_nav_item(
            "Export regime",
            "regime:index",
            roles=readers,
            order=40,
            organisation_kinds={OrganisationKind.AUTHORITY},
        )
        register_nav_item(
            "Export regime",
            "regime:index",
            roles={Role.COMMISSION_MEMBER, Role.SENIOR_OFFICER},
            order=40,
            organisation_kinds={OrganisationKind.DEPARTMENT},
        )
        register_home_section(
            "Export authorisation",
            "Apply for your organisation's right to export military goods: the categories and destination groups, "
            "with the evidence the authority asks for. Only an authorised exporter's applications pass the checks.",
            [("My export authorisations", "regime:authorisations"), ("Apply", "regime:authorisation_create")],
            roles=set(EXPORTER_ROLES),
            order=3,
        )
        register_home_section(
            "Export regime",
            "Who may export (authorisations and their register), where to (the destination policy's tiers) and how "
            "much (quotas, with their use).",
            [
                ("Authorisations", "regime:authorisations"),
                ("Register of authorised exporters", "regime:register"),
                ("Destination policy", "regime:policy"),
                ("Quotas", "regime:quotas"),
            ],
            roles=readers,
            order=7,
            organisation_kinds={OrganisationKind.AUTHORITY},
        )
