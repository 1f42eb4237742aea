"""What a decision letter says, in one place: the decision letter (HTML and its PDF) and the
decision mail are both made from `decision_letter(application)`.

A decision that does not fully grant gives its reasons: the rules of the scheme it rests on
(`GROUNDS`, chosen by the officer and stored on the decision) and the officer's main
considerations; and it carries the scheme's complaint guidance. Every decision names the
officer(s) and how to reach the office. The wording around it is a `LetterTemplate` per
scheme, kind and language that administrators edit, with a few placeholders; what the law
requires is added here and cannot be edited away. See docs/decisions/decision-letters.md.
"""

import datetime
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from grants.enums import ApplicantKind, ProposalState
from grants.models import GrantApplication, GrantScheme, LetterKind, LetterTemplate
from portal.choices import label_of
from portal.i18n import localized
from portal.models import SiteSettings
from portal.money import format_money
from portal.municipalities import default_language

# The rules a decision may rest on. `applies(scheme)`: offered for that scheme. `text(scheme)`:
# the rule as the letter states it, in the letter's language; where grants.rules refuses an
# application for the same rule, the words are the same.


@dataclass(frozen=True)
class Ground:
    key: str
    label: Promise | str
    text: Callable[[GrantScheme], str]
    applies: Callable[[GrantScheme], bool] = lambda scheme: True


def _kinds(scheme) -> str:
    return gettext("This scheme is for: %(kinds)s.") % {
        "kinds": ", ".join(label_of(ApplicantKind, k).lower() for k in scheme.applicant_kinds)
    }


def _period(scheme) -> str:
    return gettext("The scheme is open for applications from %(opens)s to %(closes)s.") % {
        "opens": scheme.opens_on.strftime("%d.%m.%Y"),
        "closes": scheme.closes_on.strftime("%d.%m.%Y"),
    }


def _purpose(scheme) -> str:
    basis = scheme.legal_basis
    if basis:
        return gettext(
            "A grant is given for trips that serve the scheme's purpose, as set out in: %(basis)s."
        ) % {"basis": basis.rstrip(".")}
    return gettext("A grant is given for trips that serve the scheme's purpose.")


GROUNDS: list[Ground] = [
    Ground("purpose", _("The scheme's purpose (an assessment)"), _purpose),
    Ground(
        "applicant_kind",
        _("Who may apply"),
        _kinds,
        applies=lambda scheme: bool(scheme.applicant_kinds),
    ),
    Ground(
        "under_25",
        _("For people under 25"),
        lambda scheme: gettext(
            "The grant is for people under 25: at least one participant must be under 25."
        ),
        applies=lambda scheme: scheme.requires_under_25,
    ),
    Ground(
        "partner_city",
        _("Trips to partner cities only"),
        lambda scheme: gettext("This scheme is for trips to one of our partner cities."),
        applies=lambda scheme: scheme.requires_partner_city,
    ),
    Ground(
        "before_departure",
        _("Applied for before departure"),
        lambda scheme: gettext("Apply before you leave: the departure must be after today."),
    ),
    Ground("period", _("The scheme's application period"), _period),
    Ground(
        "costs",
        _("At most what the trip costs"),
        lambda scheme: gettext("You cannot apply for more than the trip costs."),
    ),
    Ground(
        "cap",
        _("The most per application"),
        lambda scheme: (
            gettext("The scheme grants at most %(cap)s per application.")
            % {"cap": format_money(scheme.cap)}
        ),
        applies=lambda scheme: scheme.cap is not None,
    ),
    Ground(
        "budget",
        _("The scheme's budget for the year"),
        lambda scheme: gettext(
            "Grants are given within the scheme's budget for the year; what is left of it is "
            "shared between the applications."
        ),
    ),
]


def grounds_for(scheme) -> list[Ground]:
    """The rules an officer may choose as the reasons of a decision on this scheme's case."""
    return [ground for ground in GROUNDS if ground.applies(scheme)]


def ground_keys() -> list[str]:
    return [ground.key for ground in GROUNDS]


def unknown_grounds(scheme, keys) -> list[str]:
    offered = {ground.key for ground in grounds_for(scheme)}
    return [key for key in keys if key not in offered]


def ground_texts(scheme, keys) -> list[str]:
    """The chosen rules in the active language, in the table's order."""
    return [ground.text(scheme) for ground in GROUNDS if ground.key in keys]


# Placeholders a letter template may use, and what each stands for.
PLACEHOLDERS: dict[str, Promise] = {
    "applicant": _("the applicant's name"),
    "case_number": _("the case number, e.g. 2026-0011"),
    "scheme": _("the scheme's name"),
    "amount": _("the amount granted"),
    "requested": _("the amount applied for"),
    "deadline": _("the date the report back is due"),
    "officer": _("the deciding officer's name (both, with four eyes)"),
    "municipality": _("the municipality's name"),
}


def placeholder_errors(text: str) -> list[str]:
    """What is wrong with the placeholders of a letter text: only `{name}` with one of
    PLACEHOLDERS; `{{` and `}}` stand for a brace. [] when nothing is."""
    try:
        parts = list(string.Formatter().parse(text or ""))
    except ValueError:
        return [
            gettext(
                "A brace is not closed. Write a placeholder as {applicant}, and a brace itself "
                "as {{ or }}."
            )
        ]
    errors = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            errors.append(
                gettext("“%(placeholder)s” is not a placeholder a letter can use. Use: %(known)s.")
                % {
                    "placeholder": "{"
                    + name
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else "")
                    + "}",
                    "known": ", ".join("{" + key + "}" for key in PLACEHOLDERS),
                }
            )
    return errors


def fill(text: str, values: dict) -> str:
    """The text with its placeholders filled in; never more than the allowed names."""
    return text.format_map({key: values.get(key, "") for key in PLACEHOLDERS})


# The texts the portal ships, in every language of its catalogue: what a letter says when
# no administrator has written a template for its scheme and language.
DEFAULT_TEXTS: dict[str, tuple[Promise, Promise]] = {
    LetterKind.APPROVAL: (
        _("Your application is approved"),
        _(
            "Dear {applicant},\n\nThank you for your application to {scheme}. We have "
            "considered it and grant you the amount you applied for. Below you find the "
            "conditions of the grant, how it is paid and when we need your report."
        ),
    ),
    LetterKind.PARTIAL: (
        _("Your application is partly approved"),
        _(
            "Dear {applicant},\n\nThank you for your application to {scheme}. We have "
            "considered it and grant you {amount} of the {requested} you applied for. Below "
            "you find why we do not grant the whole amount, the conditions of the grant, how "
            "it is paid and how you can complain about the decision."
        ),
    ),
    LetterKind.REJECTION: (
        _("Your application is rejected"),
        _(
            "Dear {applicant},\n\nThank you for your application to {scheme}. We have "
            "considered it and cannot grant it. Below you find the reasons for the decision "
            "and how you can complain about it. You are welcome to apply again."
        ),
    ),
}

DEFAULT_COMPLAINT_GUIDANCE = _(
    "A grant under the municipality's own scheme is a discretionary decision that cannot be "
    "appealed to another administrative authority: the National Social Appeals Board "
    "(Ankestyrelsen) does not handle complaints about it. If you disagree, write to us at the "
    "address below and ask us to reconsider the decision, preferably within four weeks. You "
    "can also complain to the Parliamentary Ombudsman (Folketingets Ombudsmand, "
    "www.ombudsmanden.dk) within one year of the decision, and you can ask the municipalities' "
    "supervisory authority (Ankestyrelsen as tilsynsmyndighed) to look at whether the "
    "municipality acted lawfully."
)

DEFAULT_PAYMENT_TERMS = _(
    "The grant is paid to your NemKonto (an association's or school's: the NemKonto of its "
    "CVR number). Contact us if it should be paid otherwise."
)


def kind_of(application) -> str:
    """The letter a decision needs: a rejection, or an approval of all or of less."""
    granted = application.amount_granted
    if not granted:
        return LetterKind.REJECTION
    if granted < application.amount_requested:
        return LetterKind.PARTIAL
    return LetterKind.APPROVAL


def template_for(scheme, kind: str, language: str) -> tuple[str, str]:
    """(heading, text) of a letter: the scheme's own template in the language, else the
    template for every scheme, else the portal's text (call with `language` active)."""
    found = {
        template.scheme_id: template
        for template in LetterTemplate.objects.filter(
            kind=kind, language=language, scheme_id__in=[scheme.pk] if scheme.pk else []
        )
        | LetterTemplate.objects.filter(kind=kind, language=language, scheme__isnull=True)
    }
    for template in (found.get(scheme.pk), found.get(None)):
        # A text written before a placeholder was refused (or put in the database directly)
        # is never filled in: the next template is used instead.
        if template and not placeholder_errors(template.subject + template.body):
            return template.subject, template.body
    subject, body = DEFAULT_TEXTS[kind]
    return str(subject), str(body)


def officer_name(user) -> str:
    """An officer as a letter names them: their full name (their username only if the
    administrator gave them none)."""
    return user.get_full_name() or user.get_username()


def deciding_officers(application) -> list:
    """Who decided: the officer who proposed the amount (with four eyes) and the one who
    confirmed it, or the one who decided alone."""
    officers = []
    proposal = (
        application.proposals.filter(
            state=ProposalState.CONFIRMED, closed_by=application.decided_by
        )
        .select_related("proposed_by")
        .order_by("-closed_at", "-pk")
        .first()
        if not application._state.adding and application.amount_granted
        else None
    )
    if proposal is not None:
        officers.append(proposal.proposed_by)
    if application.decided_by is not None:
        officers.append(application.decided_by)
    return officers


def complaint_guidance(scheme) -> str:
    """The scheme's complaint guidance in the active language; the portal's own text where
    the scheme has none in it (docs/staff/administrator.md)."""
    language = translation.get_language() or default_language()
    own = getattr(scheme, localized("complaint_guidance", language[:2]), "") or ""
    return own.strip() or str(DEFAULT_COMPLAINT_GUIDANCE)


def language_name(code: str) -> str:
    """A language's name in the active language ("Danish", "dansk")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass
class Letter:
    """Everything a decision letter and its mail say, in the applicant's language."""

    kind: str
    language: str
    subject: str
    body: str
    case_number: str
    date: datetime.date
    municipality: str
    granted: Decimal | None
    requested: Decimal
    officers: list[str]
    conditions: str = ""
    payment_terms: str = ""
    report_deadline: datetime.date | None = None
    legal_basis: str = ""
    reasons: list[str] = field(default_factory=list)
    considerations: str = ""
    # The language of the officer's considerations, where it is not the letter's.
    considerations_language: str = ""
    complaint_guidance: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""

    @property
    def fully_granted(self) -> bool:
        return self.kind == LetterKind.APPROVAL

    @property
    def approved(self) -> bool:
        return self.kind != LetterKind.REJECTION

    @property
    def considerations_language_name(self) -> str:
        return language_name(self.considerations_language) if self.considerations_language else ""


def decision_letter(application: GrantApplication, *, today=None, texts=None) -> Letter:
    """The letter of the decision on the case, in the applicant's language. `texts`:
    (heading, text) to use instead of the case's template (the admin's preview)."""
    with translation.override(application.language):
        return _letter(application, today or timezone.localdate(), texts)


def letter_html(application: GrantApplication, *, texts=None) -> str:
    """The decision letter as HTML, in the applicant's language: the page the PDF is made of."""
    letter = decision_letter(application, texts=texts)
    with translation.override(application.language):
        return render_to_string(
            "grants/decision_letter.html",
            {"application": application, "letter": letter, "site": SiteSettings.current()},
        )


def _letter(application, today, texts) -> Letter:
    scheme = application.scheme
    site = SiteSettings.current()
    kind = kind_of(application)
    officers = [officer_name(user) for user in deciding_officers(application)]
    deadline = application.returns_on + datetime.timedelta(days=scheme.report_days)
    values = {
        "applicant": application.applicant_name,
        "case_number": application.case_number,
        "scheme": str(scheme.name),
        "amount": format_money(application.amount_granted) if application.amount_granted else "",
        "requested": format_money(application.amount_requested),
        "deadline": date_format(deadline, "DATE_FORMAT"),
        "officer": gettext(" and ").join(officers),
        "municipality": site.municipality_name,
    }
    subject, body = texts or template_for(scheme, kind, application.language)
    written_in = application.decision_language
    letter = Letter(
        kind=kind,
        language=application.language,
        subject=fill(subject, values),
        body=fill(body, values),
        case_number=application.case_number,
        date=today,
        municipality=site.municipality_name,
        granted=application.amount_granted,
        requested=application.amount_requested,
        officers=officers,
        legal_basis=scheme.legal_basis,
        considerations=application.decision_reason,
        considerations_language=written_in if written_in != application.language else "",
        contact_email=site.contact_email,
        contact_phone=site.contact_phone,
        address=site.address,
    )
    if letter.approved:
        letter.conditions = scheme.conditions
        letter.payment_terms = scheme.payment_terms or str(DEFAULT_PAYMENT_TERMS)
        letter.report_deadline = deadline
    if not letter.fully_granted:
        letter.reasons = ground_texts(scheme, application.decision_rules)
        letter.complaint_guidance = complaint_guidance(scheme)
    return letter


def sample_case(scheme, officer, kind: str) -> GrantApplication:
    """An unsaved case of a letter's kind to preview a letter template with: a made-up
    applicant and trip, decided by `officer`. Nothing of it is saved or read back."""
    requested = Decimal("12000")
    granted = {LetterKind.APPROVAL: requested, LetterKind.PARTIAL: Decimal("9000")}.get(kind)
    application = GrantApplication(
        pk=11,
        scheme=scheme,
        language=translation.get_language() or default_language(),
        applicant_name="Sofie Jensen",
        applicant_address="Hold-An Vej 7, 2750 Ballerup",
        purpose=gettext("A week's exchange with our partner school."),
        departs_on=timezone.localdate() + datetime.timedelta(days=60),
        returns_on=timezone.localdate() + datetime.timedelta(days=66),
        amount_requested=requested,
        amount_granted=granted,
        decided_by=officer,
        decided_at=timezone.now(),
        decision_reason=""
        if granted == requested
        else gettext("Example: the programme has two days of sightseeing, which we do not fund."),
        decision_rules=[] if granted == requested else ["purpose"],
    )
    application.submitted_at = timezone.now()
    return application
