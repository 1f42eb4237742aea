"""The national comparison: every municipality the service hosts, side by side."""

from django.template.response import TemplateResponse

from portal.models import Municipality


def comparison(request):
    municipalities = Municipality.objects.filter(publishes_nationally=True).prefetch_related(
        "hosts"
    )
    return TemplateResponse(request, "shell/national.html", {"municipalities": municipalities})
