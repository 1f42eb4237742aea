"""What staff type into the bigger forms, valid in every field, for tests to vary."""


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def trip_form(line, **changes) -> dict:
    """A trip to Glasgow with one traveller, a programme item and two account lines."""
    return {
        "title_da": "Studietur til South Lanarkshire",
        "purpose_da": "Akutpladser",
        "destination_city": "Glasgow",
        "destination_country": "GB",
        "starts_on": "2026-09-01",
        "ends_on": "2026-09-04",
        "other_participants": "0",
        "budget_line": line.pk if line else "",
        "accounts_status": "provisional",
        "correction": "",
        **formset("travellers", [{"name": "Ali Hassan", "kind": "politician", "role": "Formand"}]),
        **formset("programme", [{"day": "2026-09-02", "time": "10:00", "what_da": "Besøg"}]),
        **formset(
            "accounts",
            [
                {"category": "transport", "budgeted": "16000", "actual": "15800"},
                {"category": "accommodation", "budgeted": "20000", "actual": "21200"},
            ],
        ),
        **changes,
    }


# The rest of the structured report back, beside its text and travel costs: how many took
# part, the other categories, and the applicant's word that the trip has taken place (asked
# only before the return date).
REPORTED_COSTS = {
    "participants": "10",
    "cost_accommodation": "0",
    "cost_other": "0",
    "taken_place": "on",
}
