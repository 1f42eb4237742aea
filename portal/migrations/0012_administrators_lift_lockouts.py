"""Administrators see failed-login lockouts and lift them (django-axes' access attempts)."""

from django.db import migrations

from portal.roles import grant_role_permissions


def forwards(apps, schema_editor):
    grant_role_permissions(
        apps, {"Administrator": ["axes.view_accessattempt", "axes.delete_accessattempt"]}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0011_outbox_for_administrators"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
