"""Every view that writes, POSTed by every persona that may not use it: nothing in the
database changes. The allowed persona's POST with the same data does change it, so the data
is known to be good enough to have an effect.

`test_every_writing_view_is_here` fails when a URL that accepts POST has no row.
"""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from budgets import followup
from budgets.services import book_commitment
from grants.enums import ApplicationState
from portal import audit
from portal.models import SiteSettings
from tests.conftest import PERSONAS
from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    CommitteeFactory,
    ExchangeFactory,
    GrantApplicationFactory,
    InitiativeFactory,
    PartnerCityFactory,
    TripFactory,
)
from tests.formdata import trip_form

S = ApplicationState
LABELS = ("portal", "partnerships", "budgets", "grants", "travel", "auth")


def database() -> dict:
    """Every row of the portal's tables and of users and roles (last logins aside)."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in LABELS:
            rows = list(model.objects.order_by("pk").values())
            for row in rows:
                row.pop("last_login", None)
            state[model._meta.label] = rows
    for model in (apps.get_model("auth", "User"), apps.get_model("auth", "Group")):
        through = model._meta.get_field("groups" if model.__name__ == "User" else "permissions")
        state[f"{model._meta.label}.m2m"] = sorted(
            through.remote_field.through.objects.values_list()
        )
    return state


@pytest.fixture
def world(db, coordinator):
    """One of everything the writing views act on."""
    year = timezone.localdate().year
    line = BudgetLineFactory(budget_year=BudgetYearFactory(year=year), code="INT-UNG")
    manual = book_commitment(
        line=line, amount=100, description="Kontingent", source="manual", reason="Faktura",
        manual_cause="membership",
        actor=None,
    )  # fmt: skip
    committee = CommitteeFactory()
    draft = TripFactory(state="draft", published_at=None, costs=[("transport", 100, 90)])
    draft.programme.create(day=draft.starts_on, what="Møde")
    published = TripFactory(report="Mål og udbytte", costs=[("transport", 100, 90)])
    initiative = InitiativeFactory(budget_year=line.budget_year)
    city = PartnerCityFactory()
    SiteSettings.current()
    return {
        "line": line,
        "manual": manual,
        "committee": committee,
        "draft": draft,
        "published": published,
        "initiative": initiative,
        "city": city,
        "exchange": ExchangeFactory(registered_by=coordinator, partner_city=city),
        "submitted": GrantApplicationFactory(state=S.SUBMITTED),
        "in_review": GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=500),
        "approved": GrantApplicationFactory(state=S.APPROVED),
        "paid": GrantApplicationFactory(
            state=S.PAID, paid_on=timezone.localdate(), payment_reference="FIN-1"
        ),
        "closed": _archived(GrantApplicationFactory(state=S.CLOSED, journal_number="J-2")),
    }


def _archived(application):
    """A finished case whose file was taken for the records system: ready to be filed."""
    audit.record(actor=None, action="grant.archive", obj=application, summary="taken")
    return application


def exchange_data(world) -> dict:
    return {
        "title": "Elevudveksling",
        "kind": "pupil_exchange",
        "school": world["exchange"].school_id,
        "partner_city": world["city"].pk,
        "direction": "outgoing",
        "starts_on": "2026-10-05",
        "ends_on": "2026-10-16",
        "pupils": "16",
        "teachers": "2",
        "staff": "0",
        "others": "0",
        "status": "planned",
    }


def follow_up_file(world) -> dict:
    columns = followup.columns(followup.round_codes())
    row = dict.fromkeys(columns, "")
    row |= {
        "year": world["initiative"].budget_year.year,
        "number": "9.99",
        "title": "Ny indsats",
        "first_milestone": "Start",
    }
    text = ";".join(columns) + "\n" + ";".join(str(v) for v in row.values()) + "\n"
    return {"file": SimpleUploadedFile("f.csv", text.encode("utf-8-sig"), "text/csv")}


OFFICER = ("grant_officer",)
SECRETARY = ("secretary", "administrator")
# name: (allowed personas, url args from the world, POST data from the world)
WRITES = {
    "budgets:line_detail": (
        ("administrator",),
        lambda w: [w["line"].pk],
        lambda w: {
            "manual_cause": "materials",
            "amount": "50",
            "booked_on": timezone.localdate().isoformat(),
            "description": "Porto",
            "reason": "Faktura 1",
            "public_description": "Porto",
        },
    ),
    "budgets:commitment_reverse": (
        ("administrator",),
        lambda w: [w["manual"].pk],
        lambda w: {"reason": "Fejlbogført"},
    ),
    "budgets:staff_follow_up": (SECRETARY, lambda w: [w["line"].budget_year.year], follow_up_file),
    "budgets:follow_up_round": (
        SECRETARY,
        lambda w: [w["line"].budget_year.year, "first"],
        lambda w: {
            f"e{w['initiative'].pk}-economy_smiley": "kept",
            f"e{w['initiative'].pk}-economy_status": "Holdt",
        },
    ),
    "budgets:initiative_create": (
        SECRETARY,
        lambda w: [],
        lambda w: {"budget_year": w["line"].budget_year.pk, "number": "7.01", "title": "Ny"},
    ),
    "budgets:initiative_edit": (
        SECRETARY,
        lambda w: [w["initiative"].pk],
        lambda w: {"budget_year": w["line"].budget_year.pk, "number": "7.02", "title": "Ændret"},
    ),
    "travel:trip_create": (SECRETARY, lambda w: [], lambda w: trip_form(None)),
    "travel:trip_edit": (
        SECRETARY,
        lambda w: [w["draft"].pk],
        lambda w: trip_form(None, title="Ny titel"),
    ),
    "travel:trip_publish": (SECRETARY, lambda w: [w["draft"].pk], lambda w: {}),
    "travel:trip_unpublish": (
        SECRETARY,
        lambda w: [w["published"].pk],
        lambda w: {"reason": "Forkert dato"},
    ),
    "travel:trip_approve_report": (
        SECRETARY,
        lambda w: [w["published"].pk],
        lambda w: {
            "approved_on": (w["published"].ends_on + datetime.timedelta(days=20)).isoformat(),
            "approved_by": w["committee"].pk,
            "agenda_item": "7",
        },
    ),
    "partnerships:exchange_create": (
        ("coordinator", "administrator"),
        lambda w: [],
        exchange_data,
    ),
    "partnerships:exchange_edit": (
        ("coordinator", "administrator"),
        lambda w: [w["exchange"].pk],
        lambda w: {**exchange_data(w), "title": "Ændret"},
    ),
    "grants:queue_csv": (OFFICER, lambda w: [], lambda w: {"confirm": "on"}),  # audited
    "grants:queue_batch": (
        OFFICER,
        lambda w: [],
        lambda w: {
            "action": "paid",
            "cases": [w["approved"].pk],
            "confirmed": "yes",
            "reference": "FIN-1",
        },
    ),
    "grants:officer_action:review": (
        OFFICER,
        lambda w: [w["submitted"].pk, "review"],
        lambda w: {},
    ),
    "grants:officer_action:approve": (
        OFFICER,
        lambda w: [w["in_review"].pk, "approve"],
        lambda w: {"amount": "500", "reason": "Fint", "understood": "on"},
    ),
    "grants:officer_action:reject": (
        OFFICER,
        lambda w: [w["in_review"].pk, "reject"],
        lambda w: {"understood": "on", "reason": "Nej", "rules": ["purpose"]},
    ),
    "grants:officer_action:question": (
        OFFICER,
        lambda w: [w["in_review"].pk, "question"],
        lambda w: {"question": "Hvor mange?"},
    ),
    "grants:officer_action:declare_conflict": (
        OFFICER,
        lambda w: [w["in_review"].pk, "declare_conflict"],
        lambda w: {"reason": "Familie"},
    ),
    "grants:officer_action:paid": (
        OFFICER,
        lambda w: [w["approved"].pk, "paid"],
        lambda w: {"reference": "FIN-1", "understood": "on"},
    ),
    "grants:officer_action:reverse_payment": (
        OFFICER,
        lambda w: [w["paid"].pk, "reverse_payment"],
        lambda w: {"reason": "Forkert konto"},
    ),
    "grants:officer_journal": (
        OFFICER,
        lambda w: [w["in_review"].pk],
        lambda w: {"journal_number": "30.10.08-G01-1-26"},
    ),
    "grants:officer_archive": (OFFICER, lambda w: [w["closed"].pk], lambda w: {}),  # audited
    "grants:officer_filed": (OFFICER, lambda w: [w["closed"].pk], lambda w: {}),
    "grants:payment_download": (
        ("grant_officer", "administrator", "finance_clerk"),
        lambda w: [],
        lambda w: {
            "start": timezone.localdate().replace(day=1).isoformat(),
            "end": timezone.localdate().isoformat(),
            "format": "csv",
        },
    ),  # audited
    "grants:officer_action:take": (
        OFFICER,
        lambda w: [w["in_review"].pk, "take"],
        lambda w: {},
    ),
    "grants:officer_action:note": (
        OFFICER,
        lambda w: [w["in_review"].pk, "note"],
        lambda w: {"text": "Ring til foreningen"},
    ),
}
# Views that accept POST but are not staff writes: the login and language forms, and the
# applicant's own pages (reached by a private link; tests/grants cover them).
NOT_STAFF_WRITES = {
    "login",
    "logout",
    "set_language",
    "grants:apply",
    "grants:check",
    "grants:case",
    "grants:withdraw",
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_refused_write_changes_nothing(name, world, persona_client, request):
    allowed, args, data = WRITES[name]
    url = reverse(name.rsplit(":", 1)[0] if name.count(":") == 2 else name, args=args(world))
    for persona in PERSONAS:
        if persona in allowed:
            continue
        client = persona_client(persona)
        before = database()
        response = client.post(url, data(world))
        assert response.status_code in (302, 403, 404), (persona, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), persona
        assert database() == before, f"{persona} changed the database through {name}"
    # The same request by a persona who may make it does change something.
    client = persona_client(allowed[0])
    before = database()
    client.post(url, data(world))
    assert database() != before, f"{allowed[0]} could not write through {name}"


def test_every_writing_view_is_here():
    from tests.portal.test_url_permissions import MATRIX

    writing = {name.rsplit(":", 1)[0] if name.count(":") == 2 else name for name in WRITES}
    get_only = {
        name
        for name in MATRIX
        if name.startswith(("api:", "sitemap", "data", "robots"))
        or name
        in {
            "home",
            "search",
            "api_docs",
            "staff_dashboard",
            "budgets:index",
            "budgets:year",
            "budgets:year_csv",
            "budgets:line",
            "travel:overdue",
            "travel:people",
            "budgets:follow_up_index",
            "budgets:follow_up",
            "budgets:follow_up_pdf",
            "budgets:follow_up_csv",
            "travel:list",
            "travel:feed",
            "travel:person",
            "travel:trip",
            "travel:trip_pdf",
            "travel:staff_list",
            "travel:staff_trip",
            "grants:schemes",
            "grants:submitted",
            "grants:statistics",
            "grants:statistics_year",
            "grants:statistics_360",
            "budgets:staff_time",
            "grants:case_letter",
            "grants:queue",
            "grants:officer_case",
            "grants:officer_letter",
            "grants:officer_attachment",
            "grants:payments",
            "grants:to_file",
            "partnerships:city_list",
            "partnerships:city_detail",
            "partnerships:network_list",
            "partnerships:network_detail",
            "partnerships:charter_list",
            "partnerships:charter_detail",
            "partnerships:charter_attachment",
            "partnerships:exchange_list",
            "partnerships:exchange_detail",
        }
    }
    assert set(MATRIX) - get_only - NOT_STAFF_WRITES == writing
