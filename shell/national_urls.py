"""The service's own addresses (settings.SERVICE_URLCONF): the national comparison of the
municipalities it hosts, read across them (portal.scoping.every_municipality)."""

from django.urls import path

from shell import national

urlpatterns = [
    path("", national.comparison, name="national"),
]
