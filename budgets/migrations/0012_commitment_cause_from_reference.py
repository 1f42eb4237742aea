"""Every commitment that named its cause as "trip:<pk>" or "grant:<pk>" points at it by its
foreign key instead; the string is emptied. A string of that shape whose trip or grant
application does not exist stops the migration: nothing is guessed."""

from django.db import migrations

KINDS = {"trip": ("travel", "Trip", "trip_id"), "grant": ("grants", "GrantApplication", "grant_application_id")}


def causes_from_references(apps, schema_editor):
    Commitment = apps.get_model("budgets", "Commitment")
    unresolved = []
    for kind, (app, model, field) in KINDS.items():
        existing = set(apps.get_model(app, model).objects.values_list("pk", flat=True))
        rows = Commitment.objects.filter(reference__startswith=f"{kind}:").values_list(
            "pk", "reference"
        )
        by_cause: dict[int, list[int]] = {}
        for pk, reference in rows.iterator(chunk_size=2000):
            key = reference.partition(":")[2]
            if not key.isdigit() or int(key) not in existing:
                unresolved.append(f"commitment {pk}: {reference!r}")
                continue
            by_cause.setdefault(int(key), []).append(pk)
        for cause, pks in by_cause.items():
            Commitment.objects.filter(pk__in=pks).update(**{field: cause, "reference": ""})
    if unresolved:
        raise RuntimeError(
            "These commitments name a cause that does not exist; correct them and migrate "
            "again: " + "; ".join(unresolved[:20])
        )


def references_from_causes(apps, schema_editor):
    Commitment = apps.get_model("budgets", "Commitment")
    for kind, (_app, _model, field) in KINDS.items():
        for pk, cause in Commitment.objects.filter(**{f"{field}__isnull": False}).values_list(
            "pk", field
        ):
            Commitment.objects.filter(pk=pk).update(reference=f"{kind}:{cause}")


class Migration(migrations.Migration):
    dependencies = [("budgets", "0011_commitment_cause")]

    operations = [migrations.RunPython(causes_from_references, references_from_causes)]
