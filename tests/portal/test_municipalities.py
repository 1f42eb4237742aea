"""One service, many municipalities: each reads and writes only its own rows, at its own
host names, and what the code forgets to scope fails instead of leaking."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships.models import PartnerCity
from portal.models import AuditEntry, Municipality, MunicipalityHost, OutboxMail
from portal.roles import Role
from portal.scoping import (
    ScopeError,
    every_municipality,
    for_each_municipality,
    municipality,
    no_municipality,
)
from tests.factories import PartnerCityFactory, TripFactory, UserFactory

OTHER_HOST = "other.example"
FIRST_HOST = "first.example"


@pytest.fixture
def other(db, settings, municipality):
    """A second municipality, German and in euros, at its own host; the first gets one too."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST, FIRST_HOST]
    record = Municipality.objects.create(
        name="Andere Stadt", slug="andere", languages="de,en", default_language="de",
        currency="EUR", country="DE",
    )  # fmt: skip
    MunicipalityHost.objects.create(municipality=record, host=OTHER_HOST)
    MunicipalityHost.objects.create(municipality=municipality, host=FIRST_HOST)
    return record


def test_a_query_outside_any_municipality_fails_and_writes_nothing(db):
    PartnerCityFactory(name="Nacka")
    with no_municipality():
        with pytest.raises(ScopeError):
            PartnerCity.objects.count()
        with pytest.raises(ScopeError):
            list(PartnerCity.objects.all())
        with pytest.raises(ScopeError):
            PartnerCity.objects.filter(name="Nacka").update(name="Changed")
        with pytest.raises(ScopeError), transaction.atomic():
            PartnerCity.objects.create(name="Nowhere", slug="nowhere", country="SE")
        with pytest.raises(ScopeError):
            PartnerCity.objects.filter(name="Nacka").delete()
    assert list(PartnerCity.objects.values_list("name", flat=True)) == ["Nacka"]


def test_across_municipalities_reads_but_cannot_write(other):
    PartnerCityFactory(name="Nacka")
    with municipality(other):
        PartnerCityFactory(name="Reims")
    with every_municipality():
        assert sorted(PartnerCity.objects.values_list("name", flat=True)) == ["Nacka", "Reims"]
        with pytest.raises(ScopeError), transaction.atomic():
            PartnerCity.objects.create(name="Nowhere", slug="nowhere", country="SE")
    assert PartnerCity.objects.count() == 1


def test_each_municipality_sees_its_own_rows_and_may_reuse_a_slug(other):
    mine = PartnerCityFactory(name="Nacka", slug="nacka")
    with municipality(other):
        theirs = PartnerCityFactory(name="Nacka", slug="nacka")
        assert list(PartnerCity.objects.all()) == [theirs]
        assert not PartnerCity.objects.filter(pk=mine.pk).exists()
        with pytest.raises(IntegrityError), transaction.atomic():
            PartnerCityFactory(name="Nacka again", slug="nacka")
    assert list(PartnerCity.objects.all()) == [mine]


def test_a_queryset_made_at_import_binds_where_it_is_copied(other):
    """A form's class attribute is made once, outside any municipality."""
    PartnerCityFactory(name="Nacka")
    with municipality(other):
        PartnerCityFactory(name="Reims")
    with no_municipality():
        made_at_import = PartnerCity.objects.order_by("name")
    assert [city.name for city in made_at_import.all()] == ["Nacka"]
    with municipality(other):
        assert [city.name for city in made_at_import.all()] == ["Reims"]
        with pytest.raises(ScopeError):
            list(made_at_import)  # evaluated itself, it would keep one municipality's rows
    mine = PartnerCity.objects.all()
    with municipality(other), pytest.raises(ScopeError):
        list(mine)  # made for the first municipality, never read in another


def test_an_unknown_host_is_not_found(client, other, settings):
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get("/", HTTP_HOST="unknown.example")
    assert response.status_code == 404
    assert "Ingen portal svarer på denne adresse." in response.content.decode()  # the service's


def test_each_host_shows_its_own_portal_in_its_languages_and_currency(client, other):
    PartnerCityFactory(name="Nacka", slug="nacka")
    with municipality(other):
        PartnerCityFactory(name="Reims", slug="reims")
    first = client.get("/partner-cities/", HTTP_HOST=FIRST_HOST).content.decode()
    theirs = client.get("/partner-cities/", HTTP_HOST=OTHER_HOST).content.decode()
    assert '<html lang="da"' in first and "Nacka" in first and "Reims" not in first
    assert '<html lang="de"' in theirs and "Reims" in theirs and "Nacka" not in theirs
    assert client.get("/partner-cities/nacka/", HTTP_HOST=OTHER_HOST).status_code == 404
    # A language the other does not offer is no language there.
    assert client.get("/da/partner-cities/", HTTP_HOST=OTHER_HOST).status_code == 404
    assert client.get("/en/partner-cities/", HTTP_HOST=OTHER_HOST).status_code == 200


def test_a_cached_page_is_never_served_at_another_municipalitys_host(client, other, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    PartnerCityFactory(name="Nacka")
    assert "Nacka" in client.get("/partner-cities/", HTTP_HOST=FIRST_HOST).content.decode()
    assert "Nacka" in client.get("/partner-cities/", HTTP_HOST=FIRST_HOST).content.decode()
    assert "Nacka" not in client.get("/partner-cities/", HTTP_HOST=OTHER_HOST).content.decode()


def test_a_change_in_one_municipality_leaves_the_others_cached_pages(client, other, settings):
    from portal.pagecache import table_key

    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    client.get("/partner-cities/", HTTP_HOST=OTHER_HOST)
    from django.core.cache import cache

    with municipality(other):
        theirs = cache.get(table_key("partnerships_partnercity"))
    PartnerCityFactory(name="Nacka")  # in the first municipality, committed at once
    with municipality(other):
        assert cache.get(table_key("partnerships_partnercity")) == theirs
    assert client.get("/partner-cities/", HTTP_HOST=OTHER_HOST)["X-Cache"] == "hit"


def test_staff_of_one_municipality_cannot_sign_in_at_anothers(client, other):
    officer = UserFactory(username="officer-first")
    officer.groups.add(Group.objects.get(name=Role.GRANT_OFFICER.value))
    audited_before = AuditEntry.objects.count()
    response = client.post(
        reverse("login"), {"username": "officer-first", "password": "password"},
        HTTP_HOST=OTHER_HOST,
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/", HTTP_HOST=OTHER_HOST).status_code == 302  # to the login
    client.force_login(officer)
    assert client.get("/staff/", HTTP_HOST=FIRST_HOST).status_code == 200
    assert client.get("/staff/", HTTP_HOST=OTHER_HOST).status_code == 302  # not signed in there
    assert AuditEntry.objects.count() == audited_before


def test_staff_of_one_municipality_get_a_404_for_the_others_objects(client, other):
    with municipality(other):
        secretary = UserFactory(username="sekretaerin")
        secretary.groups.add(Group.objects.get(name=Role.COMMITTEE_SECRETARY.value))
    trip = TripFactory()
    client.force_login(secretary)
    for name in ("travel:staff_trip", "travel:trip_edit"):
        assert client.get(reverse(name, args=[trip.pk]), HTTP_HOST=OTHER_HOST).status_code == 404
    before = (trip.state, trip.published_at)
    unpublish = reverse("travel:trip_unpublish", args=[trip.pk])
    response = client.post(unpublish, {"reason": "Taken down"}, HTTP_HOST=OTHER_HOST)
    assert response.status_code == 404
    trip.refresh_from_db()
    assert (trip.state, trip.published_at) == before
    assert not AuditEntry.objects.filter(action="trip.unpublish").exists()


def test_the_admin_lists_only_this_municipalitys_users(client, other, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "password")
    UserFactory(username="first-staff")
    with municipality(other):
        UserFactory(username="other-staff")
    client.force_login(root)
    url = reverse("admin:auth_user_changelist")
    first = client.get(url, HTTP_HOST=FIRST_HOST).content.decode()
    assert "first-staff" in first and "other-staff" not in first


def test_mail_is_sent_from_and_links_to_its_municipality(other, settings):
    settings.PORTAL_BASE_URL = "https://service.example"
    with municipality(other):
        from portal.models import SiteSettings

        site = SiteSettings.current()
        site.municipality_name = "Stadt Andere"
        site.contact_email = "international@andere.example"
        site.save()
        OutboxMail.objects.create(kind="test", to="a@example.org", subject="Hallo", body="B")
        from portal.base_url import base_url

        assert base_url() == f"https://{OTHER_HOST}"
    from portal import outbox

    for _each in for_each_municipality():  # as the mail worker does
        outbox.send_due()
    (sent,) = mail.outbox
    assert sent.from_email.startswith("Stadt Andere <")
    assert sent.reply_to == ["international@andere.example"]


def test_uploads_are_stored_under_their_municipality(other):
    from grants.models import Attachment

    with municipality(other):
        from tests.factories import GrantApplicationFactory

        application = GrantApplicationFactory()
        path = Attachment._meta.get_field("file").upload_to(
            Attachment(application=application), "plan.pdf"
        )
    assert path.startswith("andere/grants/attachments/")


def test_an_application_made_outside_the_public_form_speaks_its_municipality_s_language(
    client, other
):
    """An application made in the admin (no language given) writes to its applicant in
    the municipality's language, and the private link opens the case page in it: a Danish
    default would send a German applicant a link that the German portal does not answer."""
    from grants.services.mail import case_link
    from tests.factories import GrantApplicationFactory

    with municipality(other):
        application = GrantApplicationFactory()
        link = case_link(application)
    address = urlsplit(link)
    assert address.hostname == OTHER_HOST
    page = client.get(address.path, HTTP_HOST=OTHER_HOST)
    assert page.status_code == 200
    assert '<html lang="de"' in page.content.decode()
