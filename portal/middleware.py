from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.http.request import split_domain_port
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from portal.i18n import API_PREFIX, request_language
from portal.opendata import FORMATS

# No inline scripts or styles anywhere, so the policy can be strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class OpenDataCorsMiddleware:
    """Public data may be read by scripts on any web site: CORS for reads of the API and of
    the CSV/JSON downloads. No credentials are ever allowed, and nothing else is opened."""

    ALLOW_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith("/api/")
        if (
            is_api
            and request.method == "OPTIONS"
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
        ):
            response = HttpResponse(status=204)  # the browser's preflight
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = self.ALLOW_HEADERS
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        is_download = request.GET.get("format") in FORMATS or getattr(response, "open_data", False)
        if request.method in ("GET", "HEAD", "OPTIONS") and (is_api or is_download):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        return response


class PrivatePagesMiddleware:
    """No shared cache, proxy or browser history keeps a page a signed-in user was given.
    (An applicant's case pages are marked by their views, with `never_cache`.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class TypedLineEndingsMiddleware:
    """A text typed into a form keeps the line endings it had on the page (`\\n`): browsers
    send a textarea's line breaks as `\\r\\n`, so an untouched text would otherwise differ
    from what is stored, be saved again and be audited as changed. One place for every form
    and the admin; a single-line input cannot hold a line break, so only texts change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After every middleware's __call__ (the body's size is checked first), like the
        # CSRF check's read of the same form.
        if request.method != "POST" or request.content_type not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return None
        posted = request.POST
        if not any("\r" in value for _key, values in posted.lists() for value in values):
            return None
        normalised = posted.copy()
        for key, values in posted.lists():
            normalised.setlist(key, [typed_text(value) for value in values])
        normalised._mutable = False
        request.POST = normalised
        return None


def typed_text(value: str) -> str:
    """A posted text with the line endings it was typed with."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


class ApiLanguageMiddleware:
    """The API answers in the language its client asks for (Accept-Language): after
    LocaleMiddleware, which gives an address without a language prefix the default
    language whatever the client says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            request.LANGUAGE_CODE = request_language(request)
            translation.activate(request.LANGUAGE_CODE)
        return self.get_response(request)


class MunicipalityMiddleware:
    """The request's host name selects the municipality it is for (portal.municipalities):
    everything the request reads and writes is that municipality's (portal.scoping), its
    addresses carry no prefix in that municipality's default language, and an unknown host
    gets a 404. The service's own host names get the national comparison's URLconf, where
    pages read across municipalities and nothing is written."""

    def __init__(self, get_response):
        self.get_response = get_response
        load_addresses()

    def __call__(self, request):
        from django.urls import set_urlconf

        from portal.municipalities import SERVICE, for_host, urlconf_for
        from portal.scoping import every_municipality, import_urls_outside, municipality

        found = for_host(split_domain_port(request.get_host())[0])
        if found is None:
            return HttpResponseNotFound(
                translation.gettext("No portal answers at this address."),
                content_type="text/plain; charset=utf-8",
            )
        if found is SERVICE:
            request.urlconf = settings.SERVICE_URLCONF
            import_urls_outside(request.urlconf)
            request.municipality = None
            scope = every_municipality()
        else:
            request.urlconf = urlconf_for(found)
            request.municipality = found
            scope = municipality(found)
        with scope:
            set_urlconf(request.urlconf)
            response = self.get_response(request)
        if response.streaming:
            response.streaming_content = _in_scope(response.streaming_content, found)
        return response


def load_addresses() -> None:
    """Every URLconf imported at the start, outside any municipality
    (portal.scoping.import_urls_outside, which each activation also calls for its own)."""
    from portal.scoping import import_urls_outside

    for urlconf in (
        settings.ROOT_URLCONF,
        settings.SERVICE_URLCONF,
        *(
            settings.MUNICIPALITY_URLCONF.format(language=code)
            for code in settings.SHIPPED_LANGUAGES
        ),
    ):
        import_urls_outside(urlconf)


def _in_scope(content, found):
    """A streamed download is read after the view returned: in its municipality still."""
    from portal.municipalities import SERVICE
    from portal.scoping import every_municipality, municipality

    with every_municipality() if found is SERVICE else municipality(found):
        yield from content


class MunicipalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, with the municipality's languages: an address without a
    prefix is in its default language, and a prefix it does not offer is not a language."""

    def process_request(self, request):
        from portal.municipalities import default_language, offered_codes

        language = translation.get_language_from_path(request.path_info)
        if language not in offered_codes():
            language = default_language()
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
