"""Pagination and throttling of /api/, named in settings.REST_FRAMEWORK.

Kept apart from portal.api: DRF imports these while its views module loads.
"""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle

from portal.pagination import PAGE_SIZE


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 500

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

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
