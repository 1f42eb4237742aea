"""Filtering, pagination and throttling of /api/, named in settings.REST_FRAMEWORK.

Kept apart from portal.api: DRF imports these while its views module loads.
"""

from functools import partial

from django.conf import settings
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.utils.urls import remove_query_param, replace_query_param

from portal.base_url import base_url
from portal.clients import client_group
from portal.i18n import request_language
from portal.pagination import PAGE_SIZE, BoundedPaginator


class ListFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the list's filterset on the view for the pagination
    to ask for a count it knows without counting (`PortalFilterSet.known_count`)."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset

    def filter_queryset(self, request, queryset, view):
        """A bad filter's message in the client's language (Accept-Language); the rows
        are read as every client gets them (portal.api.LanguageNeutral)."""
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        with translation.override(request_language(request)):
            if not filterset.is_valid():
                raise translate_validation(filterset.errors)
        return filterset.qs


class Pagination(PageNumberPagination):
    """Pages of up to max_page_size rows, no deeper than LIST_DEPTH_ROWS rows: `count` is
    every row the filters select; past the deepest page, a 404 says to filter or download."""

    django_paginator_class = BoundedPaginator
    invalid_page_message = (
        "No such page: pages go {depth} rows deep. Choose fewer rows with the list's filters "
        "(a year, for instance), or download the whole list from its page (?format=csv or "
        "?format=json)."
    )
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()  # ?page=last would be a string where the document says integer

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        self.invalid_page_message = type(self).invalid_page_message.replace(
            "{depth}", f"{settings.LIST_DEPTH_ROWS:,}"
        )
        # The list's filters may know its count without counting (ListFilterBackend).
        filterset = getattr(view, "filterset", None)
        count = filterset.known_count() if hasattr(filterset, "known_count") else None
        self.django_paginator_class = partial(BoundedPaginator, count=count)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound(self._no_such_page(queryset, request)) from None

    def _no_such_page(self, queryset, request) -> str:
        """Why a page is not there: not a page number, past the end of the list (it says how
        many pages there are), or past the depth the pages go (filter or download)."""
        number = str(self.get_page_number(request, None))
        if not number.isdigit() or int(number) < 1:
            return "No such page: a page is a whole number from 1."
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        if paginator.bounded:
            return self.invalid_page_message
        pages = paginator.num_pages
        return (
            f"No such page: page {number} is past the end of the list, which has "
            f"{paginator.count:,} rows in {pages:,} {'page' if pages == 1 else 'pages'} "
            f"of up to {paginator.per_page:,}."
        )

    # `next` and `previous` from PORTAL_BASE_URL: DRF's come from the request's Host header,
    # which a cache in front may not key on.
    def _address(self) -> str:
        return base_url() + self.request.get_full_path()

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(
            self._address(), self.page_query_param, self.page.next_page_number()
        )

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self._address(), self.page_query_param)
        return replace_query_param(self._address(), self.page_query_param, number)

    def get_page_number(self, request, paginator):
        # DRF reads ?page= (empty) as page 1; the document says a page is a whole number.
        return request.query_params.get(self.page_query_param, 1)

    def get_page_size(self, request) -> int:
        """A page_size that is not a whole number from 1 up is a mistake worth telling."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # OpenAPI 3.1 (JSON Schema) spelling: DRF's own says "nullable", which 3.1 dropped.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }


class PublicDataThrottle(SimpleRateThrottle):
    """Requests per client address. The rate (API_THROTTLE_RATE) is read on every request, so
    a deployment or a test can change it; counts live in the default cache, which must be
    shared (Redis) when several app servers run."""

    scope = "public_data"

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE

    def get_ident(self, request) -> str:
        # The same client as the login throttle and the form limits (portal.clients), not
        # DRF's reading of X-Forwarded-For, which a client can write.
        return client_group(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


PAGING = {"page", "page_size"}
ERROR = {
    "type": "object",
    "description": "What was wrong: `detail`, or a list of messages per parameter.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    "400": "A parameter has a value it cannot have (a filter, page or page_size).",
    "404": "No such item, or a page beyond the last.",
    "429": "Too many requests from this address; wait the seconds in Retry-After.",
}


def _stable_titles(schema: dict) -> None:
    """A property's title is a stable identifier, the same in every deployment whatever its
    language (generated clients name classes after titles): a dataset column's English
    heading, else made from the property's key. The label in the document's language,
    DRF's title, becomes the description where the field has none."""
    for key, prop in schema.get("properties", {}).items():
        label = prop.pop("title", None)
        if label and not prop.get("description"):
            prop["description"] = label
        stable = prop.pop("x-stable-title", None)
        prop["title"] = stable or key.replace("_", " ").capitalize()
        _stable_titles(prop)
        if isinstance(prop.get("items"), dict):
            _stable_titles(prop["items"])


def document_conventions(result, generator, request, public):
    """drf-spectacular post-processing: every operation may answer 400, 404 or 429, and a
    choice filter left empty (as an HTML form sends it) means "any", as on the pages. The
    document names its server, PORTAL_BASE_URL: a client then does not take the address it
    fetched the document from (a Host header a cache in front may not key on). Every
    operation is public (no security); property titles are stable identifiers."""
    result["servers"] = [{"url": base_url()}]
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    for schema in schemas.values():
        _stable_titles(schema)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            # Public: no security at all. drf-spectacular writes [{}] ("optional"), which
            # makes generated clients ask for a token they never need.
            operation["security"] = []
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                is_filter = parameter["in"] == "query" and parameter["name"] not in PAGING
                if is_filter and schema.get("type") in ("number", "integer"):
                    parameter["schema"] = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
                for choices in (schema.get("enum"), schema.get("items", {}).get("enum")):
                    if choices is not None and "" not in choices:
                        choices.append("")
            for status, text in ERRORS.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": text,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
