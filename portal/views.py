from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from budgets import permissions as budget_permissions
from grants.permissions import is_grant_officer
from partnerships import permissions as partnership_permissions
from partnerships.selectors import public_networks, public_partner_cities
from portal.permissions import is_staff_member, require
from travel import permissions as travel_permissions


def home(request):
    return render(
        request,
        "portal/home.html",
        {
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
        },
    )
