from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "painwise.diary"
    label = "diary"
    default_auto_field = "django.db.models.BigAutoField"
