from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "excon.products"
    label = "products"
    verbose_name = "Product registry"

    def ready(self) -> None:
        from excon.audit.labels import register_verbs
        from excon.core.labels import register_module_labels
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import EXPORTER_ROLES, Role
        from excon.core.workflow import register_workflow

        from . import enums, policies, workflow
        from .enums import AuditVerb
        from .models import Product
        from .policies import GOVERNMENT_READERS
        from .services.products import check_product_move, stamp_product_move

        register_nav_item("Products", "products:list", roles=set(EXPORTER_ROLES) | set(GOVERNMENT_READERS), order=40)
        register_nav_item("Review queue", "products:queue", roles={Role.TECHNICAL_EXPERT}, order=41)
        register_home_section(
            "Your products",
            "Register your products and their technical documentation for each lifecycle stage, then submit them "
            "to the Ministry of Defence's technical experts for classification and an export-eligibility decision.",
            [
                ("My products", "products:list"),
                ("Register a product", "products:create"),
                ("Import products from a CSV file", "products:import"),
            ],
            roles=set(EXPORTER_ROLES),
            order=5,
        )
        register_home_section(
            "Product review",
            "Review technical documentation, classify products against the control lists and decide export "
            "eligibility.",
            [("Review queue", "products:queue"), ("Search products", "products:list")],
            roles={Role.TECHNICAL_EXPERT},
            order=5,
        )
        register_verbs(AuditVerb)
        register_module_labels(enums)
        register_workflow(
            Product,
            workflow.TABLE,
            policy=policies.can_transition_product,
            check=check_product_move,
            stamp=stamp_product_move,
        )
