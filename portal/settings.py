"""Settings for the international portal.

Everything that differs between a laptop and production comes from the
environment (or a `.env` file beside manage.py); `.env.example` documents every
variable. The helpers below fail loudly on values they cannot read, so that a
typo in production is a start-up error rather than a silent default.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _read_env_file(path: Path) -> None:
    """Load KEY=value lines from a .env file without overriding the real environment."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_read_env_file(BASE_DIR / ".env")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_rate(name: str, default: str) -> str:
    """A rate in DRF's syntax: a whole number of requests per second, minute, hour or day."""
    value = env_str(name, default).strip()
    count, _slash, period = value.partition("/")
    if not count.isdigit() or period not in {"second", "minute", "hour", "day"}:
        raise ImproperlyConfigured(f"{name} must be like 30/minute, not {value!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            "(see .env.example); only a DEBUG=true development run may go without one."
        )
    # A development-only key: never used when DEBUG is off.
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, whose forms it extends with a field per language.
    "modeltranslation",
    "portal.apps.PortalConfig",
    "partnerships.apps.PartnershipsConfig",
    "budgets.apps.BudgetsConfig",
    "grants.apps.GrantsConfig",
    "travel.apps.TravelConfig",
    # Above every app: home, search, the staff front page, the root URLconf, the demo loader.
    "shell.apps.ShellConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The demo's links follow the address it is served on (PORTAL_BASE_URL_FROM_REQUEST).
    "portal.base_url.FollowTheRequestMiddleware",
    # The host name selects the municipality (portal.scoping): before anything reads a row.
    "portal.middleware.MunicipalityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.OpenDataCorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache hits for visitors without a session, before sessions, locale, CSRF and auth.
    "portal.pagecache.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.MunicipalLocaleMiddleware",
    "portal.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A client our proxies named with no address is refused (400), never counted as the proxy.
    "portal.clients.ClientAddressMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    # Before any view or CSRF check reads the body (their reads come after every __call__).
    "portal.uploads.RequestSizeLimitMiddleware",
    # A textarea's line breaks as typed (\n), not as browsers send them (\r\n).
    "portal.middleware.TypedLineEndingsMiddleware",
    # Failed logins (the staff login and the admin's): django-axes, last as it asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shell.urls"
# A municipality whose default language is not LANGUAGE_CODE has the URLconf of its default
# language (portal.municipalities.urlconf_for); the service's own host names the national one.
MUNICIPALITY_URLCONF = "shell.urlconfs.{language}"
SERVICE_URLCONF = "shell.national_urls"
# The service's own host names: the national comparison of the municipalities it hosts.
# A municipality's host names are records (portal.MunicipalityHost), kept in the admin.
SERVICE_HOSTS = env_list("SERVICE_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are cheap and must not be shared across threads.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A read-only replica (PostgreSQL streaming replication) for what anonymous readers see:
# public pages, their downloads and the API read there, everything else on the primary
# (portal.db_router). In tests it mirrors the primary.
if replica_url := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            replica_url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "portal.backends.PortalBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff_dashboard"
LOGOUT_REDIRECT_URL = "home"

# The languages a portal offers and its default language (README, "Languages and currency").
# Every shipped language has a complete catalogue under locale/; content staff write is
# stored in each of them (django-modeltranslation, MODELTRANSLATION_LANGUAGES below).
SHIPPED_LANGUAGES = {"da": _("Danish"), "en": _("English"), "de": _("German")}
# Offered by default: every shipped language (a deployment narrows it with LANGUAGES).
LANGUAGES = [
    (code, SHIPPED_LANGUAGES.get(code, code))
    for code in env_list("LANGUAGES", ",".join(SHIPPED_LANGUAGES))
]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", LANGUAGES[0][0] if LANGUAGES else "da")
if not LANGUAGES or LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE ({LANGUAGE_CODE!r}) must be one of LANGUAGES ({env_str('LANGUAGES')!r})."
    )
unshipped = sorted(set(dict(LANGUAGES)) - set(SHIPPED_LANGUAGES))
if unshipped:
    raise ImproperlyConfigured(
        f"LANGUAGES names {', '.join(unshipped)}: the portal ships "
        f"{', '.join(SHIPPED_LANGUAGES)} (README, 'Languages and currency', says how to add one)."
    )
# One column per shipped language, whatever a deployment offers: the schema does not change
# with LANGUAGES. The default language is the fallback for text missing in another.
MODELTRANSLATION_LANGUAGES = tuple(SHIPPED_LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)


def MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME(name, code):  # noqa: N802 (a setting)
    """'title (German)': the label of a text's field for one language."""
    return format_lazy("{} ({})", name, SHIPPED_LANGUAGES.get(code, code))


# PostgreSQL's full-text search configuration for each language's texts (portal/search.py).
SEARCH_CONFIGS = {"da": "danish", "en": "english", "de": "german"}
# The currency all amounts are in: an ISO 4217 code. Babel formats it per language.
PORTAL_CURRENCY = env_str("CURRENCY", "DKK").upper()
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Copenhagen")
# Our date formats where Django's differ from what readers expect (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: refuse big bodies before they reach the disk.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
# A whole request (a form with several files) may be at most this large; larger is a 413.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 5 * MAX_UPLOAD_BYTES + 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.SizeLimitedUploadHandler",
    # Django's own, each giving a file a name storage can keep (portal.uploads.storable_name).
    "portal.uploads.MemoryUploadHandler",
    "portal.uploads.TemporaryUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The portal's public address, for links in emails sent outside a request.
# Every emailed private link is built from it, and no link from a request's Host header.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not PORTAL_BASE_URL:
    raise ImproperlyConfigured(
        "PORTAL_BASE_URL is not set: the portal's public address, e.g. "
        "https://international.example.dk. Emailed links are built from it."
    )
# The demo (DEBUG without PORTAL_BASE_URL): a page's absolute links follow the address it
# is served on (portal.base_url), e.g. `runserver 0.0.0.0:8080`. Never in production.
PORTAL_BASE_URL_FROM_REQUEST = DEBUG and not env_str("PORTAL_BASE_URL")
# Days after a grant case is closed before its personal data is erased.
GRANT_RETENTION_DAYS = env_int("GRANT_RETENTION_DAYS", 5 * 365)
# Days between reminders about an overdue report.
GRANT_REMINDER_DAYS = env_int("GRANT_REMINDER_DAYS", 14)

# How many proxies of our own stand before the app servers, each adding the address it
# received the request from to X-Forwarded-For (portal.clients). 0: clients connect directly.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The limits count IPv6 clients per network of this many bits (one subscriber's /64 holds
# more addresses than any limit); IPv4 clients per address.
CLIENT_IPV6_PREFIX = env_int("CLIENT_IPV6_PREFIX", 64)
if not 1 <= CLIENT_IPV6_PREFIX <= 128:
    raise ImproperlyConfigured("CLIENT_IPV6_PREFIX must be between 1 and 128.")

# The public application form, against abuse (README, "Travel grants").
# Hours an applicant has to confirm their address: the mailed link expires then, and the
# purge deletes the application.
GRANT_CONFIRMATION_HOURS = env_int("GRANT_CONFIRMATION_HOURS", 24)
# What applicants are told: a decision within this many days of confirming their address.
# Hearing the applicant: the officer's deadline for comments is at least this many days ahead.
GRANT_HEARING_DAYS = env_int("GRANT_HEARING_DAYS", 14)
# Files per application and their total size.
GRANT_MAX_FILES = env_int("GRANT_MAX_FILES", 5)
GRANT_MAX_FILES_BYTES = env_int("GRANT_MAX_FILES_BYTES", 20 * 1024 * 1024)
# The largest case file downloaded as one archive for the records system (its files added up).
GRANT_ARCHIVE_MAX_BYTES = env_int("GRANT_ARCHIVE_MAX_BYTES", 200 * 1024 * 1024)
# Applications per client address and per mailbox, per hour and per day.
GRANT_APPLICATIONS_PER_ADDRESS_HOUR = env_int("GRANT_APPLICATIONS_PER_ADDRESS_HOUR", 5)
GRANT_APPLICATIONS_PER_ADDRESS_DAY = env_int("GRANT_APPLICATIONS_PER_ADDRESS_DAY", 20)
GRANT_APPLICATIONS_PER_EMAIL_HOUR = env_int("GRANT_APPLICATIONS_PER_EMAIL_HOUR", 3)
GRANT_APPLICATIONS_PER_EMAIL_DAY = env_int("GRANT_APPLICATIONS_PER_EMAIL_DAY", 6)
# The per-mailbox limits above count confirmed applications only (anybody can type another's
# address); unconfirmed ones are bounded per client address.
# A form sent back faster than this (seconds) was not filled in by a person.
GRANT_FORM_MIN_SECONDS = env_int("GRANT_FORM_MIN_SECONDS", 5)
# Drafts ("check your answers", with or without files) per client address and hour: they
# are stored before any limit on applications applies. A school's shared address needs room.
GRANT_DRAFTS_PER_ADDRESS_HOUR = env_int("GRANT_DRAFTS_PER_ADDRESS_HOUR", 30)
# A draft keeps only the form's fields: each at most its own length (this many characters
# where a field has none: dates, numbers, choices) and at most GRANT_DRAFT_MAX_CHARS together.
GRANT_DRAFT_FIELD_MAX_CHARS = env_int("GRANT_DRAFT_FIELD_MAX_CHARS", 200)
GRANT_DRAFT_MAX_CHARS = env_int("GRANT_DRAFT_MAX_CHARS", 10_000)
# Characters in "purpose", the form's one long text.
GRANT_PURPOSE_MAX_CHARS = env_int("GRANT_PURPOSE_MAX_CHARS", 5_000)
# Characters in what an applicant writes through the private link: an answer, comments in a
# hearing, the report back.
GRANT_REPLY_MAX_CHARS = env_int("GRANT_REPLY_MAX_CHARS", 10_000)
# Bytes every draft on the service may hold together (their files and the sessions): beyond
# it the form says "try again later" and keeps nothing, rather than fill the disk.
GRANT_DRAFTS_MAX_BYTES = env_int("GRANT_DRAFTS_MAX_BYTES", 2 * 1024 * 1024 * 1024)
# What one client (an IPv4 address, an IPv6 network) may store in drafts in a day; 0: a
# twentieth of GRANT_DRAFTS_MAX_BYTES (at least GRANT_MAX_FILES_BYTES), so that no one client
# uses up everybody's room.
GRANT_DRAFT_BYTES_PER_CLIENT_DAY = env_int("GRANT_DRAFT_BYTES_PER_CLIENT_DAY", 0)

# Public statistics: a group smaller than this is shown as "fewer than N" (portal.statistics).
STATISTICS_MIN_GROUP = env_int("STATISTICS_MIN_GROUP", 3)
# How many partner cities and associations a row of the grant statistics page names before
# "and N more" (the downloads and the API name them all).
STATISTICS_NAMES_SHOWN = env_int("STATISTICS_NAMES_SHOWN", 20)

# The outbox: attempts before a mail is marked as failed for staff to see.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
# Minutes a mail may wait before the staff front page and `manage.py check --database
# default` say the mail worker seems stopped; also when a mail left "sending" by a stopped
# worker becomes "perhaps sent" (portal.outbox).
OUTBOX_LATE_MINUTES = env_int("OUTBOX_LATE_MINUTES", 10)

# The cache: throttle and login counters and cached public pages. Per process unless
# CACHE_URL names a Redis server, which several app servers must share.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// address, or empty.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Seconds a public page is served from the cache to visitors who are not logged in. Any
# change to the data makes cached pages stale at once, but only a shared cache (CACHE_URL)
# tells every app server, so without one the default is 0: off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 600 if CACHE_URL else 0)
# How long a reverse proxy or CDN in front may keep a public page without asking again
# (Cache-Control: public, max-age); 0: it keeps it but revalidates each time (ETag).
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 0)
# How deep the lists' pages go, in rows (pages and API): a deeper page would cost more than
# the first; beyond it the lists offer their filters and the whole download.
LIST_DEPTH_ROWS = env_int("LIST_DEPTH_ROWS", 10_000)
# A filter offers the records of a growing list (travellers, partner cities) as a list of
# choices up to this many; beyond it, the filter asks for a name instead.
FILTER_CHOICES_MAX = env_int("FILTER_CHOICES_MAX", 100)

# Logins: failed attempts per user name and address before the form refuses, and for how long.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# django-axes counts failed logins in the database (shared by every app server) per user
# name and client address together: never a global lockout. Administrators see and lift
# lockouts in the admin (Axes: access attempts).
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = datetime.timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_group"
AXES_LOCKOUT_CALLABLE = "shell.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# SQLite cannot add the covering columns of an index that PostgreSQL uses for balances
# (budgets.Commitment, "commitment_line_totals"); there it is a plain index, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Open data: the read-only API under /api/ and the downloads of every public list.
# Requests per client address to /api/ (DRF rate syntax: N/second, N/minute, N/hour).
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/minute")
# The licence the data is published under, named in the data catalogue (DCAT).
# The country the open data covers, as ISO 3166-1 alpha-3 (the EU country table's code).
# Empty: the country of the default language (da: DNK, de: DEU; portal.catalogue.country);
# English names no one country, so a portal in English sets it (check portal.E010).
OPEN_DATA_COUNTRY = env_str("OPEN_DATA_COUNTRY", "").strip().upper()
OPEN_DATA_LICENSE_URL = env_str(
    "OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# The grants in the 360Giving Data Standard (grants.threesixty): the publisher prefix 360Giving
# registers for the municipality (starts with 360G-), which every grant's and recipient's
# identifier starts with; empty: 360G- and the municipality's name as a slug (site settings).
OPEN_DATA_360GIVING_PREFIX = env_str("OPEN_DATA_360GIVING_PREFIX", "").strip()
if OPEN_DATA_360GIVING_PREFIX and not OPEN_DATA_360GIVING_PREFIX.startswith("360G-"):
    raise ImproperlyConfigured(
        f"OPEN_DATA_360GIVING_PREFIX ({OPEN_DATA_360GIVING_PREFIX!r}) must start with 360G-."
    )
# The municipality as an organisation identifier (org-id.guide): for a Danish municipality
# DK-CVR- and its CVR number; elsewhere the register org-id.guide lists for public bodies.
# Empty: the 360Giving prefix and "-municipality", an identifier of the publisher's own.
OPEN_DATA_ORG_ID = env_str("OPEN_DATA_ORG_ID", "").strip()
# What is costly to make, per client address (portal.costly), outside /api/: downloads of
# the lists (CSV, JSON and XLSX), PDFs (trip reports, the follow-up report) and searches.
# Beyond the rate, a page says how long to wait (429, Retry-After).
DOWNLOAD_RATE = env_rate("DOWNLOAD_RATE", "30/minute")
PDF_RATE = env_rate("PDF_RATE", "20/minute")
SEARCH_RATE = env_rate("SEARCH_RATE", "60/minute")
# Seconds a public PDF is kept in the cache for the data version it was made from (any change
# to the data makes a new one). Like the page cache, only with a shared cache (CACHE_URL):
# a per-process cache does not learn of changes made in another process.
PDF_CACHE_SECONDS = env_int("PDF_CACHE_SECONDS", 3600 if CACHE_URL else 0)
# The most rows an XLSX download holds: a workbook is complete only at its end, so it cannot
# be sent while written, and must be made well inside the app server's timeout (the
# benchmark measures it). Larger lists come as CSV or JSON, which stream whatever their size.
XLSX_MAX_ROWS = env_int("XLSX_MAX_ROWS", 20_000)
REST_FRAMEWORK = {
    # Public data only: no login, no session, no writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["portal.api_policy.ListFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api_policy.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["portal.api_policy.PublicDataThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "International portal: open data API",
    "DESCRIPTION": (
        "Read-only public data: partner cities, networks, exchanges in aggregate, budgets "
        "with computed balances, published trips, and grants in aggregate. No personal data "
        "beyond the politicians and officials who travel on public money."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # One name for a set of codes several fields use (a city's and a membership's status).
    "ENUM_NAME_OVERRIDES": {"RelationStatusEnum": "partnerships.enums.RelationStatus.values"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api_policy.document_conventions",
    ],
}

# Email
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds the mail worker waits for the mail server before giving up (and retrying later):
# a server that accepts the connection and never answers must not stop the worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Security. Production (DEBUG off) is secure by default; each can be relaxed
# through the environment where a proxy already does the job.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A staff session ends after this many minutes without a request.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and its font subsetter narrate every PDF at INFO.
    "loggers": {
        name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "fontTools.subset")
    },
}
