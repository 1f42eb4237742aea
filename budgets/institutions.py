"""The institutions a budget speaks of, as records an administrator maintains.

A new portal starts with Denmark's (data migrations call `ensure_line_kinds` and
`ensure_follow_up_rounds`); another country's municipality renames them, adds its own and
marks which kind is its central international budget, in the admin (*Budget-line kinds*,
*Follow-up rounds*).
"""

from portal.i18n import localized

# code, is the central budget, position, name per shipped language
DEFAULT_LINE_KINDS = [
    (
        "central",
        True,
        1,
        {
            "da": "Centralt internationalt budget",
            "en": "Central international budget",
            "de": "Zentrales internationales Budget",
        },
    ),
    (
        "study_trip_fund",
        False,
        2,
        {"da": "Studierejsefond", "en": "Study-trip fund", "de": "Fonds für Studienreisen"},
    ),
    (
        "committee_travel",
        False,
        3,
        {
            "da": "Udvalgenes rejsebudget",
            "en": "Committee travel budget",
            "de": "Reisebudgets der Ausschüsse",
        },
    ),
    (
        "council_travel",
        False,
        4,
        {
            "da": "Kommunalbestyrelsens rejsebudget",
            "en": "Council travel budget",
            "de": "Reisebudget des Rates",
        },
    ),
    ("other", False, 9, {"da": "Andet", "en": "Other", "de": "Sonstiges"}),
]


def ensure_line_kinds(model=None) -> dict:
    """The default kinds, made where missing (an existing kind is left as staff wrote it);
    {code: kind}. `model` is the migration's historical model, or the app's own."""
    if model is None:
        from budgets.models import LineKind as model
    return _ensure(
        model,
        [
            (code, {"is_central": is_central, "position": position}, names)
            for code, is_central, position, names in DEFAULT_LINE_KINDS
        ],
    )


def _ensure(model, defaults) -> dict:
    """Records of `model` for [(code, fields, names per language)], made where missing."""
    records = {}
    for code, fields, names in defaults:
        records[code], _created = model.objects.get_or_create(
            code=code,
            defaults={
                **fields,
                **{localized("name", language): name for language, name in names.items()},
                "name": names["en"],
            },
        )
    return records


# The rounds of a year's follow-up, in order: code, position, name per shipped language.
DEFAULT_FOLLOW_UP_ROUNDS = [
    (
        "first",
        1,
        {"da": "1. budgetopfølgning", "en": "1st budget follow-up", "de": "1. Haushaltsbericht"},
    ),
    (
        "second",
        2,
        {"da": "2. budgetopfølgning", "en": "2nd budget follow-up", "de": "2. Haushaltsbericht"},
    ),
    (
        "third",
        3,
        {"da": "3. budgetopfølgning", "en": "3rd budget follow-up", "de": "3. Haushaltsbericht"},
    ),
    ("year_end", 4, {"da": "31.12.", "en": "31 December", "de": "31. Dezember"}),
]


def ensure_follow_up_rounds(model=None) -> dict:
    """The default rounds, made where missing; {code: round}."""
    if model is None:
        from budgets.models import FollowUpRound as model
    return _ensure(
        model,
        [
            (code, {"position": position}, names)
            for code, position, names in DEFAULT_FOLLOW_UP_ROUNDS
        ],
    )
