"""The baselines each page is measured against, served through the same middleware."""

from django.http import HttpResponse
from django.shortcuts import render

from partnerships.models import PartnerCity


def ok(request):
    """The least a Django view can do."""
    return HttpResponse("ok")


def rows(request, count: int):
    """A bare list page: `count` rows of one table, in a minimal template."""
    cities = PartnerCity.objects.only("name", "slug", "country", "kind", "since")[:count]
    return render(request, "bench/rows.html", {"cities": cities})
