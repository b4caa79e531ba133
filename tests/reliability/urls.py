"""The test project's URLs, plus the reliability schema behind ``DRFGraphQLView``.

- ``/rel-graphql/``: DRF's default authentication of the test project (session, CSRF).
- ``/rel-token-graphql/``: token or session, no throttling (the suites send many requests).
"""

from django.urls import path
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from drf_graphql_crud import DRFGraphQLView
from tests.reliability.schema import rel_schema
from tests.urls import urlpatterns as project_urlpatterns

REL_URL = "/rel-graphql/"
REL_TOKEN_URL = "/rel-token-graphql/"

urlpatterns = [
    *project_urlpatterns,
    path(REL_URL.strip("/") + "/", DRFGraphQLView.as_view(schema=rel_schema)),
    path(
        REL_TOKEN_URL.strip("/") + "/",
        DRFGraphQLView.as_view(
            schema=rel_schema,
            authentication_classes=[TokenAuthentication, SessionAuthentication],
            throttle_classes=[],
        ),
    ),
]
