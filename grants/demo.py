"""Load demo grant schemes and one application in every state (idempotent).

Applications move through the same services as in the browser, so the demo's
bookings, events and letters are what real use would leave behind.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone

from grants import services, workflow
from grants.enums import Actor, ApplicationState
from grants.models import GrantApplication, GrantScheme
from grants.permissions import allowed_actions
from grants.services.casework import earliest_hearing_deadline
from partnerships.models import PartnerCity
from portal.demo_file import Reference, Section
from portal.municipalities import default_language
from portal.roles import Role

S = ApplicationState
# The path each demo application takes to reach its state.
PATHS = {
    S.SUBMITTED: [],
    S.IN_REVIEW: ["review"],
    S.INFO_REQUESTED: ["review", "question"],
    S.APPROVED: ["review", "approve"],
    S.REJECTED: ["review", "reject"],
    S.WITHDRAWN: ["withdraw"],
    S.PAID: ["review", "approve", "paid"],
    S.REPORT_DUE: ["review", "approve", "paid", "report_due"],
    S.REPORT_RECEIVED: ["review", "approve", "paid", "report", "report_received"],
    S.CLOSED: ["review", "approve", "paid", "report", "report_received", "close"],
    S.HEARING: ["review", "hearing"],
}


# What a demo application's row holds besides the application's fields: its key (the
# applicant's address), the steps it takes and what they say.
STEP_KEYS = (
    "key",
    "scheme",
    "target_state",
    "question",
    "grant",
    "reason",
    "rules",
    "report",
    "facts",
    "steps",
    "decided_months_ago",
)


def _path(row: dict) -> list[tuple[str, str]]:
    """The state a demo application is to reach must have a path (PATHS), or its own steps
    that the workflow knows."""
    found = []
    if "steps" in row:
        steps = row["steps"]
        if not isinstance(steps, list):
            return [("steps", "a list of steps is expected")]
        known = {action.name for action in workflow.ACTIONS}
        found += [
            (f"steps[{i}]", f"no step {step!r}")
            for i, step in enumerate(steps)
            if step not in known
        ]
    elif row.get("target_state") and row["target_state"] not in PATHS:
        found.append(("target_state", f"{row['target_state']!r} is none of: {', '.join(PATHS)}"))
    return found


# The parts of a demo file this app loads (portal.demo_file).
SECTIONS = [
    Section("grant_schemes", GrantScheme, required=("slug", "opens_on", "closes_on")),
    Section(
        "grant_applications",
        GrantApplication,
        required=("key", "scheme", "target_state", "departs_on", "returns_on"),
        handled=STEP_KEYS,
        references=(
            Reference("scheme", "grant_schemes", "slug", GrantScheme),
            Reference("partner_city", "partner_cities", "slug", PartnerCity),
        ),
        check=_path,
    ),
]


def load(data: dict) -> None:
    for row in data.get("grant_schemes", []):
        GrantScheme.objects.update_or_create(
            slug=row["slug"],
            defaults={
                **{k: v for k, v in row.items() if k not in ("slug", "opens_on", "closes_on")},
                "opens_on": datetime.date.fromisoformat(row["opens_on"]),
                "closes_on": datetime.date.fromisoformat(row["closes_on"]),
            },
        )
    rows = data.get("grant_applications", [])
    if rows:
        officer = _demo_officer()
        for row in rows:
            if not GrantApplication.objects.filter(applicant_email=row["key"]).exists():
                _load_application(row, officer)


def _demo_officer():
    """The demo's grant officer login if there is one, else an officer nobody can log in as."""
    User = get_user_model()
    officer = User.objects.filter(username="sagsbehandler").first()
    if officer is None:
        officer, created = User.objects.get_or_create(
            username="demo-officer",
            defaults={
                "email": "demo-officer@demo.invalid",
                # Letters name the deciding officer.
                "first_name": "Demo",
                "last_name": "Officer",
            },
        )
        if created:
            officer.set_unusable_password()
            officer.save()
            officer.groups.add(Group.objects.get(name=Role.GRANT_OFFICER.value))
    return officer


def _load_application(row: dict, officer) -> None:
    skip = {*STEP_KEYS, "partner_city", "departs_on", "returns_on", "applicant_birth_date"}
    application = GrantApplication(
        scheme=GrantScheme.objects.get(slug=row["scheme"]),
        applicant_email=row["key"],
        partner_city=PartnerCity.objects.filter(slug=row.get("partner_city") or "").first(),
        departs_on=datetime.date.fromisoformat(row["departs_on"]),
        returns_on=datetime.date.fromisoformat(row["returns_on"]),
        applicant_birth_date=(
            datetime.date.fromisoformat(row["applicant_birth_date"])
            if row.get("applicant_birth_date")
            else None
        ),
        **{k: v for k, v in row.items() if k not in skip},
    )
    services.submit_application(
        application=application,
        files=[],
        language=default_language(),
        submission_key=f"demo:{row['key']}",
        client_key="",
    )
    services.confirm_email(application=application)
    # A row may name its own steps: "approve" above the four-eyes amount leaves a proposal.
    for step in row.get("steps", PATHS[row["target_state"]]):
        application = GrantApplication.objects.prefetch_related("proposals").get(pk=application.pk)
        by_applicant = workflow.action(step).actor == Actor.APPLICANT
        allowed = allowed_actions(application, officer=None if by_applicant else officer)
        if step not in allowed:
            raise ValueError(f"Demo application {row['key']}: {step} is not allowed now.")
        # Demo grants stay under the four-eyes amount so one officer decides them, but for
        # the case that shows four eyes: proposed by this officer, awaiting another.
        data = {
            "question": row.get("question", ""),
            "amount": Decimal(row.get("grant") or 0),
            "reason": row.get("reason", ""),
            # The scheme's rules a decision that does not fully grant rests on.
            "rules": row.get("rules", []),
            "report": row.get("report", ""),
            "cost": application.total_cost,
            "reference": f"DEMO-{application.pk}",
            "participants": application.participants,
            "cost_travel": application.cost_travel,
            "cost_accommodation": application.cost_accommodation,
            "cost_other": application.cost_other,
            "taken_place": True,
            "facts": row.get("facts", ""),
            "deadline": earliest_hearing_deadline(),
        }
        services.perform(
            step, application=application, officer=None if by_applicant else officer, data=data
        )
    if "decided_months_ago" in row:
        _decided_earlier(application, row["decided_months_ago"])


def _decided_earlier(application, months_ago: int) -> None:
    """Date the demo case's decision `months_ago` months back, with the steps before it, so
    that the public grant statistics (ended months only) have figures to show. The kept
    totals follow when the demo recounts them (load_demo)."""
    application = GrantApplication.objects.get(pk=application.pk)
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months_ago, 12)
    when = timezone.make_aware(datetime.datetime(year, month + 1, 12, 10))
    shift = when - application.decided_at
    application.events.filter(at__lte=application.decided_at).update(at=F("at") + shift)
    GrantApplication.objects.filter(pk=application.pk).update(
        decided_at=when, submitted_at=F("submitted_at") + shift
    )
