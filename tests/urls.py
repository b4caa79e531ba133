from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from rest_framework.routers import DefaultRouter

from tests.testapp import views

router = DefaultRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view())),
    path("api/", include(router.urls)),
]
