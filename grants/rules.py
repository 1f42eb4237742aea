"""Eligibility: who may apply for what. Each rule explains itself next to its field."""

import datetime

from django.utils.translation import gettext as _

from grants.enums import ApplicantKind
from portal.choices import label_of
from portal.money import format_money


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def eligibility_errors(scheme, data: dict, today: datetime.date) -> dict[str, str]:
    """{field: message} for every rule the application breaks; {} when it may be granted."""
    errors: dict[str, str] = {}
    if not scheme.is_open_on(today):
        errors["__all__"] = _(
            "The scheme is open for applications from %(opens)s to %(closes)s."
        ) % {
            "opens": scheme.opens_on.strftime("%d.%m.%Y"),
            "closes": scheme.closes_on.strftime("%d.%m.%Y"),
        }
    kind = data.get("applicant_kind")
    if kind and scheme.applicant_kinds and kind not in scheme.applicant_kinds:
        errors["applicant_kind"] = _("This scheme is for: %(kinds)s.") % {
            "kinds": ", ".join(label_of(ApplicantKind, k).lower() for k in scheme.applicant_kinds)
        }
    departs_on, returns_on = data.get("departs_on"), data.get("returns_on")
    if departs_on and departs_on <= today:
        errors["departs_on"] = _("Apply before you leave: the departure must be after today.")
    if departs_on and returns_on and returns_on < departs_on:
        errors["returns_on"] = _("The return cannot be before the departure.")
    participants = data.get("participants")
    under_25 = data.get("participants_under_25")
    if participants is not None and under_25 is not None and under_25 > participants:
        errors["participants_under_25"] = _("There cannot be more under 25 than participants.")
    if scheme.requires_under_25:
        if kind == ApplicantKind.YOUNG_PERSON:
            birth_date = data.get("applicant_birth_date")
            if birth_date is None:
                errors["applicant_birth_date"] = _(
                    "Give your date of birth: the grant is for people under 25."
                )
            elif departs_on and age_on(birth_date, departs_on) >= 25:
                errors["applicant_birth_date"] = _("You must be under 25 on the day of departure.")
        elif under_25 is not None and under_25 < 1 and "participants_under_25" not in errors:
            errors["participants_under_25"] = _(
                "The grant is for people under 25: at least one participant must be under 25."
            )
    partner_city, other = data.get("partner_city"), (data.get("other_destination") or "").strip()
    if scheme.requires_partner_city and not partner_city:
        errors["partner_city"] = _("This scheme is for trips to one of our partner cities.")
    elif not partner_city and not other:
        errors["partner_city"] = _("Choose a partner city, or write the destination.")
    requested = data.get("amount_requested")
    costs = [data.get(name) for name in ("cost_travel", "cost_accommodation", "cost_other")]
    if requested is not None and all(cost is not None for cost in costs):
        if requested > sum(costs):
            errors["amount_requested"] = _("You cannot apply for more than the trip costs.")
        elif scheme.cap is not None and requested > scheme.cap:
            errors["amount_requested"] = _("The scheme grants at most %(cap)s per application.") % {
                "cap": format_money(scheme.cap)
            }
    return errors


def rules_in_words(scheme) -> dict:
    """What the apply page says about the scheme before its form (grants/scheme_rules.html).
    One query: the partner cities, when the scheme goes only to them."""
    from django.conf import settings

    from partnerships.models import PartnerCity

    return {
        "kinds": [label_of(ApplicantKind, kind) for kind in scheme.applicant_kinds],
        "cities": list(PartnerCity.objects.filter(status="active").values_list("name", flat=True))
        if scheme.requires_partner_city
        else [],
        "max_files": settings.GRANT_MAX_FILES,
        "max_megabytes": settings.GRANT_MAX_FILES_BYTES // (1024 * 1024),
        "hours": settings.GRANT_CONFIRMATION_HOURS,
        "decision_days": scheme.decision_days,
    }


def application_data(application) -> dict:
    """A case's answers as the application form gave them to `eligibility_errors`."""
    names = (
        "applicant_kind",
        "applicant_birth_date",
        "departs_on",
        "returns_on",
        "participants",
        "participants_under_25",
        "partner_city",
        "other_destination",
        "amount_requested",
        "cost_travel",
        "cost_accommodation",
        "cost_other",
    )
    return {name: getattr(application, name) for name in names}


def checklist(application) -> list[tuple[str, bool, str]]:
    """The scheme's rules checked against a case, for the officer deciding it:
    [(the rule in words, met, why not)], by the one set of rules the form applies
    (`eligibility_errors`), as on the day the case came in. No query beyond the case's
    scheme and partner city (read with it)."""
    from django.utils import timezone

    scheme = application.scheme
    came_in = timezone.localdate(application.email_confirmed_at or application.submitted_at)
    errors = eligibility_errors(scheme, application_data(application), came_in)
    rules = [
        (_("Sent while the scheme was open"), ("__all__",)),
        (_("Dates: departure after the application, return after departure"),
         ("departs_on", "returns_on")),
        (_("Applied for no more than the trip costs, and within the scheme's cap"),
         ("amount_requested",)),
    ]  # fmt: skip
    if scheme.applicant_kinds:
        kinds = ", ".join(label_of(ApplicantKind, k).lower() for k in scheme.applicant_kinds)
        rules.insert(1, (_("Who may apply: %(kinds)s") % {"kinds": kinds}, ("applicant_kind",)))
    if not scheme.requires_under_25:  # else the under-25 rule below reads the same field
        rules.insert(
            -1,
            (
                _("Participants under 25 no more than all participants"),
                ("participants_under_25",),
            ),
        )
    if scheme.requires_under_25:
        rules.append(
            (_("Under 25 on the day of departure"),
             ("applicant_birth_date", "participants_under_25")),
        )  # fmt: skip
    rules.append(
        (_("The destination is one of our partner cities"), ("partner_city",))
        if scheme.requires_partner_city
        else (_("A destination is given"), ("partner_city",))
    )
    return [
        (
            str(words),
            not any(field in errors for field in fields),
            " ".join(str(errors[field]) for field in fields if field in errors),
        )
        for words, fields in rules
    ]
