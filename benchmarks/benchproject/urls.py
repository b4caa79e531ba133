"""One URL per flavour; all share the settings' authentication and permission policy."""

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from rest_framework.routers import SimpleRouter

from drf_graphql_crud import DRFGraphQLView

from . import crud_schema, gd_schema, lib_schema, rest

router = SimpleRouter()
router.register("tasks", rest.TaskViewSet, basename="task")
router.register("nested-tasks", rest.NestedTaskViewSet, basename="nested-task")

urlpatterns = [
    # DRF REST.
    path("rest/", include(router.urls)),
    # This library: no authentication classes and AllowAny, as REST (set in settings).
    path("graphql/", DRFGraphQLView.as_view(schema=lib_schema.schema, authentication_classes=[])),
    # graphene-django's stock GraphQLView and SerializerMutation (it checks nothing).
    path("gd-graphql/", csrf_exempt(GraphQLView.as_view(schema=gd_schema.schema))),
    # No work at all: what each layer costs by itself (experiments.py --only fixed).
    path("noop/plain/<int:pk>/", rest.noop_view),
    path("noop/drf/<int:pk>/", rest.NoopAPIView.as_view()),
]

if crud_schema.schema is not None:
    urlpatterns.append(
        path(
            "crud-graphql/",
            DRFGraphQLView.as_view(schema=crud_schema.schema, authentication_classes=[]),
        )
    )
