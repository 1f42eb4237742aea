"""Settings for the test suite: the real settings, with test-only conveniences."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-" + "k" * 40)
os.environ.setdefault("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Every shipped language is offered in the tests, so that every page is checked in each.
os.environ.setdefault("LANGUAGES", "da,en,de")
# A deployment names its country (a test that makes English the default language would
# otherwise stop at the check portal.E010); tests of the derived default clear it.
os.environ.setdefault("OPEN_DATA_COUNTRY", "DNK")
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make alongside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from portal.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The live server for browser tests speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
