from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "painwise.monitoring"
    label = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A bad threshold file stops start-up with a message naming the key (docs/settings.md).
        from painwise.monitoring.config import check_rules_config

        check_rules_config()
        from painwise.monitoring import signals

        signals.connect()
