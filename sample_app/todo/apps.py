"""App configuration for the to-do app."""

from django.apps import AppConfig


class TodoConfig(AppConfig):
    """Registers the app; the explicit auto field keeps migrations stable across settings."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "todo"
    verbose_name = "To-do"
