"""Administrators write the letter templates (grants.letters)."""

from django.db import migrations

from portal.roles import grant_role_permissions, model_permissions

ROLE_PERMISSIONS = {"Administrator": model_permissions("grants", ["lettertemplate"])}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("grants", "0021_decision_letters")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
