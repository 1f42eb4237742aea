import django_countries.fields
from django.db import migrations, models


def forget_totals(apps, schema_editor):
    # Kept totals, recounted from the trips by `manage.py recount --fix` (README).
    apps.get_model("travel", "TripTotal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0010_budgetline_committed_budgetline_spent"),
        ("travel", "0010_trip_feed_order"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="triptotal", name="trip_total_once"),
        migrations.RunPython(forget_totals, migrations.RunPython.noop),
        migrations.AddField(
            model_name="triptotal",
            name="country",
            field=django_countries.fields.CountryField(default="", max_length=2),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="triptotal",
            constraint=models.UniqueConstraint(
                fields=("year", "committee", "country"), name="trip_total_once"
            ),
        ),
    ]
