from django.apps import AppConfig


class WorktasksConfig(AppConfig):
    name = "regie.worktasks"
    label = "worktasks"
    verbose_name = "Taken"
