"""Schools become records: each distinct school or unit typed on an exchange becomes a
School (the text as typed, without surrounding spaces), and every exchange is linked to its
own. An exchange whose text is empty cannot be matched: the migration then stops, naming
those exchanges, and changes nothing (docs/decisions/schools-are-records.md). Administrators
may keep schools in the admin; coordinators see them through the exchange form."""

import django.db.models.deletion
from django.db import migrations, models



def schools_from_text(apps, schema_editor):
    Exchange = apps.get_model("partnerships", "Exchange")
    School = apps.get_model("partnerships", "School")
    unmatched = [
        (pk, title)
        for pk, title, text in Exchange.objects.values_list("pk", "title", "school_or_unit")
        if not text.strip()
    ]
    if unmatched:
        raise RuntimeError(
            "These exchanges name no school or unit, so they cannot be linked to one; write "
            "it in each (admin: Exchanges and activities) and migrate again: "
            + "; ".join(f"#{pk} {title}" for pk, title in unmatched)
        )
    for text in Exchange.objects.values_list("school_or_unit", flat=True).distinct():
        school, _ = School.objects.get_or_create(name=text.strip())
        Exchange.objects.filter(school_or_unit=text).update(school=school)
    if Exchange.objects.filter(school__isnull=True).exists():  # never: a guard, not a branch
        raise RuntimeError("An exchange was left without its school.")
    if schema_editor.connection.vendor == "postgresql":
        # The new keys are checked now, not at the end of the transaction: PostgreSQL does
        # not alter a table (the column made required below) with checks still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def text_from_schools(apps, schema_editor):
    Exchange = apps.get_model("partnerships", "Exchange")
    for exchange in Exchange.objects.select_related("school"):
        exchange.school_or_unit = exchange.school.name
        exchange.save(update_fields=["school_or_unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_partner_city_by_name"),
        ("portal", "0002_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="School",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, unique=True, verbose_name="name")),
                (
                    "address",
                    models.CharField(blank=True, max_length=250, verbose_name="address"),
                ),
            ],
            options={
                "verbose_name": "school or unit",
                "verbose_name_plural": "schools and units",
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="exchange",
            name="school",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="exchanges",
                to="partnerships.school",
                verbose_name="school or unit",
            ),
        ),
        migrations.RunPython(schools_from_text, text_from_schools),
        migrations.AlterField(
            model_name="exchange",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="exchanges",
                to="partnerships.school",
                verbose_name="school or unit",
            ),
        ),
        migrations.AlterField(
            model_name="exchange",
            name="school_or_unit",
            field=models.CharField(blank=True, max_length=150, verbose_name="school or unit"),
        ),
        migrations.RemoveField(model_name="exchange", name="school_or_unit"),
    ]
