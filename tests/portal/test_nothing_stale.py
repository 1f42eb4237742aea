"""Nothing stale is ever shown: for each kind of record a reader sees, change one and find
every public page that showed it changed, while pages that do not read it stay cached.

The pages are the sitemap's (every public page in every language: one declaration of what
is public), each visited twice first, so that every one is in the page cache."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from budgets.models import BudgetLine, Committee, Initiative
from grants.models import GrantScheme
from partnerships.models import Charter, CityNetwork, PartnerCity
from travel.enums import PUBLIC_STATES
from travel.models import Person, Trip

pytestmark = pytest.mark.django_db(transaction=True)

# (model, the field whose text a reader sees, which record): one row per kind of record.
KINDS = [
    (Trip, "title_da", {"state__in": PUBLIC_STATES}),
    (Person, "name", {}),
    (PartnerCity, "name", {}),
    (CityNetwork, "name", {}),
    (Charter, "title", {}),
    (Committee, "name_da", {}),
    (BudgetLine, "name_da", {}),
    (Initiative, "title", {}),
    (GrantScheme, "name_da", {}),
]


@pytest.fixture
def pages(client, settings):
    from portal.roles import ensure_roles

    ensure_roles()  # a transactional test starts from empty tables
    call_command("load_demo", stdout=io.StringIO())
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    index = client.get("/sitemap.xml").content.decode()
    addresses = set()
    for section in re.findall(r"<loc>([^<]+)</loc>", index):
        sitemap = client.get(urlsplit(section).path, {"p": urlsplit(section).query[2:] or 1})
        addresses |= {
            urlsplit(loc).path
            for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.content.decode())
        }
    # The Danish pages (the default language's): the other languages are the same pages.
    return sorted(path for path in addresses if not path.startswith(("/en/", "/de/")))


def warm(client, paths) -> dict[str, str]:
    """Each page's text, from the cache; a page never kept (a form) is made on each request
    and cannot be stale, so it is left out."""
    shown = {}
    for path in paths:
        client.get(path)
        response = client.get(path)
        if response.get("X-Cache") == "hit":
            shown[path] = response.content.decode()
    assert len(shown) > 0.8 * len(paths)
    return shown


@pytest.mark.parametrize(
    ("model", "field", "which"), KINDS, ids=lambda kind: getattr(kind, "__name__", None)
)
def test_a_change_to_any_record_shows_on_every_page_that_showed_it(
    client, pages, model, field, which
):
    assert len(pages) > 20
    record = model.objects.filter(**which).order_by("pk").first()
    # A name of its own first, so that the pages showing it are the pages showing this
    # record (two lines of two years may share a name).
    setattr(record, field, "Første navn 41c9")
    record.save()
    shown = warm(client, pages)
    showing = [path for path, text in shown.items() if "Første navn 41c9" in text]
    assert showing, f"no public page shows the {model.__name__}"

    setattr(record, field, "Ændret navn 7f3a")
    record.save()

    for path in showing:
        response = client.get(path)
        assert "X-Cache" not in response, path
        assert "Ændret navn 7f3a" in response.content.decode(), path
    still_cached = [
        path for path in shown if path not in showing and client.get(path).get("X-Cache") == "hit"
    ]
    assert still_cached, f"a change to {model.__name__} made every page stale"
