"""Settings of the benchmark project: SQLite in memory, no middleware, no authentication.

Every flavour gets the same policy: no authentication classes and ``AllowAny`` for DRF REST
and this library's ``DRFGraphQLView`` (DRF's defaults below), and graphene-django's stock
``GraphQLView``, which checks nothing. ``MIDDLEWARE`` is empty for all of them, so the
measured time is the framework's own work, not the project's middleware.
"""

SECRET_KEY = "benchmarks-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "graphene_django",
    "drf_graphql_crud",
    "benchproject",
]

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "benchproject.urls"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# graphene-django's own transaction wrapper stays off (its default); the library wraps each
# mutation in transaction.atomic() itself.
GRAPHENE = {"SCHEMA": "benchproject.lib_schema.schema", "ATOMIC_MUTATIONS": False}
