"""A correction keeps what changed, old and new; a trip keeps when it was last corrected,
which moves its entry in the feed (the feed's index reads it). Trips corrected before
this get the time of their latest correction."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


def last_corrections(apps, schema_editor):
    Trip = apps.get_model("travel", "Trip")
    Correction = apps.get_model("travel", "Correction")
    latest = (
        Correction.objects.filter(trip=models.OuterRef("pk"))
        .order_by("-made_at")
        .values("made_at")[:1]
    )
    Trip.objects.filter(corrections__isnull=False).update(corrected_at=models.Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("travel", "0017_search_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="trip",
            name="trip_feed_order",
        ),
        migrations.AddField(
            model_name="correction",
            name="changes",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="what changed"
            ),
        ),
        migrations.AddField(
            model_name="trip",
            name="corrected_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="last corrected"),
        ),
        migrations.RunPython(last_corrections, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="trip",
            index=models.Index(
                models.OrderBy(
                    django.db.models.functions.comparison.Greatest(
                        django.db.models.functions.comparison.Coalesce(
                            "report_published_at", "published_at"
                        ),
                        django.db.models.functions.comparison.Coalesce(
                            "corrected_at", "published_at"
                        ),
                    ),
                    descending=True,
                ),
                name="trip_feed_order",
            ),
        ),
    ]
