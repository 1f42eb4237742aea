"""The institutions a budget speaks of, as records an administrator maintains.

A new portal starts with Denmark's (a data migration calls `ensure_line_kinds`); another
country's municipality renames them, adds its own and marks which kind is its central
international budget, in the admin (*Budget-line kinds*).
"""

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
    kinds = {}
    for code, is_central, position, names in DEFAULT_LINE_KINDS:
        kinds[code], _created = model.objects.get_or_create(
            code=code,
            defaults={
                "is_central": is_central,
                "position": position,
                **{f"name_{language}": name for language, name in names.items()},
                "name": names["en"],
            },
        )
    return kinds
