"""The service's own addresses (settings.SERVICE_URLCONF): the national comparison of the
municipalities it hosts, read across them (portal.scoping.every_municipality).

In the service's default language without a prefix (settings.LANGUAGE_CODE), in each other
shipped language under its prefix (/en/, /de/), as a municipality's pages are."""

from django.conf import settings
from django.urls import URLResolver, path

from shell.national import views
from shell.urls import DefaultLanguagePrefix

PAGES = [
    path("", views.comparison, name="national"),
    path("data/", views.data, name="national_data"),
    path("data/trips/", views.trips, name="national_trips"),
    path("data/catalog.jsonld", views.data_catalog, name="national_catalog"),
    path("data/<slug:slug>/datapackage.json", views.data_package, name="national_data_package"),
]

urlpatterns = [URLResolver(DefaultLanguagePrefix(settings.LANGUAGE_CODE), PAGES)]

handler404 = "shell.national.views.page_not_found"
