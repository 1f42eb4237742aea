"""The admin speaks each shipped language: roles, site settings' sections and fields per
language, the audit log's actions."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from portal.models import SiteSettings


class GermanAdmin:
    """An administrator who reads the admin in German (/de/admin/...)."""

    def __init__(self, client):
        self.client = client

    @staticmethod
    def _german(url: str) -> str:
        # reverse() answers in the language of the last request: German after the first.
        return url if url.startswith("/de/") else "/de" + url

    def get(self, url):
        return self.client.get(self._german(url))

    def post(self, url, data):
        return self.client.post(self._german(url), data)


@pytest.fixture
def german_admin(admin_client):
    yield GermanAdmin(admin_client)
    translation.activate("da")


def test_roles_are_named_in_the_readers_language(german_admin, settings):
    groups = german_admin.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "Sachbearbeitung" in groups and "Schulkoordination" in groups
    assert ">Grant officer<" not in groups
    user = Group.objects.get(name="Grant officer").user_set.model.objects.get(username="admin")
    form = german_admin.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert ">Sachbearbeitung<" in form


def test_site_settings_have_a_field_per_offered_language_and_german_sections(
    german_admin, municipality
):
    SiteSettings.current()
    url = reverse("admin:portal_sitesettings_change", args=[SiteSettings.current().pk])
    page = german_admin.get(url).content.decode()
    assert "Startseite" in page and "Regeln" in page
    for language in ("da", "en", "de"):
        assert f'name="intro_{language}"' in page
    # A language the portal does not offer is not asked for, though its column exists.
    municipality.languages = "da,en"
    municipality.save()
    page = german_admin.client.get(url.removeprefix("/de")).content.decode()
    assert '<html lang="da"' in page
    assert 'name="intro_de"' not in page and 'name="intro_en"' in page


def test_the_audit_log_names_its_actions_in_german(german_admin):
    SiteSettings.current()
    url = reverse("admin:portal_sitesettings_change", args=[SiteSettings.current().pk])
    data = {
        "municipality_name": "Testkommune",
        "grant_four_eyes_amount": "25000",
        "trip_publication_days": "60",
    }
    german_admin.post(url, data)
    log = german_admin.get(reverse("admin:portal_auditentry_changelist")).content.decode()
    assert "Einstellungen der Website geändert" in log
