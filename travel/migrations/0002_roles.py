"""What the roles may do with trips: committee secretaries and administrators keep them."""

from django.db import migrations

from portal.roles import grant_role_permissions, model_permissions

TRIP_MODELS = ["trip", "person", "triptraveller", "programmeitem", "accountline"]

ROLE_PERMISSIONS = {
    "Committee secretary": model_permissions("travel", TRIP_MODELS, ("view", "add", "change")),
    "Administrator": [
        *model_permissions("travel", TRIP_MODELS),
        "travel.view_correction",
    ],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("travel", "0001_initial"),
        ("portal", "0004_sitesettings_trip_publication_days"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
