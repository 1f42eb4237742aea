from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLResolver, include, path
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal.municipalities import default_language
from portal.pagecache import public_page
from shell import views
from shell.sitemaps import SITEMAPS, sitemap_index

admin.site.site_header = admin.site.site_title = _("International portal: administration")

WITHOUT_LANGUAGE = [
    path("api/", include("shell.api_urls")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        public_page(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, reads=["p"]),
        {"sitemaps": SITEMAPS, "template_name": "portal/sitemap.xml"},
        name="sitemap_section",
    ),
    # Without a CSRF token, so that public pages carry none and can be cached whole: the
    # worst a forged request can do is switch a visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]


class DefaultLanguagePrefix(LocalePrefixPattern):
    """Django's language prefix (i18n_patterns), none for `default`: the default language of
    the municipalities this URLconf serves (portal.municipalities.urlconf_for); for the root
    URLconf (default None), the default language of the moment."""

    def __init__(self, default: str | None):
        super().__init__(prefix_default_language=False)
        self.default = default

    @property
    def language_prefix(self):
        from django.utils.translation import get_language

        default = self.default or default_language()
        language = get_language() or default
        return "" if language == default else f"{language}/"


PAGES = [
    path("", views.home, name="home"),
    # In every language like the staff pages: /admin/ in the default one, /en/admin/ ...
    path("admin/", admin.site.urls),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", views.search, name="search"),
    path("data/", views.data, name="data"),
    path("data/catalog.jsonld", views.data_catalog, name="data_catalog"),
    path("data/<slug:slug>/datapackage.json", views.data_package, name="data_package"),
    path("data/api/", views.api_docs, name="api_docs"),
    path("", include("partnerships.urls")),
    path("", include("budgets.urls")),
    path("", include("travel.urls")),
    path("", include("grants.urls")),
]


def patterns(default: str | None) -> list:
    """Every address, the pages' with a language prefix except in the `default` language."""
    return [*WITHOUT_LANGUAGE, URLResolver(DefaultLanguagePrefix(default), PAGES)]


urlpatterns = patterns(None)

handler404 = "shell.views.page_not_found"
