"""The same people in every test: anonymous, and one user per role.

An applicant has no account (they follow their case through a private link),
so on staff pages they are the anonymous visitor.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from portal.roles import Role
from tests.factories import GrantSchemeFactory, PartnerCityFactory, UserFactory

PERSONAS = [
    "anonymous",
    "no_role",
    "coordinator",
    "grant_officer",
    "secretary",
    "administrator",
    "finance_clerk",
]


def _user_with_role(username: str, role: Role | None, **extra):
    user = UserFactory(username=username, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture(scope="session", autouse=True)
def addresses_loaded_outside_any_municipality():
    """As a server does when it starts (portal.middleware.load_addresses): a test that
    imports a view or form first inside a municipality would bind its class attributes."""
    from portal.middleware import load_addresses

    load_addresses()


def _uses_db(request) -> bool:
    return bool({"db", "transactional_db", "live_server"} & set(request.fixturenames)) or (
        request.node.get_closest_marker("django_db") is not None
    )


@pytest.fixture(autouse=True)
def municipality(request):
    """Every test runs in the first municipality (portal.scoping), as a request to its host
    would: the one the migrations made, made again after a test that empties the tables."""
    from django.conf import settings

    from portal.models import Municipality
    from portal.municipalities import for_host, forget_hosts
    from portal.scoping import municipality as active

    # The host names a process read: a rolled-back test's municipalities are read again.
    forget_hosts()

    fields = {
        "name": "Kommune",
        "slug": "kommune",
        "languages": ",".join(code for code, _name in settings.LANGUAGES),
        "default_language": settings.LANGUAGE_CODE,
        "currency": settings.PORTAL_CURRENCY,
    }
    if _uses_db(request):
        request.getfixturevalue("_django_db_helper")
        record, _made = Municipality.objects.get_or_create(pk=1, defaults=fields)
        forget_hosts()
        for_host("testserver")  # read once here, as a server reads them once a minute
    else:
        record = Municipality(pk=1, **fields)
    with active(record):
        yield record
    forget_hosts()  # the host names a rolled-back test saved are not the next test's


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever the last request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle and login-failure counts and cached pages never leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


# The modules whose tests change trips, budgets and grant cases through the services: after
# each of their tests the kept totals must equal what their rows add up to.
WORKFLOWS = ("tests/travel/", "tests/budgets/", "tests/grants/", "tests/portal/", "tests/test_")


@pytest.fixture(autouse=True)
def totals_kept(request):
    """After a workflow test, `manage.py recount` finds nothing to correct: every service the
    test went through kept the totals it moved (a test that writes rows around the services
    on purpose is marked `bypasses_totals`)."""
    path = request.node.path.relative_to(request.config.rootpath).as_posix()
    if (
        not _uses_db(request)
        or not path.startswith(WORKFLOWS)
        or request.node.get_closest_marker("bypasses_totals")
    ):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # torn down after this check, not before
    yield
    from portal.tallies import recount

    assert recount() == {}, "kept totals differ from their rows"


@pytest.fixture
def no_role(db):
    """Signed in, but given no role: an account an administrator has not set up yet."""
    return _user_with_role("norole", None)


@pytest.fixture
def coordinator(db):
    return _user_with_role("coordinator", Role.SCHOOL_COORDINATOR)


@pytest.fixture
def other_coordinator(db):
    return _user_with_role("coordinator2", Role.SCHOOL_COORDINATOR)


@pytest.fixture
def grant_officer(db):
    return _user_with_role("officer", Role.GRANT_OFFICER)


@pytest.fixture
def secretary(db):
    return _user_with_role("secretary", Role.COMMITTEE_SECRETARY)


@pytest.fixture
def administrator(db):
    return _user_with_role("administrator", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def finance_clerk(db):
    """Reads the payment list for the finance system, and nothing else."""
    return _user_with_role("finance", Role.FINANCE_CLERK)


@pytest.fixture
def persona_client(request, client):
    """A client signed in as the persona named by `persona` (indirect parametrisation)."""

    def for_persona(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return for_persona


@pytest.fixture
def application_form(db):
    """What an applicant types into the grant application form, valid in every field."""
    GrantSchemeFactory()
    city = PartnerCityFactory(name="Prag 10")
    departure = timezone.localdate() + datetime.timedelta(days=90)
    return {
        "applicant_kind": "youth_association",
        "applicant_name": "Sofie Jensen",
        "applicant_email": "sofie@example.dk",
        "applicant_phone": "12345678",
        "applicant_address": "Hold-An Vej 1, 2750 Ballerup",
        "organisation": "FDF Ballerup",
        "organisation_may_be_published": "on",
        "purpose": "Lejr med partnerspejdere",
        "partner_city": city.pk,
        "departs_on": departure.isoformat(),
        "returns_on": (departure + datetime.timedelta(days=5)).isoformat(),
        "participants": "10",
        "participants_under_25": "9",
        "cost_travel": "18000",
        "cost_accommodation": "6000",
        "cost_other": "0",
        "amount_requested": "12000",
        "form_token": form_token(),
    }


def form_token(age: float = 60) -> str:
    """The application form's hidden token, as handed out `age` seconds ago."""
    import time
    import uuid

    from django.core import signing

    from grants.forms import FORM_TOKEN_SALT

    return signing.dumps({"k": uuid.uuid4().hex, "t": time.time() - age}, salt=FORM_TOKEN_SALT)


def deliver() -> list:
    """Run the mail worker once, as the scheduler would, and return what was sent."""
    from django.core import mail

    from portal.outbox import send_due

    send_due()
    return mail.outbox


def apply_for(client, data, path="/grants/ungdomsrejser/apply/", **extra):
    """Fill in the grant form and, when it passes, send it from "check your answers": what an
    applicant does to send an application. Returns the last response."""
    response = client.post(path, data, **extra)
    if response.status_code == 302 and response["Location"].endswith("/apply/check/"):
        response = client.post(response["Location"], **extra)
    return response
