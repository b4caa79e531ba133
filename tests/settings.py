"""Test project settings. DATABASE_URL picks the database (SQLite in memory when unset)."""

import dj_database_url

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"

DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
# For the tests of database routing (tests/routers.py routes nothing unless a test says so):
# a second database, and on PostgreSQL a read replica (another connection to the same one).
if "sqlite" in DATABASES["default"]["ENGINE"]:
    DATABASES["other"] = {"ENGINE": DATABASES["default"]["ENGINE"], "NAME": ":memory:"}
else:
    DATABASES["other"] = {**DATABASES["default"], "NAME": DATABASES["default"]["NAME"] + "_other"}
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["tests.routers.SteeredRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "rest_framework",
    "rest_framework.authtoken",
    "graphene_django",
    "drf_graphql_crud",
    "tests.testapp",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "tests.testapp.backends.OwnerObjectPermissionBackend",
]

ROOT_URLCONF = "tests.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = "/tmp/drf_graphql_crud_test_media"
MEDIA_URL = "/media/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_RATES": {"graphql": "5/min"},
}

GRAPHENE = {"SCHEMA": "tests.testapp.schema.schema"}

# Django 6.1's email configuration (earlier versions ignore it); the test run swaps each
# mailer for the in-memory one, as it swaps EMAIL_BACKEND.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
