from django.apps import AppConfig


class BenchProjectConfig(AppConfig):
    name = "benchproject"
    default_auto_field = "django.db.models.BigAutoField"
