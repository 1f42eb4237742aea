"""The service's own addresses (settings.SERVICE_URLCONF): the national comparison of the
municipalities it hosts, read across them (portal.scoping.every_municipality).

In the service's default language without a prefix (settings.LANGUAGE_CODE), in each other
shipped language under its prefix (/en/, /de/), as a municipality's pages are."""

from django.conf import settings
from django.urls import URLResolver, path

from portal.opendata import FORMAT_PARAMETER
from portal.pagecache import public_page
from shell.national import views
from shell.urls import DefaultLanguagePrefix

PAGES = [
    # Kept in the page cache for anonymous readers like a municipality's pages: stale once
    # any municipality writes a table it read (its versions are read across them all).
    # A year is stored; a region or an order is served but not stored (a bare name keeps
    # only whole numbers).
    path(
        "",
        public_page(views.comparison, reads=["year", "region", "order", FORMAT_PARAMETER]),
        name="national",
    ),
    path("data/", views.data, name="national_data"),
    path("data/trips/", views.trips, name="national_trips"),
    path("data/catalog.jsonld", views.data_catalog, name="national_catalog"),
    path("data/<slug:slug>/datapackage.json", views.data_package, name="national_data_package"),
]

urlpatterns = [URLResolver(DefaultLanguagePrefix(settings.LANGUAGE_CODE), PAGES)]

handler404 = "shell.national.views.page_not_found"
