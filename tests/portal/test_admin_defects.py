"""Defects an administrator met in the admin (issue 30): each as the administrator sees it."""

import re
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEntry, SiteSettings
from tests.factories import BudgetLineFactory, BudgetYearFactory


class FormAsShown(HTMLParser):
    """What a browser sends back for the page's form when nothing is touched: inputs,
    chosen options, checked boxes, and textareas with their line breaks as `\r\n`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._textarea = self._select = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            text = "".join(self._text).removeprefix("\n")  # the newline HTML drops
            self.data.setdefault(self._textarea, []).append(text.replace("\n", "\r\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_as_shown(page: str) -> dict[str, list[str]]:
    parser = FormAsShown()
    parser.feed(page)
    return parser.data


def link_with_id(page: str, element_id: str) -> str:
    found = re.search(rf'<a href="([^"]+)" id="{element_id}"', page)
    assert found, f"no link #{element_id}"
    return found.group(1).replace("&amp;", "&")


def test_the_front_page_tile_of_this_years_budget_lines_opens_them(client, administrator):
    this_year = timezone.localdate().year
    BudgetLineFactory(budget_year=BudgetYearFactory(year=this_year), code="THIS-YEAR")
    BudgetLineFactory(budget_year=BudgetYearFactory(year=this_year - 1), code="LAST-YEAR")
    client.force_login(administrator)

    front_page = client.get(reverse("staff_dashboard")).content.decode()
    response = client.get(link_with_id(front_page, "count-lines"))

    assert response.status_code == 200
    listed = response.content.decode()
    assert "THIS-YEAR" in listed
    assert "LAST-YEAR" not in listed


def test_saving_untouched_site_settings_changes_and_audits_nothing(client, administrator):
    from django.contrib.auth.models import Permission

    administrator.user_permissions.add(Permission.objects.get(codename="change_sitesettings"))
    intro = "Ballerup samarbejder med byer i Europa og Kina.\n\nLæs om rejserne."
    rule = "Uforbrugte midler overføres.\nInden for valgperioden."
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={"municipality_name": "Ballerup", "intro_da": intro, "carry_over_rule_da": rule},
    )
    client.force_login(administrator)
    url = reverse("admin:portal_sitesettings_change", args=[1])
    sent = form_as_shown(client.get(url).content.decode())
    assert "\r\n" in sent["intro_da"][0]  # as a browser sends a textarea

    client.post(url, sent)

    settings = SiteSettings.objects.get(pk=1)
    assert (settings.intro_da, settings.carry_over_rule_da) == (intro, rule)
    assert list(AuditEntry.objects.filter(action="site.settings")) == []

    client.post(url, {**sent, "tagline_da": "Ude i verden"})
    entry = AuditEntry.objects.get(action="site.settings")
    assert (entry.data["tagline_da"], entry.data["tagline_da (new)"]) == ("", "Ude i verden")
    assert not any(key.startswith(("intro", "carry_over_rule")) for key in entry.data)


def test_a_text_typed_on_a_public_form_is_kept_with_its_line_breaks(client, application_form):
    from grants.models import GrantApplication
    from tests.conftest import apply_for

    apply_for(client, {**application_form, "purpose": "Lejr i Prag.\r\nTi spejdere."})

    assert GrantApplication.objects.get().purpose == "Lejr i Prag.\nTi spejdere."


# Deleting: offered where it is allowed, refused in words where the record must be kept.


def test_deleting_selected_trips_deletes_the_draft_and_says_why_the_published_one_stays(
    client, administrator
):
    from django.contrib.auth.models import Permission

    from tests.factories import TripFactory
    from travel.models import Trip

    administrator.user_permissions.add(Permission.objects.get(codename="delete_trip"))
    published = TripFactory(title="Studietur til Wuxi")
    draft = TripFactory(state="draft", published_at=None, title="Fejloprettet rejse")
    client.force_login(administrator)
    changelist = reverse("admin:travel_trip_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [published.pk, draft.pk]}

    confirm = client.post(changelist, chosen).content.decode()
    assert "“Studietur til Wuxi” bevares: Den har været offentlig." in confirm
    assert "Fejloprettet rejse" in confirm[confirm.index('id="content"') :]
    client.post(changelist, {**chosen, "post": "yes"})

    assert list(Trip.objects.values_list("title", flat=True)) == ["Studietur til Wuxi"]
    assert list(AuditEntry.objects.values_list("action", "object_id")) == [
        ("admin.delete", str(draft.pk))
    ]


def test_the_delete_page_of_a_record_that_must_be_kept_says_why(client, administrator):
    from django.contrib.auth.models import Permission

    from grants.models import GrantApplication
    from tests.factories import GrantApplicationFactory, TripFactory
    from travel.models import Trip

    administrator.user_permissions.add(Permission.objects.get(codename="delete_trip"))
    trip = TripFactory(title="Studietur til Wuxi")
    case = GrantApplicationFactory(state="rejected")
    client.force_login(administrator)

    for url, reason in [
        (
            reverse("admin:travel_trip_delete", args=[trip.pk]),
            "Den har været offentlig. Tag den ned med en begrundelse på rejsens side for "
            "medarbejdere.",
        ),
        (
            reverse("admin:grants_grantapplication_delete", args=[case.pk]),
            "En tilskudssag har en historik og slettes aldrig; den afsluttes på "
            "sagsbehandlernes sider.",
        ),
    ]:
        for response in (client.get(url), client.post(url, {"post": "yes"})):
            assert response.status_code == 403
            assert f'<p id="delete-refused">{reason}</p>' in response.content.decode(), url

    assert (Trip.objects.count(), GrantApplication.objects.count()) == (1, 1)
    assert not AuditEntry.objects.exists()


def test_the_audit_log_offers_no_delete(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:portal_auditentry_changelist")).content.decode()
    assert "delete_selected" not in page


# The audit log: found by what, when and who; money one way; words in the reader's language.


def test_the_audit_log_is_filtered_by_action_date_and_user_and_searched(client, administrator):
    import datetime

    from budgets.services import book_commitment, reverse_commitment
    from tests.factories import UserFactory

    clerk = UserFactory(username="kasserer")
    line = BudgetLineFactory(code="INT-UNG")
    booked = book_commitment(
        line=line, amount=12500, description="Lejr i Prag", source="manual", reason="r",
        manual_cause="membership",
        actor=clerk,
    )  # fmt: skip
    reverse_commitment(commitment=booked, actor=administrator, reason="Fejl")
    AuditEntry.objects.filter(action="budget.book").update(
        at=datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    )
    client.force_login(administrator)
    url = reverse("admin:portal_auditentry_changelist")

    def listed(**query) -> list[str]:
        page = client.get(url, query).content.decode()
        return re.findall(r'class="field-action_label">([^<]+)<', page)

    page = client.get(url).content.decode()
    assert 'href="?action__exact=budget.reverse"' in page
    assert f'href="?actor__id__exact={clerk.pk}"' in page
    assert '<a href="?object_type__exact=budgets.Commitment">disponering</a>' in page
    assert "budgets.Commitment<" not in page
    assert listed() == ["Disponering tilbageført", "Disponering bogført"]
    assert listed(action__exact="budget.book") == ["Disponering bogført"]
    assert listed(actor__id__exact=clerk.pk) == ["Disponering bogført"]
    assert listed(at__gte="2026-01-01T00:00:00+01:00") == ["Disponering tilbageført"]
    assert listed(q="kasserer") == ["Disponering bogført"]
    assert listed(q="Lejr") == ["Disponering tilbageført", "Disponering bogført"]


def test_the_audit_log_writes_money_one_way_in_the_readers_language(client, administrator):
    from budgets.services import book_commitment, change_line_amount, reverse_commitment

    line = BudgetLineFactory(code="INT-UNG", amount=150_000)
    booked = book_commitment(
        line=line, amount=12500, description="Lejr i Prag", source="manual", reason="r",
        manual_cause="membership",
        actor=administrator,
    )  # fmt: skip
    reverse_commitment(commitment=booked, actor=administrator, reason="Fejl")
    change_line_amount(line=line, amount=140_000, actor=administrator, reason="Budgetforlig")
    # An entry written before amounts left the summaries, as an older portal wrote it.
    older = AuditEntry.objects.create(
        action="budget.spent", object_type="budgets.commitment", object_id="1",
        summary="-12500.00 DKK Lejr i Prag",
    )  # fmt: skip
    client.force_login(administrator)

    page = client.get(reverse("admin:portal_auditentry_changelist")).content.decode()
    assert "12500.00" not in page and "DKK" not in page
    assert "-12.500\xa0kr." in page  # the reversal's amount, and the older entry's summary
    entry = AuditEntry.objects.get(action="budget.change_amount")
    detail = client.get(reverse("admin:portal_auditentry_change", args=[entry.pk]))
    text = detail.content.decode()
    assert "før: 150.000\xa0kr.; efter: 140.000\xa0kr." in text
    assert "140.000\xa0kr." in text[text.index("field-money") :]
    older_page = client.get(reverse("admin:portal_auditentry_change", args=[older.pk]))
    assert "-12.500\xa0kr. Lejr i Prag" in older_page.content.decode()

    english = client.get(
        "/en" + reverse("admin:portal_auditentry_change", args=[entry.pk])
    ).content.decode()
    assert "before: DKK\xa0150,000; after: DKK\xa0140,000" in english


def test_the_audit_log_says_in_danish_what_changed_for_a_user(client, administrator, admin_user):
    from django.contrib.auth.models import Group

    from portal.roles import Role
    from tests.factories import UserFactory

    mads = UserFactory(username="mads", email="mads@kommune.dk")
    officer_group = Group.objects.get(name=Role.GRANT_OFFICER.value)
    client.force_login(admin_user)
    client.post(
        reverse("admin:auth_user_change", args=[mads.pk]),
        {
            "username": "mads",
            "email": "mads@kommune.dk",
            "is_active": "on",
            "is_staff": "on",
            "groups": [officer_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    pages = "".join(
        client.get(reverse("admin:portal_auditentry_change", args=[entry.pk])).content.decode()
        for entry in AuditEntry.objects.filter(object_type="auth.User")
    )
    assert "roller: Tilskudsmedarbejder; tilføjet: Tilskudsmedarbejder; fjernet: -" in pages
    assert "personale: ja; superbruger: nej; var personale: nej; var superbruger: nej" in pages
    for english in ("staff True", "Grant officer", "superuser False", "user.roles"):
        assert english not in pages
