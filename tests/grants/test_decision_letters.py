"""Decisions that meet administrative law: reasons (the scheme's rule and the officer's
considerations) on every decision that does not fully grant, complaint guidance, the
officer(s) and the office named, the approval's amount, conditions, report deadline and
payment; letter texts per scheme and language that administrators edit with a preview."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from grants import letters, services
from grants.enums import ApplicationState
from grants.models import ApplicationMessage, GrantApplication, GrantScheme, LetterTemplate
from portal.models import OutboxMail, SiteSettings
from tests.conftest import deliver
from tests.factories import GrantApplicationFactory, GrantSchemeFactory, UserFactory
from tests.grants.conftest import officer
from tests.portal.test_post_permissions import database

pytestmark = pytest.mark.django_db
S = ApplicationState

GUIDANCE_DA = "Du kan bede os genoverveje afgørelsen og klage til Folketingets Ombudsmand."
GUIDANCE_EN = "You can ask us to reconsider and complain to the Parliamentary Ombudsman."


@pytest.fixture
def office():
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={
            "municipality_name": "Ballerup Kommune",
            "contact_email": "international@balk.dk",
            "contact_phone": "44 77 20 00",
            "address": "Hold-An Vej 7, 2750 Ballerup",
            "grant_four_eyes_amount": 25000,
        },
    )


@pytest.fixture
def scheme():
    return GrantSchemeFactory(
        legal_basis_da="Retningslinjer for den internationale pulje",
        legal_basis_en="Guidelines for the international fund",
        conditions_da="Tilskuddet bruges kun til den rejse, der er søgt om.",
        conditions_en="The grant is used only for the trip applied for.",
        payment_terms_da="Udbetales til NemKonto inden 14 dage.",
        payment_terms_en="Paid to your NemKonto within 14 days.",
        complaint_guidance_da=GUIDANCE_DA,
        complaint_guidance_en=GUIDANCE_EN,
        report_days=30,
    )


@pytest.fixture
def anna():
    user = officer("anna", "anna@balk.dk")
    user.first_name, user.last_name = "Anna", "Berg"
    user.save()
    return user


def case(scheme, **fields):
    return GrantApplicationFactory(
        scheme=scheme,
        state=S.IN_REVIEW,
        applicant_name="Sofie Jensen",
        returns_on=datetime.date(2027, 3, 15),
        departs_on=datetime.date(2027, 3, 10),
        **fields,
    )


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def sent_letter(django_capture_on_commit_callbacks, decide):
    """Decide, run the mail worker; the mail and its letter's text."""
    with django_capture_on_commit_callbacks(execute=True):
        decide()
    message = deliver()[-1]
    return message, pdf_text(message.attachments[0][1])


def stored(application) -> tuple:
    application = GrantApplication.objects.get(pk=application.pk)
    return (
        application.state,
        application.amount_granted,
        application.decision_reason,
        application.decision_rules,
        application.decided_by_id,
    )


# 1. Reasons.


def test_a_rejection_without_a_rule_is_refused_at_the_field_and_nothing_changes(
    client, line, scheme, anna, office
):
    application = case(scheme)
    client.force_login(anna)
    before, sent = database(), len(mail.outbox)
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "reject"]),
        {"reason": "Programmet er mest sightseeing"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="reject_rules_error">Vælg den regel i puljen, som afgørelsen hviler på.' in page
    assert "Programmet er mest sightseeing</textarea>" in page  # what was typed is kept
    assert database() == before
    assert (len(mail.outbox), OutboxMail.objects.count()) == (sent, 0)


def test_the_service_refuses_a_rejection_without_reasons_or_with_a_rule_of_another_scheme(
    line, scheme, anna, office
):
    scheme.cap = None
    scheme.save()
    application = case(scheme)
    before = database()
    with pytest.raises(services.GrantError) as no_rule:
        services.reject(application=application, officer=anna, reason="Nej")
    with pytest.raises(services.GrantError) as not_this_schemes:
        services.reject(application=application, officer=anna, reason="Nej", rules=["cap"])
    with pytest.raises(services.GrantError) as no_considerations:
        services.reject(application=application, officer=anna, reason=" ", rules=["purpose"])
    assert (no_rule.value.field, not_this_schemes.value.field) == ("rules", "rules")
    assert str(not_this_schemes.value) == "Dette er ikke regler i denne pulje: cap."
    assert no_considerations.value.field == "reason"
    assert database() == before
    assert OutboxMail.objects.count() == 0


def test_the_case_page_offers_only_the_rules_of_the_cases_scheme(client, line, scheme, anna):
    scheme.cap = None
    scheme.requires_under_25 = False
    scheme.save()
    client.force_login(anna)
    page = client.get(reverse("grants:officer_case", args=[case(scheme).pk])).content.decode()
    offered = [key for key in letters.ground_keys() if f'value="{key}" ' in page]
    assert offered == [
        "purpose",
        "applicant_kind",
        "partner_city",
        "before_departure",
        "period",
        "costs",
        "budget",
    ]
    assert "Puljens regler, som afgørelsen hviler på" in page
    assert "Hjemmel: Retningslinjer for den internationale pulje" in page


def test_approving_less_than_applied_for_needs_reasons(client, line, scheme, anna, office):
    application = case(scheme, amount_requested=Decimal("12000"))
    client.force_login(anna)
    action = reverse("grants:officer_action", args=[application.pk, "approve"])
    before = database()
    response = client.post(action, {"amount": "9000", "reason": "", "understood": "on"})
    assert response.status_code == 400
    assert "Vælg den regel i puljen, som afgørelsen hviler på." in response.content.decode()
    response = client.post(
        action, {"amount": "9000", "reason": "", "rules": ["purpose"], "understood": "on"}
    )
    assert "Skriv de hovedhensyn, der har været afgørende" in response.content.decode()
    assert database() == before

    reasons = {"reason": "Ledernes rejse dækkes ikke", "rules": ["purpose", "under_25"]}
    client.post(action, {"amount": "9000", **reasons, "understood": "on"})
    assert stored(application) == (
        S.APPROVED,
        Decimal("9000.00"),
        "Ledernes rejse dækkes ikke",
        ["purpose", "under_25"],
        anna.pk,
    )


def test_a_full_approval_needs_no_reasons(line, scheme, anna):
    application = case(scheme, amount_requested=Decimal("12000"))
    services.approve(application=application, officer=anna, amount="12000")
    assert stored(application) == (S.APPROVED, Decimal("12000.00"), "", [], anna.pk)


# 2. What every written decision says.


def test_the_rejection_letter_and_mail_give_reasons_guidance_officer_office_and_case_number(
    line, scheme, anna, office, django_capture_on_commit_callbacks
):
    application = case(scheme)
    message, text = sent_letter(
        django_capture_on_commit_callbacks,
        lambda: services.reject(
            application=application,
            officer=anna,
            reason="Rejsen er en ferie uden faglig del.",
            rules=["purpose", "partner_city"],
        ),
    )
    number = GrantApplication.objects.get(pk=application.pk).case_number
    for body in (text, " ".join(message.body.split())):
        assert "Din ansøgning er afslået" in body
        assert f"Sagsnummer {number}" in body
        assert (
            "Der gives tilskud til rejser, der tjener puljens formål, som det er fastlagt i: "
            "Retningslinjer for den internationale pulje."
        ) in body
        assert "Puljen er til rejser til en af vores samarbejdsbyer." in body
        assert "Rejsen er en ferie uden faglig del." in body
        assert GUIDANCE_DA in body
        assert "Afgjort af Anna Berg, sagsbehandler." in body
        assert "international@balk.dk" in body and "44 77 20 00" in body
        assert "Hold-An Vej 7, 2750 Ballerup" in body
        assert "anna" not in body.replace("Anna", "")  # the full name, never the username
        assert "Betingelser for tilskuddet" not in body  # nothing of an approval
    assert message.subject == "Afgørelse på din ansøgning"


def test_the_approval_letter_gives_amount_conditions_report_deadline_and_payment(
    line, scheme, anna, office, django_capture_on_commit_callbacks
):
    application = case(scheme, amount_requested=Decimal("12000"), language="en")
    message, text = sent_letter(
        django_capture_on_commit_callbacks,
        lambda: services.approve(application=application, officer=anna, amount="12000"),
    )
    for body in (text, " ".join(message.body.split())):
        assert "Your application is approved" in body
        assert "You are granted DKK 12,000 (you applied for DKK 12,000)." in body
        assert "The grant is used only for the trip applied for." in body
        assert "Paid to your NemKonto within 14 days." in body
        # The trip's return (15 March 2027) and the scheme's 30 days.
        assert "Report back by 14 April 2027" in body
        assert "Decided by Anna Berg, grant officer." in body
        # A full grant has no reasons to give, and nothing to complain about.
        assert GUIDANCE_EN not in body and "Reasons for the decision" not in body


def test_a_partial_approval_gives_the_amount_and_the_reasons_and_guidance(
    line, scheme, anna, office, django_capture_on_commit_callbacks
):
    application = case(scheme, amount_requested=Decimal("12000"), language="en")
    message, text = sent_letter(
        django_capture_on_commit_callbacks,
        lambda: services.approve(
            application=application,
            officer=anna,
            amount="9000",
            reason="The leaders' travel is not covered.",
            rules=["under_25"],
        ),
    )
    assert "Your application is partly approved" in text
    assert "grant you DKK 9,000 of the DKK 12,000 you applied for" in text
    assert "You are granted DKK 9,000 (you applied for DKK 12,000)." in text
    assert "The grant is for people under 25: at least one participant must be under 25." in text
    assert "The leaders' travel is not covered." in text
    assert GUIDANCE_EN in text and "Report back by" in text
    assert GUIDANCE_EN in " ".join(message.body.split())


def test_with_four_eyes_the_letter_names_both_officers_and_the_proposals_reasons(
    client, line, scheme, anna, office, django_capture_on_commit_callbacks
):
    SiteSettings.objects.update(grant_four_eyes_amount=5000)
    bo = officer("bo", "bo@balk.dk")
    bo.first_name, bo.last_name = "Bo", "Holm"
    bo.save()
    application = case(scheme, amount_requested=Decimal("12000"))
    proposal = services.approve(
        application=application,
        officer=anna,
        amount="10000",
        reason="Kortere ophold",
        rules=["budget"],
    )
    # The second officer is shown the reasons they confirm with the amount.
    client.force_login(bo)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert (
        '<p id="proposal-rules">Puljens regler, som afgørelsen hviler på: '
        "Puljens budget for året</p>"
    ) in page
    message, text = sent_letter(
        django_capture_on_commit_callbacks,
        lambda: services.confirm_approval(
            application=application, officer=bo, proposal_id=proposal.pk, amount="10000.00"
        ),
    )
    assert "Indstillet af Anna Berg og godkendt af Bo Holm, sagsbehandlere." in text
    assert "Kortere ophold" in text and "det, der er tilbage, fordeles mellem ansøgningerne" in text
    assert stored(application)[2:4] == ("Kortere ophold", ["budget"])


def test_without_the_schemes_complaint_guidance_in_the_letters_language_the_portals_is_printed(
    line, scheme, anna, office, django_capture_on_commit_callbacks
):
    scheme.complaint_guidance_en = ""
    scheme.save()
    application = case(scheme, language="en")
    _message, text = sent_letter(
        django_capture_on_commit_callbacks,
        lambda: services.reject(
            application=application, officer=anna, reason="No.", rules=["budget"]
        ),
    )
    assert GUIDANCE_DA not in text  # never the Danish text to an English reader
    assert "the National Social Appeals Board (Ankestyrelsen) does not handle complaints" in text
    assert "Parliamentary Ombudsman (Folketingets Ombudsmand" in text


# 4. The applicant's language, and the officer's.


def test_what_the_officer_wrote_is_marked_with_its_own_language(
    line, scheme, anna, office, django_capture_on_commit_callbacks
):
    application = case(scheme, language="en")
    with translation.override("da"):  # the officer's interface is in Danish
        message, _text = sent_letter(
            django_capture_on_commit_callbacks,
            lambda: services.reject(
                application=application,
                officer=anna,
                reason="Rejsen er en ferie.",
                rules=["purpose"],
            ),
        )
    application.refresh_from_db()
    assert (application.language, application.decision_language) == ("en", "da")
    assert "The main considerations (written by the officer in Danish):" in message.body
    html = letters.letter_html(application)
    assert '<html lang="en">' in html
    assert '<div class="considerations" lang="da"><p>Rejsen er en ferie.</p></div>' in html
    # In the officer's own language nothing is marked.
    same = case(scheme, language="da")
    with translation.override("da"):
        services.reject(application=same, officer=anna, reason="Nej.", rules=["purpose"])
    same.refresh_from_db()
    assert '<div class="considerations"><p>Nej.</p></div>' in letters.letter_html(same)


def test_a_question_keeps_the_language_it_was_written_in(client, line, scheme, anna):
    application = case(scheme, language="en")
    with translation.override("de"):
        services.request_information(application=application, officer=anna, question="Wie viele?")
    assert list(ApplicationMessage.objects.values_list("text", "language")) == [
        ("Wie viele?", "de")
    ]
    # The applicant reads it marked as German on their English page, unmarked on a German one.
    url = application.get_case_url()  # in the default language, without a prefix
    english = client.get("/en" + url).content.decode()
    assert '<span lang="de">Wie viele?</span>' in english
    german = client.get("/de" + url).content.decode()
    assert "<span>Wie viele?</span>" in german


# 3. Letter templates.


def test_the_schemes_template_comes_first_then_the_default_then_the_portals_text(
    line, scheme, anna, office
):
    application = case(scheme, language="da")
    services.reject(application=application, officer=anna, reason="Nej.", rules=["purpose"])
    application = GrantApplication.objects.get(pk=application.pk)
    assert letters.decision_letter(application).subject == "Din ansøgning er afslået"

    LetterTemplate.objects.create(
        kind="rejection",
        language="da",
        subject="Afslag i sag {case_number}",
        body="Kære {applicant}",
    )
    assert letters.decision_letter(application).subject == f"Afslag i sag {application.case_number}"
    LetterTemplate.objects.create(
        scheme=scheme, kind="rejection", language="da", subject="Afslag fra {scheme}", body="Hej"
    )
    LetterTemplate.objects.create(
        scheme=scheme, kind="rejection", language="en", subject="Not this one", body="No"
    )
    letter = letters.decision_letter(application)
    assert (letter.subject, letter.body) == ("Afslag fra Rejsetilskud til unge", "Hej")


def test_unknown_placeholders_are_refused_by_the_admin_and_nothing_is_saved(admin_client):
    add = reverse("admin:grants_lettertemplate_add")
    for text, shown in [
        ("Kære {applicant.__class__}", "“{applicant.__class__}” er ikke en pladsholder"),
        ("Kære {navn}", "“{navn}” er ikke en pladsholder"),
        ("Kære {applicant:>100}", "“{applicant:&gt;100}” er ikke en pladsholder"),
        ("Kære {applicant", "En krøllet parentes er ikke lukket."),
    ]:
        response = admin_client.post(
            add, {"kind": "rejection", "language": "da", "subject": "Afslag", "body": text}
        )
        assert response.status_code == 200
        assert shown in response.content.decode()
    assert LetterTemplate.objects.count() == 0


def test_the_admin_starts_a_template_from_the_portals_text_and_previews_it(
    client, administrator, office
):
    admin_client = client
    admin_client.force_login(administrator)
    page = admin_client.get(
        reverse("admin:grants_lettertemplate_add") + "?kind=partial&language=en"
    ).content.decode()
    assert "Your application is partly approved" in page
    response = admin_client.post(
        reverse("admin:grants_lettertemplate_add"),
        {
            "kind": "partial",
            "language": "en",
            "subject": "Part of {requested} granted",
            "body": "Dear {applicant}, case {case_number}: {amount}.",
        },
    )
    template = LetterTemplate.objects.get()
    assert response.status_code == 302
    change = admin_client.get(
        reverse("admin:grants_lettertemplate_change", args=[template.pk])
    ).content.decode()
    change = " ".join(change.split())  # the amounts' non-breaking spaces too
    assert "Part of DKK 12,000 granted" in change
    assert "Dear Sofie Jensen, case" in change and "-0011: DKK 9,000." in change
    whole = admin_client.get(
        reverse("admin:grants_lettertemplate_preview", args=[template.pk])
    ).content.decode()
    whole = " ".join(whole.split())
    assert '<html lang="en">' in whole
    assert "<h1>Part of DKK 12,000 granted</h1>" in whole
    assert "Decided by Anna Berg, grant officer." in whole
    assert "Reasons for the decision" in whole and "international@balk.dk" in whole
    assert GrantApplication.objects.count() == 0  # the example case is never saved


def scheme_form(**changes) -> dict:
    data = {
        "slug": "ny-pulje",
        "name_da": "Ny pulje",
        "name_en": "New fund",
        "budget_line_code": "INT-UNG",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "decision_days": "30",
        "report_days": "30",
        "complaint_guidance_da": GUIDANCE_DA,
        "complaint_guidance_en": GUIDANCE_EN,
        "complaint_guidance_de": "Sie können den Ombudsmann anrufen.",
    }
    return {**data, **changes}


def test_a_scheme_is_saved_only_with_complaint_guidance_in_every_offered_language(admin_client):
    add = reverse("admin:grants_grantscheme_add")
    page = admin_client.get(add).content.decode()
    # A new scheme starts from the portal's text in each language.
    assert "Ankestyrelsen behandler ikke klager over den" in page
    assert "nimmt keine Beschwerden dagegen an" in page
    response = admin_client.post(add, scheme_form(complaint_guidance_en=" "))
    assert response.status_code == 200
    assert (
        "Skriv klagevejledningen på engelsk: enhver afgørelse, der ikke giver fuldt medhold, "
        "bringer den på ansøgerens sprog."
    ) in response.content.decode()
    assert not GrantScheme.objects.filter(slug="ny-pulje").exists()
    assert admin_client.post(add, scheme_form()).status_code == 302
    assert GrantScheme.objects.get(slug="ny-pulje").complaint_guidance_en == GUIDANCE_EN


def test_a_scheme_saved_without_complaint_guidance_is_offered_the_portals_text(admin_client):
    old = GrantSchemeFactory(complaint_guidance_da=GUIDANCE_DA)
    page = admin_client.get(reverse("admin:grants_grantscheme_change", args=[old.pk]))
    page = page.content.decode()
    assert GUIDANCE_DA in page  # its own text is kept
    assert "the National Social Appeals Board (Ankestyrelsen) does not handle" in page
    assert not GrantScheme.objects.get(pk=old.pk).complaint_guidance_en  # until saved


def test_the_demo_schemes_carry_their_casework_in_every_language():
    import json
    from pathlib import Path

    from django.conf import settings

    demo = json.loads((Path(settings.BASE_DIR) / "shell/demo/ballerup.json").read_text())
    for row in demo["grant_schemes"]:
        for name in ("legal_basis", "conditions", "payment_terms", "complaint_guidance"):
            assert all(row.get(f"{name}_{code}") for code in ("da", "en", "de")), (row, name)
    # Every demo decision that does not fully grant rests on rules of its scheme.
    rules = ("requires_under_25", "requires_partner_city", "applicant_kinds", "cap")
    schemes = {
        row["slug"]: GrantScheme(**{key: row.get(key) for key in rules})
        for row in demo["grant_schemes"]
    }
    for row in demo["grant_applications"]:
        if row["target_state"] == "rejected" or (
            row.get("grant") and Decimal(row["grant"]) < Decimal(row["amount_requested"])
        ):
            assert row["rules"] and row["reason"], row["key"]
            assert letters.unknown_grounds(schemes[row["scheme"]], row["rules"]) == []


def test_another_officers_user_is_never_named_by_username_when_they_have_a_name():
    named = UserFactory(username="mhj", first_name="Mette", last_name="Holm")
    assert letters.officer_name(named) == "Mette Holm"
    assert letters.officer_name(UserFactory(username="x12", first_name="", last_name="")) == "x12"


def test_a_german_applicant_reads_the_whole_letter_in_german(
    line, scheme, anna, office, django_capture_on_commit_callbacks
):
    scheme.complaint_guidance_de = "Sie können sich an den Ombudsmann wenden."
    scheme.save()
    application = case(scheme, language="de")
    with translation.override("da"):
        message, text = sent_letter(
            django_capture_on_commit_callbacks,
            lambda: services.reject(
                application=application, officer=anna, reason="Nej.", rules=["period"]
            ),
        )
    number = GrantApplication.objects.get(pk=application.pk).case_number
    assert f"Aktenzeichen {number} Ihr Antrag ist abgelehnt" in text
    assert "Begründung des Bescheids" in text
    assert "Rechtsbehelfsbelehrung Sie können sich an den Ombudsmann wenden." in text
    assert "(von der Sachbearbeitung auf Dänisch geschrieben)" in text
    assert "Entschieden von Anna Berg, Sachbearbeitung." in text
    assert "(von der Sachbearbeitung auf Dänisch geschrieben)" in message.body
