import json
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import FieldError, ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import translation

from portal import demo_file, demo_municipality
from portal.contributions import contributions
from portal.models import DemoAccount, OutboxMail, SiteSettings
from portal.roles import ensure_roles
from portal.scoping import ScopeError, municipality
from portal.tallies import recount

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "demo" / "ballerup.json"

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - printed on purpose; refused unless DEBUG
# The site settings: the part of the file the portal itself loads (the apps declare theirs).
SITE = demo_file.Section("site", SiteSettings, single=True)
# What a loader's mistake on a file the check let through raises: said, never a traceback.
LOAD_ERRORS = (
    LookupError,
    ValueError,
    TypeError,
    ObjectDoesNotExist,
    ValidationError,
    FieldError,
    DatabaseError,
)


class Command(BaseCommand):
    help = (
        "Load a municipality's demo data (idempotent): the municipality the file names is "
        "made or updated, with its host names; optionally create its demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="Demo data (JSON).")
        parser.add_argument(
            "--logins",
            action="store_true",
            help="Also create the file's demo logins, staff of its municipality (needs DEBUG).",
        )

    def handle(self, *args, **options):
        if options["logins"] and not settings.DEBUG:
            raise CommandError("Demo logins have a published password; they need DEBUG=true.")
        try:
            data = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error

        # The whole file first: every problem, by its place in the file; nothing written.
        # The rest of the file is read in the municipality it names (its languages).
        sections = [
            demo_municipality.SECTION,
            SITE,
            *(section for part in contributions("demo_sections") for section in part),
        ]
        try:
            record, problems = demo_municipality.find(data, sections)
        except DatabaseError as error:  # no tables yet: say what the file lacks all the same
            record, problems = None, [f"(the database) {type(error).__name__}: {error}"]
        try:
            with municipality(record) if record is not None else nullcontext():
                problems = [*demo_file.problems(data, sections), *problems]
        except (DatabaseError, ScopeError):  # no municipality to read records the file names
            if not problems:
                raise
        if problems:
            listed = "\n".join(f"  {problem}" for problem in problems)
            raise CommandError(
                f"{options['file']} was not loaded, nothing was written: "
                f"{len(problems)} problem(s):\n{listed}"
            )
        try:
            self._load(record, data, options)
        except LOAD_ERRORS as error:
            raise CommandError(
                f"{options['file']} was not loaded, nothing was written: "
                f"{type(error).__name__}: {error}"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Demo data of {record.name} loaded from {options['file'].name}.")
        )
        if options["logins"]:
            logins = demo_municipality.logins(data)
            if not logins:
                self.stdout.write("The file names no demo logins.")
            else:
                self.stdout.write(
                    f"Demo logins of {record.name} (password for all: {DEMO_PASSWORD}):"
                )
            for login in logins:
                self.stdout.write(f"  {login['username']:<16} {login['role']}")

    def _load(self, record, data: dict, options: dict) -> None:
        """Everything in one transaction: a failure leaves the database as it was."""
        # The demo's applicants are made up: whatever mail backend is configured, send nothing.
        # A text without a language suffix (title, not title_en) is in the default language.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            demo_municipality.save(record, data)
            with municipality(record), translation.override(record.default_language):
                ensure_roles()
                already_queued = OutboxMail.objects.aggregate(last=Max("pk"))["last"] or 0
                if site := data.get("site"):
                    SiteSettings.objects.update_or_create(defaults=site)
                if options["logins"]:
                    self._create_logins(record, demo_municipality.logins(data))
                for load in contributions("demo"):  # each app's part, in the order they build on
                    load(data)
                # The demo writes trips' rows directly, as an import would: count the totals.
                recount(fix=True)
                # The demo's applicants are made up: the mails their cases queued are dropped.
                OutboxMail.objects.filter(pk__gt=already_queued).delete()

    def _create_logins(self, record, logins: list[dict]) -> None:
        """Each login is staff of this municipality only (a user made inside a municipality
        joins its staff: portal.municipalities.staff_of_active)."""
        User = get_user_model()
        for login in logins:
            user, created = User.objects.get_or_create(
                username=login["username"],
                defaults={
                    "first_name": login.get("first_name", ""),
                    "last_name": login.get("last_name", ""),
                    "email": f"{login['username']}@demo.invalid",
                    "is_staff": login.get("is_staff", False),
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            record.staff.add(user)
            DemoAccount.objects.get_or_create(user=user)
            user.groups.add(Group.objects.get(name=login["role"]))
