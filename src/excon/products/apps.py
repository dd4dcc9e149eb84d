from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "excon.products"
    label = "products"
    verbose_name = "Product registry"

    def ready(self) -> None:
        from excon.audit.labels import register_verb_labels
        from excon.core.navigation import register_home_section, register_nav_item
        from excon.core.roles import EXPORTER_ROLES, Role

        from .policies import GOVERNMENT_READERS

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
        register_verb_labels(
            {
                "product.created": "Registered the product",
                "product.updated": "Changed the product's particulars",
                "product.submit": "Submitted the product for review",
                "product.start_review": "Started the expert review",
                "product.return": "Returned the product for changes",
                "product.decide": "Decided the product's review",
                "product.reopen": "Reopened the review",
                "product.flagged_for_review": "Flagged for review: documentation changed after the decision",
                "product.classified": "Classified the product",
                "product.reclassified": "Reclassified the product",
                "product.eligibility_decided": "Decided export eligibility",
                "product.stage_waived": "Waived a lifecycle stage",
                "document.uploaded": "Uploaded a document",
                "document.accepted": "Accepted a document",
                "document.returned": "Returned a document with comments",
            }
        )
