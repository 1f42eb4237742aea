"""Administrators keep the staff time the budget shows beside its money (0015)."""

from django.db import migrations

from portal.roles import grant_role_permissions, model_permissions


def forwards(apps, schema_editor):
    grant_role_permissions(
        apps, {"Administrator": model_permissions("budgets", ["staffresource"])}
    )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0016_staff_resources")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
