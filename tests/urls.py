from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from drf_graphql_crud import DRFGraphQLView
from tests.testapp import views

router = DefaultRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view())),
    path("api/", include(router.urls)),
]

# The same schema behind DRF's authentication, throttling and CSRF rules.
urlpatterns += [
    path("drf-graphql/", DRFGraphQLView.as_view()),
    path(
        "token-graphql/",
        DRFGraphQLView.as_view(
            authentication_classes=[TokenAuthentication, SessionAuthentication],
            throttle_classes=[ScopedRateThrottle],
            throttle_scope="graphql",
        ),
    ),
]
