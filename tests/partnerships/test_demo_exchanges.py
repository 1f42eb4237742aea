"""The demo's exchanges belong to its coordinators and name schools on record, so that the
demo shows a coordinator reading a colleague's exchange and editing their own."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from partnerships.models import Exchange, School

pytestmark = pytest.mark.django_db


def test_the_demo_exchanges_have_coordinators_and_schools(settings, client):
    settings.DEBUG = True
    call_command("load_demo", "--logins", stdout=open(os.devnull, "w"))  # noqa: SIM115

    owners = dict(Exchange.objects.values_list("title", "registered_by__username"))
    assert set(owners.values()) == {"koordinator", "koordinator2"}
    assert owners["Elevudveksling med Wuxi"] == "koordinator"
    assert owners["Lærerudveksling med Prag 10"] == "koordinator2"
    assert sorted(set(Exchange.objects.values_list("school__name", flat=True))) == [
        "Administrationen, kontorelever",
        "Baltorpskolen",
        "Folkeskolerne, 9. klasse",
        "Hjemmeplejen",
        "Skovlunde Skole",
    ]
    assert School.objects.filter(name="Hedegårdsskolen").exists()  # none registered yet

    client.force_login(Exchange.objects.get(title="Elevudveksling med Wuxi").registered_by)
    prague = Exchange.objects.get(title="Lærerudveksling med Prag 10")
    page = client.get(reverse("partnerships:exchange_detail", args=[prague.pk]))
    assert "<h1>Lærerudveksling med Prag 10</h1>" in page.content.decode()
    assert page.context["can_edit"] is False

    call_command("load_demo", "--logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert dict(Exchange.objects.values_list("title", "registered_by__username")) == owners
