"""The benchmark's data: every row it writes is one the portal's models accept."""

import io

import pytest
from django.apps import apps

from bench.generate import PER_UNIT, generate
from partnerships.models import Exchange

pytestmark = pytest.mark.django_db

GENERATED_APPS = ("travel", "budgets", "grants", "partnerships")


def _links_left_empty(row) -> list[str]:
    """Links the database allows to be empty and the row leaves empty: who made a row the
    demo or an import wrote, a kept total's "no committee". Every other field is checked,
    links that are set included (that the row they name exists)."""
    return [
        field.name
        for field in row._meta.concrete_fields
        if field.is_relation and field.null and getattr(row, field.attname) is None
    ]


def test_every_generated_row_passes_its_models_validation():
    wanted = generate(2, out=io.StringIO())

    assert wanted == PER_UNIT  # scale 2: one unit of every table
    assert Exchange.objects.count() >= PER_UNIT["exchanges"]
    invalid = []
    for app in GENERATED_APPS:
        for model in apps.get_app_config(app).get_models():
            for row in model.objects.all():
                try:
                    row.full_clean(exclude=_links_left_empty(row))
                except Exception as error:  # noqa: BLE001 - every failure is listed below
                    invalid.append(f"{model.__name__} {row.pk}: {error}")
    assert invalid == []


def test_a_code_the_model_does_not_have_is_refused_before_anything_is_written(monkeypatch):
    from django.core.exceptions import ValidationError

    from partnerships import enums

    class Withdrawn:
        values = ["staff_visit"]

    monkeypatch.setattr(enums, "ExchangeKind", Withdrawn)
    with pytest.raises(ValidationError, match="staff_visit"):
        generate(2, out=io.StringIO())
    assert not Exchange.objects.filter(kind="staff_visit").exists()


def test_only_the_last_weeks_applications_are_left_open(monkeypatch):
    """The officers' queue the benchmark measures holds what a real one holds: the cases of
    the last weeks, not a third of all history."""
    import datetime

    from bench import generate as generator
    from grants.models import GrantApplication

    monkeypatch.setattr(generator, "OPEN_DAYS", 2000)  # enough open ones to see at scale 2
    generate(2, out=io.StringIO())  # beside the demo's cases, which it leaves as they are
    applications = GrantApplication.objects.filter(applicant_name__startswith="Ansøger ")
    open_ones = applications.exclude(state__in=["closed", "rejected"])
    assert open_ones.filter(decided_at__isnull=True).exists()
    assert open_ones.filter(decided_at__isnull=False).exists()  # approved, not yet closed
    latest = max(applications.values_list("departs_on", flat=True))
    cut = latest - datetime.timedelta(days=2000)
    assert not open_ones.filter(departs_on__lt=cut).exists()
