from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "excon.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels
        from excon.core.navigation import register_nav_item
        from excon.core.roles import EXPORTER_ROLES, Role

        from . import enums
        from .enums import AuditVerb
        from .middleware import stamp_sign_in

        # Session bookkeeping, not a business rule: the absolute lifetime counts from the sign-in.
        user_logged_in.connect(stamp_sign_in, dispatch_uid="excon.accounts.stamp_sign_in")

        government_roles = set(Role.values) - set(EXPORTER_ROLES)
        register_nav_item("Organisations", "accounts:organisation_list", roles=government_roles, order=20)
        register_nav_item("Your organisation", "accounts:organisation_list", roles=set(EXPORTER_ROLES), order=20)
        # Users: the roles whose list holds more than themselves (policies.can_list_all_users, exporter admins).
        register_nav_item(
            "Users", "accounts:user_list", roles={Role.SYSTEM_ADMIN, Role.AUDITOR, Role.EXPORTER_ADMIN}, order=30
        )
        # "My account" and the inbox are in the header for every role, not in the main navigation (one line).
        register_verbs(AuditVerb)
        register_module_labels(enums)
