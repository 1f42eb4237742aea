"""The baselines each page is measured against, served through the same middleware, and the
change the "after one change" mode makes before each batch of requests."""

from django.http import HttpResponse
from django.shortcuts import render

from partnerships.models import PartnerCity, School


def ok(request):
    """The least a Django view can do."""
    return HttpResponse("ok")


def rows(request, count: int):
    """A bare list page: `count` rows of one table, in a minimal template."""
    cities = PartnerCity.objects.only("name", "slug", "country", "kind", "since")[:count]
    return render(request, "bench/rows.html", {"cities": cities})


def change(request):
    """One record saved that no measured page shows (a school, named by no public page),
    as a secretary saves one: what happens to the readers' pages then is what the "after one
    change" mode measures. The benchmark's URLconf only (bench.settings)."""
    school, _created = School.objects.get_or_create(name="Benchmark school")
    school.save()
    return HttpResponse("changed")
