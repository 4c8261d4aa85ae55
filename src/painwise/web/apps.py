from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "painwise.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
