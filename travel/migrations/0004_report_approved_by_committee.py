"""The committee that approved a trip's report is a committee record, not free text."""

import django.db.models.deletion
from django.db import migrations, models


def link_committees(apps, schema_editor):
    Trip = apps.get_model("travel", "Trip")
    Committee = apps.get_model("budgets", "Committee")
    for trip in Trip.objects.exclude(report_approved_by=""):
        committee = (
            Committee.objects.filter(name_da__iexact=trip.report_approved_by.strip()).first()
            or Committee.objects.filter(name_en__iexact=trip.report_approved_by.strip()).first()
        )
        if committee is None:
            committee, _created = Committee.objects.get_or_create(
                slug=f"approved-{trip.pk}", defaults={"name_da": trip.report_approved_by[:150]}
            )
        trip.report_approving_committee = committee
        trip.save(update_fields=["report_approving_committee"])


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0003_commitment_line_totals"),
        ("travel", "0003_trip_newest_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="trip",
            name="report_approving_committee",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="approved_trip_reports",
                to="budgets.committee",
                verbose_name="approved by",
            ),
        ),
        migrations.RunPython(link_committees, migrations.RunPython.noop),
        migrations.RemoveField(model_name="trip", name="report_approved_by"),
        migrations.RenameField(
            model_name="trip", old_name="report_approving_committee", new_name="report_approved_by"
        ),
        migrations.AlterField(
            model_name="correction",
            name="trip",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrections",
                to="travel.trip",
            ),
        ),
    ]
