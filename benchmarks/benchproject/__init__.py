"""The benchmark's own Django project: settings, models, serializers, REST and GraphQL views.

It depends on nothing under ``tests/``, so ``make bench`` measures only what is here.
"""
