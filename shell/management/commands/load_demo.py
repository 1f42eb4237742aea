import json
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

from portal import demo_file
from portal.contributions import contributions
from portal.models import DemoAccount, OutboxMail, SiteSettings
from portal.roles import Role, ensure_roles
from portal.tallies import recount

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "demo" / "ballerup.json"

DEMO_LOGINS = [
    ("koordinator", "Sofie", "Skolekoordinator", Role.SCHOOL_COORDINATOR, False),
    ("sagsbehandler", "Mads", "Tilskudsmedarbejder", Role.GRANT_OFFICER, False),
    ("sekretaer", "Line", "Udvalgssekretær", Role.COMMITTEE_SECRETARY, False),
    ("admin", "Anna", "Administrator", Role.ADMINISTRATOR, True),
    ("okonomi", "Jens", "Økonomimedarbejder", Role.FINANCE_CLERK, False),
    # A second officer: grants above the four-eyes amount need one (the demo has such a case).
    ("sagsbehandler2", "Bo", "Tilskudsmedarbejder", Role.GRANT_OFFICER, False),
    ("koordinator2", "Jonas", "Skolekoordinator", Role.SCHOOL_COORDINATOR, False),
]
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
        "Load a municipality's demo data (idempotent); optionally create demo logins "
        "(one per role, two grant officers)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="Demo data (JSON).")
        parser.add_argument(
            "--logins",
            action="store_true",
            help="Also create demo logins, one per role and two grant officers (needs DEBUG).",
        )

    def handle(self, *args, **options):
        if options["logins"] and not settings.DEBUG:
            raise CommandError("Demo logins have a published password; they need DEBUG=true.")
        try:
            data = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error

        # The whole file first: every problem, by its place in the file; nothing written.
        sections = [SITE, *(section for part in contributions("demo_sections") for section in part)]
        if problems := demo_file.problems(data, sections):
            listed = "\n".join(f"  {problem}" for problem in problems)
            raise CommandError(
                f"{options['file']} was not loaded, nothing was written: "
                f"{len(problems)} problem(s):\n{listed}"
            )
        try:
            self._load(data, options)
        except LOAD_ERRORS as error:
            raise CommandError(
                f"{options['file']} was not loaded, nothing was written: "
                f"{type(error).__name__}: {error}"
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded from {options['file'].name}."))
        if options["logins"]:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for username, _first, _last, role, _staff in DEMO_LOGINS:
                self.stdout.write(f"  {username:<14} {role.value}")

    def _load(self, data: dict, options: dict) -> None:
        """Everything in one transaction: a failure leaves the database as it was."""
        # The demo's applicants are made up: whatever mail backend is configured, send nothing.
        # A text without a language suffix (title, not title_en) is in the default language.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            translation.override(settings.LANGUAGE_CODE),
            transaction.atomic(),
        ):
            ensure_roles()
            already_queued = OutboxMail.objects.aggregate(last=Max("pk"))["last"] or 0
            if site := data.get("site"):
                SiteSettings.objects.update_or_create(pk=1, defaults=site)
            if options["logins"]:
                self._create_logins()
            for load in contributions("demo"):  # each app's part, in the order they build on
                load(data)
            # The demo writes trips' rows directly, as an import would: count the kept totals.
            recount(fix=True)
            # The demo's applicants are made up: the mails their cases queued are dropped.
            OutboxMail.objects.filter(pk__gt=already_queued).delete()

    def _create_logins(self) -> None:
        User = get_user_model()
        for username, first_name, last_name, role, is_staff in DEMO_LOGINS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@demo.invalid",
                    "is_staff": is_staff,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            DemoAccount.objects.get_or_create(user=user)
            user.groups.add(Group.objects.get(name=role.value))
