"""Caches and pages that hold personal data: the page cache cannot be poisoned through the
Host header, private pages are never stored, staff sessions end when idle, uploaded files
are served as what their content is."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from grants.enums import ApplicationState
from partnerships.models import CharterAttachment
from tests.factories import CharterFactory, GrantApplicationFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db


def test_a_foreign_host_header_does_not_poison_the_page_cache(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    PartnerCityFactory()
    PartnerCityFactory()
    # Addresses come from PORTAL_BASE_URL, not the Host header (the page cache keys on the
    # host as well): neither answer can carry the foreign host to the other.
    next_page = f"{settings.PORTAL_BASE_URL}/api/partner-cities/?page=2&page_size=1"
    poisoned = client.get("/api/partner-cities/?page_size=1", HTTP_HOST="127.0.0.1:6666")
    assert poisoned.json()["next"] == next_page
    honest = client.get("/api/partner-cities/?page_size=1")
    assert honest.json()["next"] == next_page


@pytest.mark.parametrize("persona", ["grant_officer", "administrator"])
def test_staff_pages_are_never_stored(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("staff_dashboard"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_case_pages_and_letters_are_never_stored(client):
    application = GrantApplicationFactory(state=ApplicationState.APPROVED)
    application.decision_letter.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    for url in (
        application.get_case_url(),
        reverse("grants:case_letter", args=[application.token]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_a_staff_session_ends_after_the_idle_time(client, grant_officer, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(grant_officer)
    response = client.get(reverse("grants:queue"))
    assert response.cookies["sessionid"]["max-age"] == 30 * 60  # renewed on every request
    session = client.session
    session.set_expiry(-1)  # what 30 idle minutes leave behind
    session.save()
    response = client.get(reverse("grants:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_passwords_have_at_least_twelve_characters():
    with pytest.raises(ValidationError):
        validate_password("kort-kode1!")
    validate_password("tolv-tegn-kode-2026")


@pytest.mark.parametrize(
    ("name", "content", "content_type", "inline"),
    [
        (
            "redirect.html",
            b"%PDF-<html><script>location='//evil'</script>",
            "application/pdf",
            True,
        ),
        ("page.html", b"<html><script>alert(1)</script>", "application/octet-stream", False),
        ("photo.png", b"\x89PNG\r\n\x1a\nimage", "image/png", True),
    ],
)
def test_an_uploaded_file_is_served_as_what_its_content_is(
    client, name, content, content_type, inline
):
    charter = CharterFactory(slug="charter")
    attachment = CharterAttachment(charter=charter, title="Bilag")
    attachment.file.save(name, ContentFile(content), save=True)
    response = client.get(
        reverse("partnerships:charter_attachment", args=["charter", attachment.pk])
    )
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline" if inline else "attachment")
