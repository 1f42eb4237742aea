import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from portal.roles import Role
from tests.factories import BudgetLineFactory, BudgetYearFactory, UserFactory


@pytest.fixture
def line():
    """This year's youth line (INT-UNG, 150,000 kr.), which the default scheme pays from."""
    from django.utils import timezone

    today: datetime.date = timezone.localdate()
    return BudgetLineFactory(
        budget_year=BudgetYearFactory(year=today.year), code="INT-UNG", amount=Decimal("150000")
    )


def officer(username: str, email: str | None = None):
    """A grant officer; by default with the address UserFactory gives."""
    user = UserFactory(username=username, **({} if email is None else {"email": email}))
    user.groups.add(Group.objects.get(name=Role.GRANT_OFFICER.value))
    return user


def post_user_with_officer_role(admin_client, user, *, email: str):
    """The admin's user change form, sent as an administrator would to give `user` the grant
    officer role with this email address."""
    from django.urls import reverse

    group = Group.objects.get(name=Role.GRANT_OFFICER.value)
    return admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "email": email,
            "is_active": "on",
            "groups": [group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
