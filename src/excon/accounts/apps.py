from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "excon.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"
