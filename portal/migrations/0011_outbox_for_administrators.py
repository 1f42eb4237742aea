"""Administrators see the outbox: what was sent, and what could not be."""

from django.db import migrations

from portal.roles import grant_role_permissions


def forwards(apps, schema_editor):
    grant_role_permissions(apps, {"Administrator": ["portal.view_outboxmail"]})


class Migration(migrations.Migration):
    dependencies = [("portal", "0010_outboxmail")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
