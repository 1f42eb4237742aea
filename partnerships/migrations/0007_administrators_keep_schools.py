"""Administrators keep the list of schools (a migration of its own: portal.roles.ensure_roles
runs a role migration's first operation)."""

from django.db import migrations

from portal.roles import grant_role_permissions


def administrators_keep_schools(apps, schema_editor):
    grant_role_permissions(
        apps,
        {
            "Administrator": [
                f"partnerships.{action}_school" for action in ("view", "add", "change", "delete")
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_schools_are_records")]

    operations = [migrations.RunPython(administrators_keep_schools, migrations.RunPython.noop)]
