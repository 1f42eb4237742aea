"""Roles that cannot be escalated, a public record that cannot be destroyed, an audit log that
reads as money and words, and demo accounts that never open production. Each attack is
performed and the database is checked unchanged."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.models import ProtectedError
from django.test import Client, override_settings
from django.urls import reverse

from budgets.models import Commitment
from budgets.services import book_commitment
from grants.enums import ApplicationState
from grants.models import GrantApplication
from portal.models import AuditEntry, DemoAccount, OutboxMail, SiteSettings
from portal.roles import Role
from tests.factories import (
    BudgetLineFactory,
    GrantApplicationFactory,
    TripFactory,
    UserFactory,
)
from travel.models import Correction, Trip

pytestmark = pytest.mark.django_db
User = get_user_model()


def user_row(user) -> dict:
    return User.objects.filter(pk=user.pk).values().get()


# Roles cannot be escalated


def test_an_administrator_cannot_make_itself_superuser(client, administrator):
    client.force_login(administrator)
    before = user_row(administrator)
    url = reverse("admin:auth_user_change", args=[administrator.pk])
    response = client.post(
        url,
        {
            "username": administrator.username,
            "email": administrator.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    assert user_row(administrator) == before
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_an_administrator_cannot_set_another_officers_password(
    client, administrator, grant_officer
):
    client.force_login(administrator)
    before = user_row(grant_officer)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[grant_officer.pk]),
        {"password1": "overtaget-2026!", "password2": "overtaget-2026!", "usable_password": "true"},
    )
    assert response.status_code == 403
    assert user_row(grant_officer) == before
    other = Client()
    other.post(
        reverse("login"), {"username": grant_officer.username, "password": "overtaget-2026!"}
    )
    assert "_auth_user_id" not in other.session


def test_an_administrator_cannot_give_itself_a_role(client, administrator):
    client.force_login(administrator)
    officer_group = Group.objects.get(name=Role.GRANT_OFFICER.value)
    response = client.post(
        reverse("admin:auth_group_change", args=[officer_group.pk]),
        {"name": "Grant officer", "permissions": []},
    )
    assert response.status_code == 403
    assert officer_group.permissions.filter(codename="decide_grantapplication").exists()
    assert not administrator.has_perm("auth.change_user")


def test_a_superuser_manages_users_and_every_change_is_audited(admin_client, admin_user):
    mads = UserFactory(username="mads", email="mads@kommune.dk")
    officer_group = Group.objects.get(name=Role.GRANT_OFFICER.value)
    admin_client.post(
        reverse("admin:auth_user_change", args=[mads.pk]),
        {
            "username": "mads",
            "email": "mads@kommune.dk",
            "is_active": "on",
            "is_staff": "on",
            "groups": [officer_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    admin_client.post(
        reverse("admin:auth_user_password_change", args=[mads.pk]),
        {"password1": "ny-adgang-2026!", "password2": "ny-adgang-2026!", "usable_password": "true"},
    )
    entries = AuditEntry.objects.filter(object_id=str(mads.pk), object_type="auth.User")
    assert sorted(entries.values_list("action", "actor")) == [
        ("user.password", admin_user.pk),
        ("user.roles", admin_user.pk),
        ("user.status", admin_user.pk),
    ]
    assert entries.get(action="user.roles").data["added"] == "Grant officer"


# The public record cannot be destroyed


@pytest.fixture
def published_trip(secretary):
    trip = TripFactory(
        budget_line=BudgetLineFactory(amount=100_000), costs=[("transport", 32_710, 32_710)]
    )
    from travel.services import sync_trip_commitments

    sync_trip_commitments(trip=trip, actor=secretary)
    Correction.objects.create(trip=trip, summary="Dato rettet")
    return trip


def test_a_published_trip_cannot_be_deleted_in_the_admin(admin_client, published_trip):
    url = reverse("admin:travel_trip_delete", args=[published_trip.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    admin_client.post(
        reverse("admin:travel_trip_changelist"),
        {"action": "delete_selected", "_selected_action": [published_trip.pk], "post": "yes"},
    )
    assert Trip.objects.filter(pk=published_trip.pk).exists()
    assert Commitment.objects.filter(trip=published_trip).count() == 1
    with pytest.raises(ProtectedError):  # nor by a cascade from code
        published_trip.delete()


def test_a_draft_that_never_was_public_is_deleted_and_audited(client, administrator):
    draft = TripFactory(state="draft", published_at=None, title="Fejloprettet rejse")
    client.force_login(administrator)
    client.post(reverse("admin:travel_trip_delete", args=[draft.pk]), {"post": "yes"})
    assert not Trip.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.get(action="admin.delete")
    assert (entry.actor, entry.object_id, entry.summary) == (
        administrator,
        str(draft.pk),
        "rejse: Fejloprettet rejse",
    )


def test_decided_cases_commitments_and_the_audit_log_cannot_be_deleted(admin_client):
    application = GrantApplicationFactory(state=ApplicationState.REJECTED)
    commitment = book_commitment(
        line=BudgetLineFactory(), amount=100, description="x", source="manual", reason="r",
        manual_cause="membership",
        actor=None,
    )  # fmt: skip
    entry = AuditEntry.objects.get()
    mail = OutboxMail.objects.create(
        kind="grants.receipt", to="a@example.dk", subject="s", body="b"
    )
    for name, obj in [
        ("grants_grantapplication", application),
        ("budgets_commitment", commitment),
        ("portal_auditentry", entry),
        ("portal_outboxmail", mail),
    ]:
        response = admin_client.post(
            reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"}
        )
        assert response.status_code == 403, name
    assert GrantApplication.objects.filter(pk=application.pk).exists()
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert OutboxMail.objects.filter(pk=mail.pk).exists()


def test_a_user_who_decided_something_is_never_deleted_with_their_record(admin_client):
    officer = UserFactory(username="tidligere")
    book_commitment(
        line=BudgetLineFactory(), amount=100, description="x", source="manual", reason="r",
        manual_cause="membership",
        actor=officer,
    )  # fmt: skip
    with pytest.raises(ProtectedError):
        officer.delete()
    assert AuditEntry.objects.get().actor == officer


# Settings and the audit log


def test_site_settings_offer_the_rules_and_changes_are_audited(admin_client, admin_user):
    SiteSettings.current()
    url = reverse("admin:portal_sitesettings_change", args=[SiteSettings.current().pk])
    page = admin_client.get(url).content.decode()
    assert 'name="grant_four_eyes_amount"' in page and 'name="trip_publication_days"' in page
    admin_client.post(
        url,
        {
            "municipality_name": "Kommune",
            "grant_four_eyes_amount": "50000",
            "trip_publication_days": "30",
        },
    )
    settings = SiteSettings.current()
    assert (settings.grant_four_eyes_amount, settings.trip_publication_days) == (
        Decimal("50000.00"),
        30,
    )
    entry = AuditEntry.objects.get(action="site.settings")
    assert entry.actor == admin_user
    assert entry.data["grant_four_eyes_amount (new)"] == "50000"
    assert entry.data["trip_publication_days"] == "60"


def test_the_audit_log_shows_local_time_money_and_words(admin_client):
    entry = book_commitment(
        line=BudgetLineFactory(), amount=1234, description="x", source="manual", reason="r",
        manual_cause="membership",
        actor=None,
    )  # fmt: skip
    entry = AuditEntry.objects.get()
    AuditEntry.objects.filter(pk=entry.pk).update(
        at=datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)
    )
    for url in (
        reverse("admin:portal_auditentry_changelist"),
        reverse("admin:portal_auditentry_change", args=[entry.pk]),
    ):
        page = admin_client.get(url).content.decode()
        assert "1. juli 2026 00:30" in page, url  # Copenhagen summer time
        assert "1.234\xa0kr." in page, url
        assert "Disponering bogført" in page, url
        assert ">budget.book<" not in page, url


# The demo can never open production


@pytest.fixture
def demo_login(db):
    user = UserFactory(username="admin-demo", is_staff=True, is_superuser=True)
    DemoAccount.objects.create(user=user)
    return user


@override_settings(DEBUG=False)
def test_a_demo_account_cannot_log_in_without_debug(client, demo_login):
    response = client.post(reverse("login"), {"username": "admin-demo", "password": "password"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    # A session made while DEBUG was on no longer counts either.
    client.force_login(demo_login)
    assert client.get(reverse("admin:index")).status_code == 302


@override_settings(DEBUG=True)
def test_a_demo_account_logs_in_on_a_developers_machine(client, demo_login):
    client.post(reverse("login"), {"username": "admin-demo", "password": "password"})
    assert "_auth_user_id" in client.session


@override_settings(DEBUG=False)
def test_check_deploy_fails_while_demo_accounts_exist(demo_login):
    with pytest.raises(SystemCheckError, match="portal.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR", tags=["security"])
    demo_login.delete()
    call_command("check", "--deploy", "--fail-level", "ERROR", tags=["security"])


def test_load_demo_marks_its_logins(settings):
    settings.DEBUG = True
    call_command("load_demo", "--logins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(DemoAccount.objects.values_list("user__username", flat=True)) == [
        "admin",
        "koordinator",
        "koordinator2",
        "okonomi",
        "sagsbehandler",
        "sagsbehandler2",
        "sekretaer",
    ]


def test_make_run_keeps_the_demo_out_of_the_production_database():
    from pathlib import Path

    from django.conf import settings

    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run_database = next(
        line.split("?=", 1)[1].strip()
        for line in makefile.splitlines()
        if line.startswith("run: export DATABASE_URL")
    )
    production_default = f"sqlite:///{Path(settings.BASE_DIR) / 'var' / 'portal.sqlite3'}"
    assert run_database == "sqlite:///var/demo.sqlite3"
    assert Path(settings.BASE_DIR, "var", "demo.sqlite3") != Path(production_default[10:])
