from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "excon.core"
    label = "core"
    verbose_name = "ExCon core"

    def ready(self) -> None:
        from . import markings, roles
        from .backup import media_folder, register_backup_part
        from .labels import register_module_labels
        from .metrics import register_metric_source, task_queue_depth
        from .navigation import register_home_section, register_nav_item
        from .readiness import register_core_probes
        from .roles import Role

        register_core_probes()
        register_module_labels(roles)
        register_module_labels(markings)
        register_backup_part("files", media_folder)
        register_metric_source("task_queue_depth", task_queue_depth)

        register_nav_item("Home", "home", roles=None, order=0)

        organisations = ("Registered organisations", "accounts:organisation_list")
        refdata = ("Reference data: control lists, countries and embargoes", "refdata:index")
        audit_log = ("Audit log", "audit:entry_list")
        sections: list[tuple[str, str, str, list[tuple[str, str]]]] = [
            (
                Role.SYSTEM_ADMIN,
                "System administration",
                "You register the organisations that work in ExCon, create their first users, assign roles and "
                "make sure the audit log stays intact.",
                [
                    organisations,
                    ("Register an organisation", "accounts:organisation_create"),
                    ("Users and their roles", "accounts:user_list"),
                    audit_log,
                ],
            ),
            (
                Role.AUDITOR,
                "Audit",
                "You have read-only access to check that ExCon is used lawfully: every change is in a "
                "tamper-evident log that records who did what and when.",
                [audit_log, ("Users and their roles", "accounts:user_list"), organisations],
            ),
            (
                Role.EXPORTER_ADMIN,
                "Your organisation",
                "You keep your company's registration with the authority up to date and decide who in your "
                "company works in ExCon, and with which role.",
                [
                    ("Manage your organisation's users", "accounts:user_list"),
                    ("Your organisation's details", "accounts:organisation_list"),
                    refdata,
                ],
            ),
            (
                Role.EXPORTER_USER,
                "Exporting with ExCon",
                "You prepare your company's export business with the authority. Your company's administrator "
                "manages your access and roles.",
                [("Your organisation", "accounts:organisation_list"), refdata],
            ),
            (
                Role.CASE_OFFICER,
                "Case work",
                "You examine licence applications: the goods, the end user and the destination, checked against "
                "the control lists and embargoes, with advice from the departments, up to a recommendation.",
                [organisations, refdata],
            ),
            (
                Role.SENIOR_OFFICER,
                "Decisions",
                "You review case officers' recommendations and take the decisions reserved to senior staff, such "
                "as refusals, suspensions and revocations.",
                [organisations, refdata],
            ),
            (
                Role.COMMISSION_MEMBER,
                "Interdepartmental commission",
                "You represent your ministry on the commission that reviews sensitive licence applications and "
                "record your department's position.",
                [organisations, refdata],
            ),
            (
                Role.TECHNICAL_EXPERT,
                "Technical classification",
                "For the Ministry of Defence, you classify goods against the control list and give the technical "
                "opinion that licensing decisions rely on.",
                [refdata, organisations],
            ),
            (
                Role.COMPLIANCE_OFFICER,
                "Compliance",
                "You check that exporters keep to their licences once granted: shipments, end-use checks, "
                "serial numbers and re-export consents.",
                [organisations, refdata],
            ),
            (
                Role.IP_COUNSEL,
                "Intellectual property",
                "You advise on the protection of military innovations in each country, on licensed production "
                "abroad and on suspected copies.",
                [organisations, refdata],
            ),
            (
                Role.CUSTOMS_OFFICER,
                "Customs",
                "You check goods at the border against the licences that cover them and record what actually crossed.",
                [refdata, organisations],
            ),
            (
                Role.ANALYST,
                "Analysis and reporting",
                "You prepare statistics and the national and international reports on arms exports, such as the "
                "Arms Trade Treaty report and the UN Register return.",
                [refdata, organisations],
            ),
        ]
        for order, (role, title, description, links) in enumerate(sections, start=10):
            register_home_section(title, description, links, roles={role}, order=order)
        register_home_section(
            "Your account",
            "Your details and password, two-factor authentication, and personal API tokens for connecting "
            "your own systems to ExCon.",
            [("My account", "accounts:profile"), ("API documentation", "api:openapi-view")],
            roles=set(Role.values),
            order=900,
        )
