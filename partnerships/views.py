from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from partnerships import datasets, permissions
from partnerships.filters import ExchangeFilter, PartnerCityFilter
from partnerships.forms import ExchangeForm
from partnerships.models import Charter, CharterAttachment, Exchange
from partnerships.selectors import (
    activity_by_year,
    public_networks,
    public_partner_cities,
)
from portal.contributions import contributions
from portal.listpages import list_page
from portal.opendata import LIST_PAGE_READS
from portal.pagecache import public_page
from portal.pagination import paginate
from portal.permissions import require
from portal.uploads import file_response

# Public pages


@public_page(reads=(PartnerCityFilter, *LIST_PAGE_READS))
def city_list(request):
    filterset = PartnerCityFilter(request.GET, queryset=public_partner_cities())
    return list_page(
        request,
        "partnerships/city_list.html",
        datasets.PARTNER_CITIES,
        filterset.qs,
        filter=filterset,
    )


@public_page
def city_detail(request, slug):
    city = get_object_or_404(public_partner_cities(), slug=slug)
    activity = activity_by_year(city)
    return render(
        request,
        "partnerships/city_detail.html",
        {
            "city": city,
            "activity_years": activity.years,
            "quiet_years": activity.quiet_years,
            "min_group": settings.STATISTICS_MIN_GROUP,
            # The trips to it and the grants for trips to it, from the apps that keep them.
            **{
                key: value
                for contributor in contributions("partner_city")
                for key, value in contributor(city).items()
            },
        },
    )


@public_page(reads=LIST_PAGE_READS)
def network_list(request):
    return list_page(
        request, "partnerships/network_list.html", datasets.NETWORKS, public_networks()
    )


@public_page
def network_detail(request, slug):
    network = get_object_or_404(public_networks(), slug=slug)
    membership = getattr(network, "membership", None)
    return render(
        request,
        "partnerships/network_detail.html",
        {
            "network": network,
            "membership": membership,
            "working_groups": list(membership.working_groups.all()) if membership else [],
            "member_cities": network.member_cities.all(),
            "charters": network.charters.all(),
        },
    )


@public_page(reads=LIST_PAGE_READS)
def charter_list(request):
    charters = Charter.objects.select_related("network")
    return list_page(request, "partnerships/charter_list.html", datasets.CHARTERS, charters)


@public_page
def charter_detail(request, slug):
    charter = get_object_or_404(
        Charter.objects.select_related("network").prefetch_related("attachments"), slug=slug
    )
    return render(request, "partnerships/charter_detail.html", {"charter": charter})


def charter_attachment(request, slug, pk):
    attachment = get_object_or_404(CharterAttachment, charter__slug=slug, pk=pk)
    return file_response(attachment.file, filename=attachment.file.name.rsplit("/")[-1])


# Staff pages


STAFF_EXCHANGES = Exchange.objects.select_related("school", "partner_city", "registered_by")


def _get_exchange_for_editor(request, pk) -> Exchange:
    """The exchange if the user may edit it: 404 if it does not exist, 403 if not theirs."""
    exchange = get_object_or_404(STAFF_EXCHANGES, pk=pk)
    require(permissions.can_edit_exchange(request.user, exchange))
    return exchange


@login_required
def exchange_list(request):
    """Every exchange, a colleague's too: each opens to be read, and offers editing where the
    user may edit it (partnerships.permissions)."""
    require(permissions.can_list_exchanges(request.user))
    filterset = ExchangeFilter(request.GET, queryset=STAFF_EXCHANGES, request=request)
    page = paginate(request, filterset.qs)
    for exchange in page.object_list:
        exchange.editable = permissions.can_edit_exchange(request.user, exchange)
    return render(
        request,
        "partnerships/staff/exchange_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_register": permissions.can_register_exchanges(request.user),
        },
    )


@login_required
def exchange_detail(request, pk):
    """One exchange as registered, with its report, for every coordinator to read; editing
    only for the one who registered it (or an administrator)."""
    exchange = get_object_or_404(STAFF_EXCHANGES, pk=pk)
    require(permissions.can_read_exchange(request.user, exchange))
    return render(
        request,
        "partnerships/staff/exchange_detail.html",
        {
            "exchange": exchange,
            "can_edit": permissions.can_edit_exchange(request.user, exchange),
        },
    )


@login_required
def exchange_create(request):
    require(permissions.can_register_exchanges(request.user))
    form = ExchangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exchange = form.save(commit=False)
        exchange.registered_by = request.user
        exchange.save()
        messages.success(
            request, _("The exchange “%(title)s” is registered.") % {"title": exchange.title}
        )
        return redirect("partnerships:exchange_list")
    return render(request, "partnerships/staff/exchange_form.html", {"form": form})


@login_required
def exchange_edit(request, pk):
    exchange = _get_exchange_for_editor(request, pk)
    form = ExchangeForm(request.POST or None, instance=exchange)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("The exchange “%(title)s” is saved.") % {"title": exchange.title}
        )
        return redirect("partnerships:exchange_detail", pk=exchange.pk)
    return render(
        request, "partnerships/staff/exchange_form.html", {"form": form, "exchange": exchange}
    )
