import json
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import get_language_from_path, override
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found as django_page_not_found

from budgets import permissions as budget_permissions
from grants.permissions import is_grant_officer
from partnerships import permissions as partnership_permissions
from partnerships.selectors import (
    public_networks,
    public_partner_cities,
)
from portal import api_reference, catalogue, costly, csvexport, datapackage, opendata, outbox
from portal import search as search_tools
from portal.contributions import contributions
from portal.forms import LoginForm
from portal.i18n import API_PREFIX
from portal.models import SiteSettings
from portal.money import format_number
from portal.municipalities import default_language, offered_languages
from portal.pagecache import public_page
from portal.permissions import is_staff_member, require
from shell import workload
from shell.figures import headline_figures
from travel import permissions as travel_permissions


@public_page
def home(request):
    year, figures = headline_figures(timezone.localdate())
    return render(
        request,
        "portal/home.html",
        {
            "figures_year": year,
            "figures": figures,
            "partner_cities": public_partner_cities().filter(status="active")[:12],
            "networks": public_networks()[:12],
        },
    )


@login_required
def staff_dashboard(request):
    require(is_staff_member(request.user))
    user = request.user
    return render(
        request,
        "portal/staff/dashboard.html",
        {
            "roles": [group.name for group in user.groups.all()],
            "can_register_exchanges": partnership_permissions.can_register_exchanges(user),
            "can_list_exchanges": partnership_permissions.can_list_exchanges(user),
            "can_admin": user.is_staff,
            "can_edit_follow_up": budget_permissions.can_edit_follow_up(user),
            "can_manage_trips": travel_permissions.can_manage_trips(user),
            "is_grant_officer": is_grant_officer(user),
            "follow_up_year": timezone.localdate().year,
            "counts": workload.counts(user),
            "mail": outbox.health(),
        },
    )


# Open data


@public_page
def data(request):
    """The data page: every dataset, its downloads and a dictionary of its columns."""
    return render(
        request,
        "portal/data.html",
        {
            "datasets": opendata.datasets(),
            "catalog": _catalog_json(),
            "license_url": settings.OPEN_DATA_LICENSE_URL,
            # Stated in the reader's language: ";" or "," and 1.234,50 or 1,234.50.
            "csv_separator": f"“{csvexport.delimiter()}”",
            "csv_number": csvexport.plain_number(2)(Decimal("1234.50")),
            "xlsx_max_rows": format_number(settings.XLSX_MAX_ROWS),
        },
    )


def data_catalog(request):
    """The DCAT catalogue on its own, for harvesters."""
    response = HttpResponse(_catalog_json(), content_type="application/ld+json")
    response.open_data = True
    return response


def _catalog_json() -> str:
    site = SiteSettings.current()
    document = catalogue.catalog(
        publisher=site.municipality_name,
        catalog_url=opendata.absolute_url(reverse("data")),
        contact_email=site.contact_email,
        homepage=opendata.absolute_url(reverse("home")),
    )
    # Compact: json's C encoder (indenting takes its pure-Python path, most of the data
    # page's time). Safe inside <script type="application/ld+json">: no "</script>" forms.
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@public_page
def data_package(request, slug: str):
    """A dataset's Frictionless Data Package (datapackage.json), in the page's language."""
    dataset = opendata.DATASETS.get(slug)
    csv_path = dataset and opendata.whole_download(dataset)
    if not csv_path:
        raise Http404
    site = SiteSettings.current()
    document = datapackage.package(
        dataset,
        csv_path=csv_path,
        publisher=site.municipality_name,
        homepage=opendata.absolute_url(reverse("home")),
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="datapackage.json"'
    return response


@public_page
def api_docs(request):
    """The API's documentation, drawn from its OpenAPI document, in the reader's language."""
    return render(
        request,
        "portal/api_docs.html",
        {"endpoints": api_reference.endpoints(), "any": api_reference.ANY},
    )


SEARCH_LIMIT = search_tools.SHOWN  # results per kind; more means the query should be narrower


# What each search section finds, and which of a result's texts its snippet comes from.
def search(request):
    query = search_tools.clean(request.GET.get("q", ""))
    sections = []
    if query and (refused := costly.too_many(request, costly.SEARCH)):
        return refused
    if query:
        for section in contributions("search"):
            found = list(section.find(query)[: SEARCH_LIMIT + 1])
            fields = section.snippet_fields
            for result in found:
                texts = [str(getattr(result, name, "") or "") for name in fields]
                result.snippet = search_tools.snippet(texts, query) if fields else ""
            sections.append(
                {
                    "title": section.title,
                    "results": found[:SEARCH_LIMIT],
                    "more": len(found) > SEARCH_LIMIT,
                }
            )
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "sections": sections,
            "found": any(section["results"] for section in sections),
        },
    )


def robots_txt(request):
    """Every language's private addresses disallowed (the default language's have no
    prefix, the others' their code), and the sitemap."""
    prefixes = [
        "" if code == default_language() else f"/{code}" for code, _name in offered_languages()
    ]
    lines = ["User-agent: *", "Disallow: /admin/"]
    for prefix in prefixes:
        lines += [f"Disallow: {prefix}/staff/", f"Disallow: {prefix}/grants/case/"]
    lines.append(f"Sitemap: {opendata.absolute_url(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception):
    """404: a page for people, JSON for the API's clients."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return django_page_not_found(request, exception)


class LoginView(auth_views.LoginView):
    """The staff login; a signed-in user is sent on at once. A `next` that leads back to
    the login page (in any language) is dropped for the staff front page: followed, it
    would send a signed-in user round in a loop, which Django refuses with an error."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        return "" if url and _is_login_address(url) else url


def _is_login_address(url: str) -> bool:
    path = urlsplit(url).path
    with override(get_language_from_path(path) or default_language()):
        try:
            return resolve(path).view_name == "login"
        except Resolver404:
            return False


def login_locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes answers a locked-out user name and address, on either login form:
    the login page with the reason, in the visitor's language (429)."""
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    message = LoginForm.error_messages["throttled"] % {"minutes": minutes}
    return render(
        request,
        "registration/login.html",
        {"form": LoginForm(request), "lockout_message": message},
        status=429,
    )
