from django.apps import AppConfig


class PharmacovigilanceConfig(AppConfig):
    name = "painwise.pharmacovigilance"
    label = "pharmacovigilance"
    default_auto_field = "django.db.models.BigAutoField"
