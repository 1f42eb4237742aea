"""The demo data: Ballerup from the seeds, loaded as often as you like."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum

from grants.models import GrantApplication
from partnerships.models import CityNetwork, PartnerCity
from portal.models import SiteSettings

pytestmark = pytest.mark.django_db


def _row_counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for app in ("portal", "partnerships", "budgets", "travel", "grants", "auth")
        for model in apps.get_app_config(app).get_models()
    }


def test_loading_the_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo", "--logins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _row_counts()
    call_command("load_demo", "--logins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _row_counts() == first


def test_demo_is_ballerup_from_the_seeds():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert SiteSettings.current().municipality_name == "Ballerup Kommune"
    assert sorted(PartnerCity.objects.values_list("name", "kind")) == [
        ("Brandenburg an der Havel", "partnership"),
        ("East Kilbride/South Lanarkshire", "twin_town"),
        ("Prag 10", "twin_town"),
        ("Wuxi", "partnership"),
    ]
    assert PartnerCity.objects.get(name="Wuxi").consortium.name == "Bycirklen"
    edge = CityNetwork.objects.get(name="Edge Cities Network")
    assert edge.member_cities.count() == 7
    assert edge.member_cities.aggregate(total=Sum("population"))["total"] == 646_437
    scottish = PartnerCity.objects.get(slug="east-kilbride-south-lanarkshire").exchanges
    assert scottish.filter(direction="incoming").aggregate(s=Sum("staff"))["s"] == 100
    assert scottish.filter(kind="staff_study_visit").aggregate(s=Sum("staff"))["s"] == 40


def test_demo_logins_are_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", "--logins")
    assert not get_user_model().objects.exists()


def test_demo_trips_and_budget_agree_to_the_krone():
    from budgets.selectors import balance_of
    from travel.models import Trip

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    wuxi = Trip.objects.get(slug="2025-10-bsu-wuxi")
    actual = wuxi.account_lines.aggregate(total=Sum("actual"))["total"]
    balance = balance_of(wuxi.budget_line)
    assert actual == balance.committed == 61_750
    assert wuxi.corrections.get().summary == "Hotelomkostning rettet efter den endelige faktura"
    assert Trip.objects.get(slug="2026-04-ecn-nacka").state == "published"  # awaits approval


@pytest.mark.django_db(transaction=True)
def test_the_demo_sends_no_email(mailoutbox):
    # Committing for real, as `make run` does: receipts and letters are due to go out.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert GrantApplication.objects.count() == 14
    assert mailoutbox == []
    # Nor later, when the mail worker runs (as `make run` starts it).
    call_command("send_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mailoutbox == []
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
