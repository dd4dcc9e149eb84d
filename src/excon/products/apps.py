from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "excon.products"
    label = "products"
    verbose_name = "Product registry"
