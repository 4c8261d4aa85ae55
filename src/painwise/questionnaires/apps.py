from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "painwise.questionnaires"
    label = "questionnaires"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the `questionnaire_responses` export/import section (painwise.exchange.sections).
        from painwise.questionnaires import config, exchange  # noqa: F401

        config.check_settings()
