from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "painwise.reminders"
    default_auto_field = "django.db.models.BigAutoField"
