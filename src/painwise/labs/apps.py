from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "painwise.labs"
    label = "labs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the `lab_results` export/import section (painwise.exchange.sections).
        from painwise.labs import exchange  # noqa: F401
