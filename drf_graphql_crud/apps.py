from django.apps import AppConfig


class DrfGraphqlCrudConfig(AppConfig):
    name = "drf_graphql_crud"
    verbose_name = "DRF GraphQL CRUD"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
