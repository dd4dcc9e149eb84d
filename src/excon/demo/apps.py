from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world. Like `reports`, it sits on top: it may use every app's services, and nothing imports it."""

    name = "excon.demo"
    label = "demo"
    verbose_name = "Demo world"
