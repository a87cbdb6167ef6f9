from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "regie.letters"
    label = "letters"
    verbose_name = "Brieven"

    def ready(self) -> None:
        # pages12: the case page's timeline rows (casework, below this app) show a letter's actions through this hook
        from regie.casework.templatetags.timeline import register_row_extra

        from .templatetags.letters import timeline_actions

        register_row_extra(timeline_actions)
