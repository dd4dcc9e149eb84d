from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "excon.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"

    def ready(self) -> None:
        from excon.audit.labels import register_verb_labels
        from excon.core.navigation import register_nav_item
        from excon.core.roles import EXPORTER_ROLES, Role

        government_roles = set(Role.values) - set(EXPORTER_ROLES)
        register_nav_item("Organisations", "accounts:organisation_list", roles=government_roles, order=20)
        register_nav_item("Your organisation", "accounts:organisation_list", roles=set(EXPORTER_ROLES), order=20)
        # Users: the roles whose list holds more than themselves (policies.can_list_all_users, exporter admins).
        register_nav_item(
            "Users", "accounts:user_list", roles={Role.SYSTEM_ADMIN, Role.AUDITOR, Role.EXPORTER_ADMIN}, order=30
        )
        register_nav_item("My account", "accounts:profile", roles=None, order=900)
        register_verb_labels(
            {
                "organisation.created": "Registered the organisation",
                "organisation.updated": "Changed the organisation's details",
                "organisation.status_changed": "Changed the organisation's status",
                "user.created": "Created the user",
                "user.updated": "Changed the user's details",
                "user.roles_changed": "Changed the user's roles",
                "user.clearance_changed": "Changed the user's clearance",
                "user.deactivated": "Deactivated the user",
                "user.reactivated": "Reactivated the user",
                "user.password_changed": "Changed the password",
                "user.logged_in": "Signed in",
                "api_token.created": "Created an API token",
                "api_token.revoked": "Revoked an API token",
                "mfa.enrolment_started": "Started setting up two-factor authentication",
                "mfa.device_confirmed": "Set up two-factor authentication",
                "mfa.reset": "Reset two-factor authentication",
            }
        )
