"""URLs: the REST API under /api/v1/, the GraphQL endpoint at /graphql/ (also where / and a
login lead), admin and login."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import DRFGraphQLView
from todo.views import TagViewSet, TaskViewSet

router = DefaultRouter()
router.register("tasks", TaskViewSet)
router.register("tags", TagViewSet)

# The library's view authenticates like DRF (token or session, with DRF's CSRF rule), so
# ``Authorization: Token ...`` works on /graphql/ exactly as on /api/v1/.
graphql_view = DRFGraphQLView.as_view(graphiql=True)

urlpatterns = [
    path("api/v1/auth/token/", obtain_auth_token, name="api-token-auth"),
    path("api/v1/", include(router.urls)),
    path("api-auth/", include("rest_framework.urls")),
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view, name="graphql"),
    path("", RedirectView.as_view(url="/graphql/")),  # the demo's front page: GraphiQL
]
